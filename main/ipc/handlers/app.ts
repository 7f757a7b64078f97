import type { Handlers } from '../registry.js';
import type { Services } from '../../services/index.js';

export function appHandlers(services: Services): Pick<Handlers, 'getAppInfo' | 'getPreferences' | 'setPreferences'> {
  return {
    getAppInfo: () => services.appInfo,
    getPreferences: () => services.preferences.get(),
    setPreferences: (input) => services.preferences.update(input),
  };
}
