import type { Handlers } from '../registry.js';
import type { Services } from '../../services/index.js';

export function sessionHandlers(services: Services): Pick<Handlers, 'getStoreStatus' | 'createStore' | 'unlock' | 'lock' | 'touch'> {
  return {
    getStoreStatus: () => services.session.status(),
    createStore: (input) => services.session.create(input),
    unlock: (input) => services.session.unlock(input),
    lock: () => services.session.lock('user'),
    touch: () => {
      services.session.touch();
      return {};
    },
  };
}
