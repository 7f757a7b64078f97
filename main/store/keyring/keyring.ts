// The keyring file beside the database: the only place the data key exists at rest, and only sealed.
// Each slot has its own X25519 key pair: the data key is sealed to the slot's public key, and the slot's
// private key is wrapped by its protection (a passphrase through scrypt, or the OS key store). So an
// admin holding the data key can add a user or rekey for every slot without knowing anyone's passphrase.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { VigilError } from '../../../shared/errors.js';
import {
  deriveKey,
  gcmUnwrap,
  gcmWrap,
  generateSlotKeyPair,
  openSealed,
  sealToPublicKey,
  validScryptParams,
  type ScryptParams,
} from './crypto.js';

export const KEYRING_FILE = 'keyring.json';

/** Wraps secrets with the operating system's key store (Electron safeStorage in the shell). */
export interface KeyWrapper {
  readonly kind: 'os';
  /** Which OS store did the wrapping (on Linux: `gnome_libsecret`, `kwallet5`, `basic_text`...). */
  readonly backend: string;
  wrap(secret: Buffer): Buffer;
  unwrap(wrapped: Buffer): Buffer;
}

const sealed = z.strictObject({ iv: z.string(), ciphertext: z.string(), tag: z.string() });
const sealedToSlot = sealed.extend({ ephemeralPublicKey: z.string() }).strict();
const slotBase = {
  id: z.string(),
  publicKey: z.string(),
  sealedDataKey: sealedToSlot,
  /** Present only while a rekey is under way: the new key, so a crash between the two steps loses nothing. */
  nextSealedDataKey: sealedToSlot.optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
};
const passphraseSlot = z.strictObject({
  ...slotBase,
  kind: z.literal('passphrase'),
  userId: z.string(),
  username: z.string(),
  kdf: z.strictObject({ name: z.literal('scrypt'), N: z.number(), r: z.number(), p: z.number(), salt: z.string() }),
  wrappedPrivateKey: sealed,
});
const osSlot = z.strictObject({ ...slotBase, kind: z.literal('os'), userId: z.string(), username: z.string(), backend: z.string(), wrappedPrivateKey: z.string() });
const keyringSchema = z.strictObject({
  format: z.literal('vigil-keyring'),
  version: z.literal(1),
  storeId: z.string(),
  slots: z.array(z.discriminatedUnion('kind', [passphraseSlot, osSlot])),
});

export type PassphraseSlot = z.infer<typeof passphraseSlot>;
export type OsSlot = z.infer<typeof osSlot>;
export type KeySlot = PassphraseSlot | OsSlot;
export type Keyring = z.infer<typeof keyringSchema>;

export function keyringPath(dir: string): string {
  return join(dir, KEYRING_FILE);
}

export function newKeyring(): Keyring {
  return { format: 'vigil-keyring', version: 1, storeId: randomUUID(), slots: [] };
}

