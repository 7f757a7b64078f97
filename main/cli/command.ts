// What a `vigil` command is: a name, its usage line, its options, and a run that returns the exit code
// (0 success, 1 bad input, 2 usage; spec/cli.md). One file per command in ./commands.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CliIo } from './io.js';

export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_USAGE = 2;

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

export interface ParsedCommandLine {
  readonly values: Record<string, string | boolean | string[] | undefined>;
  readonly positionals: string[];
}

export interface CliCommand {
  /** The first word after `vigil` (`import`, `export`...). */
  readonly name: string;
  /** `vigil import FILE... --store DIR [--strict]`: shown on usage errors and in --help. */
  readonly usage: string;
  readonly summary: string;
  readonly options: OptionSpecs;
  /** How many positionals the command takes. */
  readonly positionals: { readonly min: number; readonly max: number };
  run(line: ParsedCommandLine, io: CliIo): Promise<number>;
}

/** Wrong arguments: the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseCommandLine(command: CliCommand, args: readonly string[]): ParsedCommandLine {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const { positionals } = parsed;
  if (positionals.length < command.positionals.min) throw new UsageError(`${command.name} needs ${command.positionals.min === 1 ? 'an argument' : `${command.positionals.min} arguments`}`);
  if (positionals.length > command.positionals.max) throw new UsageError(`unexpected argument "${positionals[command.positionals.max] ?? ''}"`);
  return { values: parsed.values as ParsedCommandLine['values'], positionals };
}

export function requiredString(line: ParsedCommandLine, name: string): string {
  const value = line.values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

export function optionalString(line: ParsedCommandLine, name: string): string | undefined {
  const value = line.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function positiveInteger(line: ParsedCommandLine, name: string, fallback?: number): number {
  const value = line.values[name];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--${name} must be a positive whole number`);
  return Number(value);
}
