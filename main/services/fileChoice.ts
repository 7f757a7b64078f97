// Files chosen in main's own file dialog. The window asks for a dialog and gets back a one-time
// selection id with base names and sizes; the paths stay here, so a compromised renderer can read
// only what the person picked in the OS dialog, never a path of its own choosing.
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename, isAbsolute } from 'node:path';
import { VigilError } from '../../shared/errors.js';
import { translate, type Language } from '../../shared/i18n/index.js';
import type { ChosenFileView } from '../../shared/ipc/ops/import.js';
import { fileErrorText } from '../fileErrors.js';

/** What the shell's dialog is asked to show: everything already localized, no decisions left to it. */
export interface FileChoiceRequest {
  readonly title: string;
  readonly buttonLabel: string;
  readonly filters: readonly { readonly name: string; readonly extensions: readonly string[] }[];
}

/** Shows the OS dialog and resolves to the chosen absolute paths (empty when the person cancels). */
export type ChooseFiles = (request: FileChoiceRequest) => Promise<readonly string[]>;

export interface FileSelection {
  readonly selectionId: string;
  readonly files: ChosenFileView[];
}

export interface FileChoiceService {
  /** True when the host has a native dialog (the Electron shell, or a test standing in for it). */
  readonly available: boolean;
  /** Shows the dialog for an import by `userId`; null when the person cancels. */
  chooseForImport(userId: string): Promise<FileSelection | null>;
  /** The paths of a selection, spending it: a second call with the same id is refused. */
  take(selectionId: string, userId: string): readonly string[];
  /** Rewrites a service error so that none of these paths reaches the window (only their base names). */
  withoutPaths(error: unknown, paths: readonly string[]): unknown;
}

export const IMPORT_EXTENSIONS = ['jsonl', 'json', 'gz', 'csv'] as const;
/** A selection not used within this time is gone (the person would choose again anyway). */
export const SELECTION_TTL_MS = 15 * 60 * 1000;
const MAX_PENDING_SELECTIONS = 8;
/** The contract's former limit on files per import call. */
export const MAX_CHOSEN_FILES = 100;

interface PendingSelection {
  readonly paths: readonly string[];
  readonly userId: string;
  readonly expiresAt: number;
}

export interface FileChoiceOptions {
  readonly chooseFiles?: ChooseFiles | undefined;
  /** The window's language, for the dialog's title and filter name. */
  readonly language: () => Language;
  readonly now?: () => number;
}

function replaceAll(text: string, paths: readonly string[]): string {
  // Longest first, so a path that contains another is replaced whole.
  return [...paths].sort((a, b) => b.length - a.length).reduce((out, path) => out.split(path).join(basename(path)), text);
}

export function createFileChoiceService(options: FileChoiceOptions): FileChoiceService {
  const chooseFiles = options.chooseFiles;
  const now = options.now ?? Date.now;
  const pending = new Map<string, PendingSelection>();
  let dialogOpen = false;

  const dropExpired = (): void => {
    const t = now();
    for (const [id, selection] of pending) if (selection.expiresAt <= t) pending.delete(id);
  };

  return {
    available: chooseFiles !== undefined,

    async chooseForImport(userId) {
      if (chooseFiles === undefined) throw new VigilError('invalid_input', 'this window has no native file dialog: choose the files with the file input');
      // One dialog at a time: a window that keeps asking cannot stack dialogs on the person.
      if (dialogOpen) throw new VigilError('conflict', 'a file dialog is already open');
      const language = options.language();
      dialogOpen = true;
      let chosen: readonly string[];
      try {
        chosen = await chooseFiles({
          title: translate(language, 'import.dialog.title'),
          buttonLabel: translate(language, 'import.dialog.button'),
          filters: [{ name: translate(language, 'import.dialog.filter'), extensions: [...IMPORT_EXTENSIONS] }],
        });
      } finally {
        dialogOpen = false;
      }
      const paths = [...new Set(chosen)];
      if (paths.length === 0) return null;
      if (paths.length > MAX_CHOSEN_FILES) throw new VigilError('invalid_input', `choose at most ${MAX_CHOSEN_FILES} files at a time (${paths.length} chosen)`);
      const files = paths.map((path): ChosenFileView => {
        const name = basename(path);
        if (!isAbsolute(path)) throw new VigilError('import_failed', `${name}: the dialog returned a relative path`, name);
        try {
          const stat = statSync(path);
          if (!stat.isFile()) throw new VigilError('import_failed', `${name}: not a file`, name);
          return { name, size: stat.size };
        } catch (error) {
          if (error instanceof VigilError) throw error;
          throw new VigilError('import_failed', `${name}: cannot read the file: ${fileErrorText(error)}`, name);
        }
      });
      dropExpired();
      // Only the newest few stay pending: a window cannot pile up selections.
      while (pending.size >= MAX_PENDING_SELECTIONS) {
        const oldest = pending.keys().next().value;
        if (oldest === undefined) break;
        pending.delete(oldest);
      }
      const selectionId = randomBytes(16).toString('base64url');
      pending.set(selectionId, { paths, userId, expiresAt: now() + SELECTION_TTL_MS });
      return { selectionId, files };
    },

    take(selectionId, userId) {
      dropExpired();
      const selection = pending.get(selectionId);
      pending.delete(selectionId);
      if (selection === undefined || selection.userId !== userId) {
        throw new VigilError('invalid_input', 'this file selection is unknown, expired or already used: choose the files again');
      }
      return selection.paths;
    },

    withoutPaths(error, paths) {
      if (!(error instanceof VigilError)) return error;
      const where = error.where === undefined ? undefined : replaceAll(error.where, paths);
      return new VigilError(error.code, replaceAll(error.message, paths), where);
    },
  };
}
