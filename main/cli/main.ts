// `vigil`: parses the command word, runs the command, maps outcomes to exit codes (spec/cli.md):
// 0 success, 1 bad input (reason on stderr), 2 usage errors (with the usage).
import { VigilError } from '../../shared/errors.js';
import { storeBusyError } from '../store/busy.js';
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE, parseCommandLine, UsageError, type CliCommand } from './command.js';
import { COMMANDS } from './commands/index.js';
import { processIo, type CliIo } from './io.js';
import { fileErrorReason } from '../fileErrors.js';

/** A file the command could not read or write (a path Node names, a reason we can say in words). */
function fileError(error: unknown): VigilError | null {
  const reason = fileErrorReason(error);
  const path = error instanceof Error ? (error as NodeJS.ErrnoException).path : undefined;
  if (reason === null || path === undefined) return null;
  return new VigilError('invalid_input', `cannot use ${path}: ${reason}`, path);
}

export function usageText(commands: readonly CliCommand[] = COMMANDS): string {
  return [
    'usage: vigil <command> [options]',
    '',
    ...commands.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]),
    '',
    'The store passphrase comes from VIGIL_PASSPHRASE or a prompt, never from an argument.',
    'Exit codes: 0 success, 1 bad input, 2 usage error.',
    '',
  ].join('\n');
}

export async function runCli(args: readonly string[], io: CliIo = processIo(), commands: readonly CliCommand[] = COMMANDS): Promise<number> {
  const [name, ...rest] = args;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usageText(commands));
    return EXIT_OK;
  }
  if (name === undefined) {
    io.stderr.write(`vigil: a command is required\n\n${usageText(commands)}`);
    return EXIT_USAGE;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    io.stderr.write(`vigil: unknown command "${name}"\n\n${usageText(commands)}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`usage: ${command.usage}\n  ${command.summary}\n`);
    return EXIT_OK;
  }
  try {
    const line = parseCommandLine(command, rest);
    return await command.run(line, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`vigil ${command.name}: ${error.message}\nusage: ${command.usage}\n`);
      return EXIT_USAGE;
    }
    const known = error instanceof VigilError ? error : storeBusyError(error) ?? fileError(error);
    if (known !== null) {
      io.stderr.write(`vigil ${command.name}: ${known.message}\n`);
      return EXIT_BAD_INPUT;
    }
    io.stderr.write(`vigil ${command.name}: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_BAD_INPUT;
  }
}
