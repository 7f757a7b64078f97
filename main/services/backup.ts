// Backup and restore as use cases: backup runs on the open store; restore locks first (the store is
// replaced underneath), and the person unlocks the restored store with a passphrase valid at backup time.
import { isAbsolute } from 'node:path';
import { VigilError } from '../../shared/errors.js';
import { backupStore, restoreStore, type BackupResult, type RestoreResult } from '../store/backup.js';
import { confirmPassphrase } from '../store/profiles.js';
import type { SessionService } from './session.js';

export interface BackupService {
  backup(input: { path: string }): BackupResult;
  restore(input: { path: string; passphrase: string; backupUsername: string; backupPassphrase: string }): Promise<RestoreResult>;
}

function requireAbsolute(path: string): void {
  if (!isAbsolute(path)) throw new VigilError('invalid_input', 'give the full path of the backup file', 'path');
}

export function createBackupService(session: SessionService): BackupService {
  return {
    backup(input) {
      requireAbsolute(input.path);
      return backupStore(session.store(), input.path, session.requireUser());
    },
    async restore(input) {
      requireAbsolute(input.path);
      await confirmPassphrase(session.store(), session.requireUser(), input.passphrase);
      session.lock('user');
      await session.whenLockSettled();
      return restoreStore(session.storeDir, input.path, { username: input.backupUsername, passphrase: input.backupPassphrase });
    },
  };
}
