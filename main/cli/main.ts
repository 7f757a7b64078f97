// `vigil`: parses the command word, runs the command, maps outcomes to exit codes (spec/cli.md):
// 0 success, 1 bad input (reason on stderr), 2 usage errors (with the usage).
import { VigilError } from '../../shared/errors.js';
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE, parseCommandLine, UsageError, type CliCommand } from './command.js';
import { COMMANDS } from './commands/index.js';
import { processIo, type CliIo } from './io.js';

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
    if (error instanceof VigilError) {
      io.stderr.write(`vigil ${command.name}: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    io.stderr.write(`vigil ${command.name}: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_BAD_INPUT;
  }
}
