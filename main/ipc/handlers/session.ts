import type { Handlers } from '../registry.js';
import type { Services } from '../../services/index.js';

export function sessionHandlers(services: Services): Pick<Handlers, 'getStoreStatus' | 'createStore' | 'unlock' | 'unlockWithOs' | 'lock' | 'touch'> {
  return {
    getStoreStatus: () => services.session.status(),
    createStore: (input) => services.session.create(input),
    unlock: (input) => services.session.unlock(input),
    unlockWithOs: (input) => services.session.unlockWithOs(input),
    lock: () => services.session.lock('user'),
    touch: () => {
      services.session.touch();
      return {};
    },
  };
}
