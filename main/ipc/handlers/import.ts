import { VigilError } from '../../../shared/errors.js';
import type { CallContext, Handlers } from '../registry.js';
import type { Services } from '../../services/index.js';

type ImportOps = 'chooseImportFiles' | 'importChosenFiles' | 'importFileContents' | 'cancelImport' | 'getImportReport';

function userOf(context: CallContext): string {
  // The registry lets only signed-in callers through to these handlers.
  if (context.user === null) throw new VigilError('locked', 'the store is locked: unlock it first');
  return context.user.id;
}

export function importHandlers(services: Services): Pick<Handlers, ImportOps> {
  return {
    chooseImportFiles: (_input, context) => services.fileChoice.chooseForImport(userOf(context)),
    async importChosenFiles(input, context) {
      const { selectionId, ...options } = input;
      const paths = services.fileChoice.take(selectionId, userOf(context));
      try {
        return await services.importer.importPaths({ ...options, paths });
      } catch (error) {
        // A file gone since the dialog: say which by name, never by its folder.
        throw services.fileChoice.withoutPaths(error, paths);
      }
    },
    importFileContents: (input) => services.importer.importContents(input),
    cancelImport: (input) => services.importer.cancel(input.taskId),
    getImportReport: (input) => services.importer.report(input.batchId),
  };
}
