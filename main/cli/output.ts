// Results go to stdout, or to the file named by --out (spec/cli.md); progress never goes here.
import { writeFileSync } from 'node:fs';
import { optionalString, type ParsedCommandLine } from './command.js';
import type { CliIo } from './io.js';

export const OUT_OPTION = { out: { type: 'string' } } as const;

export function writeResult(line: ParsedCommandLine, io: CliIo, text: string): void {
  const out = optionalString(line, 'out');
  if (out === undefined) io.stdout.write(text);
  else writeFileSync(out, text);
}
