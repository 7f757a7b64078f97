import type { Handlers } from '../registry.js';
import type { Services } from '../../services/index.js';

export function importHandlers(services: Services): Pick<Handlers, 'importFiles' | 'importFileContents' | 'cancelImport' | 'getImportReport'> {
  return {
    importFiles: (input) => services.importer.importPaths(input),
    importFileContents: (input) => services.importer.importContents(input),
    cancelImport: (input) => services.importer.cancel(input.taskId),
    getImportReport: (input) => services.importer.report(input.batchId),
  };
}
