// The primitives the keyring is made of: scrypt for passphrases, AES-256-GCM for wrapping, and
// X25519 sealing so a data key can be (re)wrapped for a slot without knowing that slot's passphrase.
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  scrypt,
  type KeyObject,
} from 'node:crypto';

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** N=2^16, r=8, p=1: 64 MiB and about 180 ms on the 2-core build machine; unlock stays under 300 ms. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 16, r: 8, p: 1 };
/** Far too weak for a real store; only for tests that create many stores. */
export const TEST_SCRYPT: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

export function validScryptParams(params: ScryptParams): boolean {
  const { N, r, p } = params;
  const powerOfTwo = Number.isInteger(N) && N >= 2 ** 10 && N <= 2 ** 22 && (N & (N - 1)) === 0;
  return powerOfTwo && Number.isInteger(r) && r >= 1 && r <= 32 && Number.isInteger(p) && p >= 1 && p <= 16;
}

export function deriveKey(passphrase: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const maxmem = 128 * params.N * params.r * params.p + 32 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    // Async so the main process keeps serving the window while the KDF runs on the libuv pool.
    scrypt(passphrase.normalize('NFC'), salt, 32, { N: params.N, r: params.r, p: params.p, maxmem }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

export interface Sealed {
  readonly iv: string;
  readonly ciphertext: string;
  readonly tag: string;
}

export function gcmWrap(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** Returns null when the key is wrong or anything was tampered with (GCM authentication failed). */
export function gcmUnwrap(key: Buffer, sealed: Sealed, aad: string): Buffer | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
  } catch {
    return null;
  }
}

export interface SlotKeyPair {
  /** SPKI DER, base64: stored in clear so the data key can be sealed to the slot at any time. */
  readonly publicKey: string;
  /** PKCS#8 DER: wrapped by the slot's protection (passphrase or OS), never stored in clear. */
  readonly privateKey: Buffer;
}

export function generateSlotKeyPair(): SlotKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'der' }),
  };
}

export interface SealedToSlot extends Sealed {
  /** SPKI DER, base64, of the one-time key used for this seal. */
  readonly ephemeralPublicKey: string;
}

function sealingKey(shared: Buffer, ephemeral: string, recipient: string, context: string): Buffer {
  const salt = Buffer.concat([Buffer.from(ephemeral, 'base64'), Buffer.from(recipient, 'base64')]);
  return Buffer.from(hkdfSync('sha256', shared, salt, `vigil data key seal v1|${context}`, 32));
}

/** ECIES over X25519: anyone holding the data key can seal it to a slot's public key. */
export function sealToPublicKey(recipientPublicKey: string, secret: Buffer, context: string): SealedToSlot {
  const recipient: KeyObject = createPublicKey({ key: Buffer.from(recipientPublicKey, 'base64'), format: 'der', type: 'spki' });
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralPublicKey = ephemeral.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient });
  const key = sealingKey(shared, ephemeralPublicKey, recipientPublicKey, context);
  try {
    return { ephemeralPublicKey, ...gcmWrap(key, secret, context) };
  } finally {
    key.fill(0);
    shared.fill(0);
  }
}

export function openSealed(privateKeyDer: Buffer, recipientPublicKey: string, sealed: SealedToSlot, context: string): Buffer | null {
  try {
    const privateKey = createPrivateKey({ key: privateKeyDer, format: 'der', type: 'pkcs8' });
    const ephemeral = createPublicKey({ key: Buffer.from(sealed.ephemeralPublicKey, 'base64'), format: 'der', type: 'spki' });
    const shared = diffieHellman({ privateKey, publicKey: ephemeral });
    const key = sealingKey(shared, sealed.ephemeralPublicKey, recipientPublicKey, context);
    try {
      return gcmUnwrap(key, sealed, context);
    } finally {
      key.fill(0);
      shared.fill(0);
    }
  } catch {
    return null;
  }
}
