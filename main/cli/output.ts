// Results go to stdout, or to the file named by --out (spec/cli.md); progress never goes here.
import { accessSync, constants, realpathSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { VigilError } from '../../shared/errors.js';
import { optionalString, UsageError, type ParsedCommandLine } from './command.js';
import type { CliIo } from './io.js';
import { fileErrorText } from '../fileErrors.js';

export const OUT_OPTION = { out: { type: 'string' } } as const;

/**
 * A file option (`--out`, `--report`) checked before the command does its work: an analysis or an import
 * must not change the store and then fail because its result has nowhere to go.
 */
export function writableFileOption(line: ParsedCommandLine, name: string): string | undefined {
  const path = optionalString(line, name);
  if (path === undefined) return undefined;
  if (path === '') throw new UsageError(`--${name} needs a file name`);
  const fail = (reason: string): never => {
    throw new VigilError('invalid_input', `cannot write ${path} (--${name}): ${reason}`, path);
  };
  let existing: ReturnType<typeof statSync> | undefined;
  try {
    existing = statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') fail(fileErrorText(error));
  }
  if (existing?.isDirectory() === true) fail('it is a folder');
  const folder = dirname(resolve(path));
  let parent: ReturnType<typeof statSync> | undefined;
  try {
    parent = statSync(folder);
  } catch {
    fail(`there is no folder ${folder}`);
  }
  if (parent?.isDirectory() !== true) fail(`${folder} is not a folder`);
  // The store's own files (its keyring, its database) must never be overwritten by a result.
  const store = optionalString(line, 'store');
  if (store !== undefined && insideFolder(existing === undefined ? join(realpathSync(folder), basename(path)) : realpathSync(path), store)) {
    fail(`it is inside the store folder ${store}: choose a file outside it`);
  }
  try {
    accessSync(existing === undefined ? folder : path, constants.W_OK);
  } catch {
    fail('permission denied');
  }
  return path;
}

/** Whether `file` (a real path) is `folder` or lies under it, following links; false when the folder does not exist. */
function insideFolder(file: string, folder: string): boolean {
  let real: string;
  try {
    real = realpathSync(folder);
  } catch {
    return false;
  }
  return file === real || file.startsWith(real.endsWith(sep) ? real : `${real}${sep}`);
}

/** Writes the result; `saved` says what the command already did when the file then fails (a full disk). */
export function writeResult(line: ParsedCommandLine, io: CliIo, text: string, saved?: string): void {
  const out = optionalString(line, 'out');
  if (out === undefined) {
    io.stdout.write(text);
    return;
  }
  try {
    writeFileSync(out, text);
  } catch (error) {
    const reason = fileErrorText(error);
    throw new VigilError('invalid_input', `cannot write ${out} (--out): ${reason}${saved === undefined ? '' : `; ${saved}`}`, out);
  }
}
