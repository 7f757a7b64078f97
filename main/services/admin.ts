// Profiles and keys: adding people, changing one's own passphrase, rekeying the store, OS unlock.
import type { Role } from '../../shared/domain/roles.js';
import type { ScryptParams } from '../store/open.js';
import { addProfile, changePassphrase, confirmPassphrase, disableOsUnlock, enableOsUnlock, listProfiles } from '../store/profiles.js';
import { rekeyStore } from '../store/rekey.js';
import type { UserRecord } from '../store/repositories/users.js';
import { VigilError } from '../../shared/errors.js';
import type { SessionService } from './session.js';

export interface UserSummary {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  createdAt: string;
  disabled: boolean;
}

export interface AdminService {
  listUsers(): UserSummary[];
  addUser(input: { username: string; displayName: string; role: Role; passphrase: string }): Promise<UserSummary>;
  changeOwnPassphrase(input: { currentPassphrase: string; newPassphrase: string }): Promise<void>;
  rekey(input: { passphrase: string }): Promise<{ slots: number }>;
  setOsUnlock(input: { enabled: boolean }): void;
}

const summary = (record: UserRecord): UserSummary => ({
  id: record.id,
  username: record.username,
  displayName: record.displayName,
  role: record.role,
  createdAt: record.createdAt,
  disabled: record.disabledAt !== null,
});

export function createAdminService(session: SessionService, options: { kdf?: ScryptParams } = {}): AdminService {
  const kdf = options.kdf === undefined ? {} : { kdf: options.kdf };
  return {
    listUsers: () => listProfiles(session.store()).map(summary),
    async addUser(input) {
      return summary(await addProfile(session.store(), session.requireUser(), { ...input, ...kdf }));
    },
    async changeOwnPassphrase(input) {
      await changePassphrase(session.store(), session.requireUser(), { ...input, ...kdf });
    },
    async rekey(input) {
      const store = session.store();
      const user = session.requireUser();
      await confirmPassphrase(store, user, input.passphrase);
      return rekeyStore(store, user);
    },
    setOsUnlock(input) {
      const store = session.store();
      const user = session.requireUser();
      if (!input.enabled) return disableOsUnlock(store, user);
      if (session.osKeyWrapper === undefined) throw new VigilError('not_found', 'this system offers no OS key store');
      enableOsUnlock(store, user, session.osKeyWrapper);
    },
  };
}
