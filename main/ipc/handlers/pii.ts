import type { Handlers } from '../registry.js';
import type { Services } from '../../services/index.js';

export function piiHandlers(services: Services): Pick<Handlers, 'revealPii'> {
  return {
    revealPii: (input) => services.pii.reveal(input),
  };
}