export function readKeyring(dir: string): Keyring {
  let text: string;
  try {
    text = readFileSync(keyringPath(dir), 'utf8');
  } catch {
    throw new VigilError('store_corrupt', `the store's keyring (${KEYRING_FILE}) is missing: without it the store cannot be opened`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new VigilError('store_corrupt', `the store's keyring (${KEYRING_FILE}) is damaged`);
  }
  const result = keyringSchema.safeParse(parsed);
  if (!result.success) throw new VigilError('store_corrupt', `the store's keyring (${KEYRING_FILE}) is not in a format this version understands`);
  return result.data;
}

/** Write-then-rename with fsync of file and folder: a crash leaves the old keyring or the new one, never half. */
export function writeKeyring(dir: string, keyring: Keyring): void {
  const target = keyringPath(dir);
  const tmp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(keyringSchema.parse(keyring), null, 2)}\n`, { mode: 0o600 });
  fsyncPath(tmp);
  renameSync(tmp, target);
  fsyncPath(dirname(target));
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const privateKeyAad = (storeId: string, slotId: string): string => `vigil keyring v1|${storeId}|${slotId}|private key`;
const sealContext = (storeId: string, slotId: string): string => `${storeId}|${slotId}`;

export async function createPassphraseSlot(
  storeId: string,
  user: { id: string; username: string },
  passphrase: string,
  params: ScryptParams,
  dataKey: Buffer,
): Promise<PassphraseSlot> {
  if (!validScryptParams(params)) throw new VigilError('invalid_input', 'scrypt parameters are out of range');
  const id = randomUUID();
  const now = new Date().toISOString();
  const pair = generateSlotKeyPair();
  const salt = randomBytes(16);
  const kek = await deriveKey(passphrase, salt, params);
  try {
    return {
      id,
      kind: 'passphrase',
      userId: user.id,
      username: user.username,
      publicKey: pair.publicKey,
      sealedDataKey: sealToPublicKey(pair.publicKey, dataKey, sealContext(storeId, id)),
      kdf: { name: 'scrypt', N: params.N, r: params.r, p: params.p, salt: salt.toString('base64') },
      wrappedPrivateKey: gcmWrap(kek, pair.privateKey, privateKeyAad(storeId, id)),
      createdAt: now,
      updatedAt: now,
    };
  } finally {
    kek.fill(0);
    pair.privateKey.fill(0);
  }
}

async function unwrapPassphrasePrivateKey(storeId: string, slot: PassphraseSlot, passphrase: string): Promise<Buffer | null> {
  const params = { N: slot.kdf.N, r: slot.kdf.r, p: slot.kdf.p };
  if (!validScryptParams(params)) throw new VigilError('store_corrupt', 'a key slot records scrypt parameters outside the accepted range');
  const kek = await deriveKey(passphrase, Buffer.from(slot.kdf.salt, 'base64'), params);
  try {
    return gcmUnwrap(kek, slot.wrappedPrivateKey, privateKeyAad(storeId, slot.id));
  } finally {
    kek.fill(0);
  }
}

/** The data key, and the next one while a rekey was interrupted. */
export interface SlotKeys {
  readonly current: Buffer;
  readonly next: Buffer | null;
}

function openSlotKeys(storeId: string, slot: KeySlot, privateKey: Buffer): SlotKeys {
  const context = sealContext(storeId, slot.id);
  const current = openSealed(privateKey, slot.publicKey, slot.sealedDataKey, context);
  if (current === null) throw new VigilError('store_corrupt', 'a key slot opened but its sealed data key is damaged');
  const next = slot.nextSealedDataKey === undefined ? null : openSealed(privateKey, slot.publicKey, slot.nextSealedDataKey, context);
  return { current, next };
}

/** The slot's data key(s), or null when the passphrase is wrong. */
export async function openPassphraseSlot(storeId: string, slot: PassphraseSlot, passphrase: string): Promise<SlotKeys | null> {
  const privateKey = await unwrapPassphrasePrivateKey(storeId, slot, passphrase);
  if (privateKey === null) return null;
  try {
    return openSlotKeys(storeId, slot, privateKey);
  } finally {
    privateKey.fill(0);
  }
}

/** Change of passphrase: only the slot's private key is rewrapped; the data key and the database stay as they are. */
export async function rewrapPassphraseSlot(
  storeId: string,
  slot: PassphraseSlot,
  currentPassphrase: string,
  newPassphrase: string,
  params: ScryptParams,
): Promise<PassphraseSlot | null> {
  if (!validScryptParams(params)) throw new VigilError('invalid_input', 'scrypt parameters are out of range');
  const privateKey = await unwrapPassphrasePrivateKey(storeId, slot, currentPassphrase);
  if (privateKey === null) return null;
  const salt = randomBytes(16);
  const kek = await deriveKey(newPassphrase, salt, params);
  try {
    return {
      ...slot,
      kdf: { name: 'scrypt', N: params.N, r: params.r, p: params.p, salt: salt.toString('base64') },
      wrappedPrivateKey: gcmWrap(kek, privateKey, privateKeyAad(storeId, slot.id)),
      updatedAt: new Date().toISOString(),
    };
  } finally {
    kek.fill(0);
    privateKey.fill(0);
  }
}

export function createOsSlot(storeId: string, user: { id: string; username: string }, wrapper: KeyWrapper, dataKey: Buffer): OsSlot {
  const id = randomUUID();
  const now = new Date().toISOString();
  const pair = generateSlotKeyPair();
  try {
    return {
      id,
      kind: 'os',
      userId: user.id,
      username: user.username,
      backend: wrapper.backend,
      publicKey: pair.publicKey,
      sealedDataKey: sealToPublicKey(pair.publicKey, dataKey, sealContext(storeId, id)),
      wrappedPrivateKey: wrapper.wrap(pair.privateKey).toString('base64'),
      createdAt: now,
      updatedAt: now,
    };
  } finally {
    pair.privateKey.fill(0);
  }
}

/**
 * The data key through the OS key store. A changed backend (say the Linux keyring fell back to
 * `basic_text`) is refused with its own message rather than tried, as Signal Desktop does.
 */
export function openOsSlot(storeId: string, slot: OsSlot, wrapper: KeyWrapper): SlotKeys {
  if (slot.backend !== wrapper.backend) {
    throw new VigilError(
      'key_backend_changed',
      `the OS key store changed from "${slot.backend}" to "${wrapper.backend}": unlock with your passphrase, then turn OS unlock on again`,
    );
  }
  let privateKey: Buffer;
  try {
    privateKey = wrapper.unwrap(Buffer.from(slot.wrappedPrivateKey, 'base64'));
  } catch {
    throw new VigilError('key_backend_changed', 'the OS key store could not unwrap this store\'s key: unlock with your passphrase');
  }
  try {
    return openSlotKeys(storeId, slot, privateKey);
  } finally {
    privateKey.fill(0);
  }
}

/** Rekey, step 1: every slot also gets the new data key (sealed to its public key; no passphrase needed). */
export function withNextDataKey(keyring: Keyring, newDataKey: Buffer): Keyring {
  return {
    ...keyring,
    slots: keyring.slots.map((slot) => ({ ...slot, nextSealedDataKey: sealToPublicKey(slot.publicKey, newDataKey, sealContext(keyring.storeId, slot.id)) })),
  };
}

/** Rekey, step 3 (after the database was re-encrypted): the new key becomes the only one. */
export function promoteNextDataKey(keyring: Keyring): Keyring {
  const now = new Date().toISOString();
  return {
    ...keyring,
    slots: keyring.slots.map((slot) => {
      const { nextSealedDataKey, ...rest } = slot;
      return nextSealedDataKey === undefined ? slot : { ...rest, sealedDataKey: nextSealedDataKey, updatedAt: now };
    }),
  };
}

/** Seals a data key to a slot (a new slot, or one that missed a rekey). */
export function sealDataKeyForSlot(storeId: string, slot: KeySlot, dataKey: Buffer): KeySlot {
  return { ...slot, sealedDataKey: sealToPublicKey(slot.publicKey, dataKey, sealContext(storeId, slot.id)) };
}

export function passphraseSlotOf(keyring: Keyring, username: string): PassphraseSlot | undefined {
  return keyring.slots.find((slot): slot is PassphraseSlot => slot.kind === 'passphrase' && slot.username === username);
}

export function usernamesIn(keyring: Keyring): string[] {
  return keyring.slots.filter((slot): slot is PassphraseSlot => slot.kind === 'passphrase').map((slot) => slot.username).sort();
}

export function osSlotOf(keyring: Keyring, username: string): OsSlot | undefined {
  return keyring.slots.find((slot): slot is OsSlot => slot.kind === 'os' && slot.username === username);
}
