// Local profiles and their key slots. Adding a profile seals the same data key to a new slot; changing a
// passphrase rewraps only that slot's private key: the database is never touched by either.
import { randomUUID } from 'node:crypto';
import type { Role } from '../../shared/domain/roles.js';
import { VigilError } from '../../shared/errors.js';
import { appendAudit } from './audit.js';
import { DEFAULT_SCRYPT, type ScryptParams } from './keyring/crypto.js';
import {
  createOsSlot,
  createPassphraseSlot,
  openPassphraseSlot,
  osSlotOf,
  passphraseSlotOf,
  readKeyring,
  rewrapPassphraseSlot,
  writeKeyring,
  type KeyWrapper,
} from './keyring/keyring.js';
import { checkNewProfile, dataKeyOf, type StoreHandle, type StoreUser } from './open.js';
import { createUsersRepository, type UserRecord } from './repositories/users.js';
import { repositoryFor } from './repositories/cache.js';

export interface NewProfile {
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  /** The initial passphrase, told to the person by the admin; they change it with changePassphrase. */
  readonly passphrase: string;
  readonly kdf?: ScryptParams;
}

export async function addProfile(store: StoreHandle, actor: StoreUser, profile: NewProfile): Promise<UserRecord> {
  checkNewProfile(profile.username, profile.passphrase);
  const displayName = profile.displayName.trim();
  if (displayName.length === 0) throw new VigilError('invalid_input', 'a display name is required', 'displayName');
  const users = repositoryFor(store.db, createUsersRepository);
  const keyring = readKeyring(store.dir);
  if (users.byUsername(profile.username) !== undefined || passphraseSlotOf(keyring, profile.username) !== undefined) {
    throw new VigilError('conflict', `there is already a profile named ${profile.username}`, 'username');
  }
  const record: UserRecord = {
    id: randomUUID(),
    username: profile.username,
    displayName,
    role: profile.role,
    createdAt: new Date().toISOString(),
    createdBy: actor.id,
    disabledAt: null,
  };
  const slot = await createPassphraseSlot(keyring.storeId, record, profile.passphrase, profile.kdf ?? DEFAULT_SCRYPT, dataKeyOf(store));
  store.db.transaction(() => {
    users.insert(record);
    appendAudit(store.db, { actor: actor.id, action: 'user.create', target: `user:${record.id}`, after: { username: record.username, role: record.role } });
  }).immediate();
  // Read again: the keyring may have changed while scrypt ran.
  const latest = readKeyring(store.dir);
  writeKeyring(store.dir, { ...latest, slots: [...latest.slots, slot] });
  return record;
}

export function listProfiles(store: StoreHandle): UserRecord[] {
  return repositoryFor(store.db, createUsersRepository).list();
}

/** Rewraps the caller's own slot; a wrong current passphrase is `wrong_passphrase` and changes nothing. */
export async function changePassphrase(
  store: StoreHandle,
  user: StoreUser,
  change: { currentPassphrase: string; newPassphrase: string; kdf?: ScryptParams },
): Promise<void> {
  checkNewProfile(user.username, change.newPassphrase);
  const keyring = readKeyring(store.dir);
  const slot = passphraseSlotOf(keyring, user.username);
  if (slot === undefined) throw new VigilError('not_found', 'this profile has no passphrase slot');
  const rewrapped = await rewrapPassphraseSlot(keyring.storeId, slot, change.currentPassphrase, change.newPassphrase, change.kdf ?? DEFAULT_SCRYPT);
  if (rewrapped === null) throw new VigilError('wrong_passphrase', 'the current passphrase is wrong', 'currentPassphrase');
  const latest = readKeyring(store.dir);
  writeKeyring(store.dir, { ...latest, slots: latest.slots.map((s) => (s.id === slot.id ? rewrapped : s)) });
  appendAudit(store.db, { actor: user.id, action: 'user.passphrase_change', target: `user:${user.id}` });
}

/** "Unlock with my OS account": a slot wrapped by the OS key store (Electron safeStorage). */
export function enableOsUnlock(store: StoreHandle, user: StoreUser, wrapper: KeyWrapper): void {
  const keyring = readKeyring(store.dir);
  const others = keyring.slots.filter((slot) => !(slot.kind === 'os' && slot.username === user.username));
  const slot = createOsSlot(keyring.storeId, user, wrapper, dataKeyOf(store));
  writeKeyring(store.dir, { ...keyring, slots: [...others, slot] });
  appendAudit(store.db, { actor: user.id, action: 'user.os_unlock_enable', target: `user:${user.id}`, after: { backend: wrapper.backend } });
}

export function disableOsUnlock(store: StoreHandle, user: StoreUser): void {
  const keyring = readKeyring(store.dir);
  if (osSlotOf(keyring, user.username) === undefined) return;
  writeKeyring(store.dir, { ...keyring, slots: keyring.slots.filter((slot) => !(slot.kind === 'os' && slot.username === user.username)) });
  appendAudit(store.db, { actor: user.id, action: 'user.os_unlock_disable', target: `user:${user.id}` });
}

/** Re-asks the signed-in person for their passphrase before a grave operation (rekey, restore). */
export async function confirmPassphrase(store: StoreHandle, user: StoreUser, passphrase: string): Promise<void> {
  const keyring = readKeyring(store.dir);
  const slot = passphraseSlotOf(keyring, user.username);
  if (slot === undefined) throw new VigilError('not_found', 'this profile has no passphrase slot');
  const keys = await openPassphraseSlot(keyring.storeId, slot, passphrase);
  if (keys === null) throw new VigilError('wrong_passphrase', 'the passphrase is wrong', 'passphrase');
  keys.current.fill(0);
  keys.next?.fill(0);
}
