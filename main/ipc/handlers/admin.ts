import type { Handlers } from '../registry.js';
import type { Services } from '../../services/index.js';

type AdminOperation =
  | 'listUsers'
  | 'addUser'
  | 'changePassphrase'
  | 'setOsUnlock'
  | 'setIdleLockMinutes'
  | 'rekeyStore'
  | 'backupStore'
  | 'restoreStore'
  | 'verifyStore'
  | 'listAudit';

export function adminHandlers(services: Services): Pick<Handlers, AdminOperation> {
  return {
    listUsers: () => services.admin.listUsers(),
    addUser: (input) => services.admin.addUser(input),
    changePassphrase: async (input) => {
      await services.admin.changeOwnPassphrase(input);
      return {};
    },
    setOsUnlock: (input) => {
      services.admin.setOsUnlock(input);
      return {};
    },
    setIdleLockMinutes: (input) => services.session.setIdleLockMinutes(input.minutes),
    rekeyStore: (input) => services.admin.rekey(input),
    backupStore: (input) => services.backup.backup(input),
    restoreStore: (input) => services.backup.restore(input),
    verifyStore: () => services.audit.verify(),
    listAudit: (input) => services.audit.page(input),
  };
}
