import type { Handlers } from '../registry.js';
import type { Services } from '../../services/index.js';
import { appHandlers } from './app.js';
import { sessionHandlers } from './session.js';
import { adminHandlers } from './admin.js';
import { piiHandlers } from './pii.js';
import { caseHandlers } from './cases.js';
import { importHandlers } from './import.js';
import { analysisHandlers } from './analysis.js';

/** Every operation of the contract has exactly one handler here; the type fails the build otherwise. */
export function createHandlers(services: Services): Handlers {
  return {
    ...appHandlers(services),
    ...sessionHandlers(services),
    ...adminHandlers(services),
    ...piiHandlers(services),
    ...caseHandlers(services),
    ...importHandlers(services),
    ...analysisHandlers(services),
  };
}
