// The command line's contact with the terminal: stdout for results, stderr for progress and errors,
// the passphrase from VIGIL_PASSPHRASE or a prompt that does not echo (never from an argument).
import { VigilError } from '../../shared/errors.js';

export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  readonly env: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

export const PASSPHRASE_ENV = 'VIGIL_PASSPHRASE';

/** Reads one line from the terminal without echoing it. */
function promptHidden(io: CliIo, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const { stdin } = io;
    io.stderr.write(prompt);
    stdin.setRawMode?.(true);
    stdin.resume();
    let value = '';
    const done = (error: Error | null): void => {
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      io.stderr.write('\n');
      if (error !== null) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003') return done(new VigilError('cancelled', 'cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The store passphrase: the environment variable, or a prompt (twice when creating a store). */
export async function readPassphrase(io: CliIo, options: { confirm: boolean }): Promise<string> {
  const fromEnv = io.env[PASSPHRASE_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (io.stdin.isTTY !== true) {
    throw new VigilError('invalid_input', `no passphrase: set ${PASSPHRASE_ENV} or run vigil in a terminal to be asked for it`);
  }
  const first = await promptHidden(io, options.confirm ? 'New store passphrase: ' : 'Passphrase: ');
  if (!options.confirm) return first;
  const second = await promptHidden(io, 'Repeat the passphrase: ');
  if (first !== second) throw new VigilError('invalid_input', 'the two passphrases differ');
  return first;
}

/** Progress on stderr: a redrawn bar on a terminal, a plain line every few seconds otherwise. */
export class ProgressReporter {
  private lastPlain = -Infinity;
  private drawn = false;
  constructor(private readonly io: CliIo, private readonly label: string) {}

  update(done: number, total: number | null, detail: string): void {
    const { stderr } = this.io;
    if (stderr.isTTY === true) {
      const width = 28;
      const fraction = total !== null && total > 0 ? Math.min(1, done / total) : null;
      const bar = fraction === null ? '' : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '-')}] ${String(Math.floor(fraction * 100)).padStart(3)}% `;
      const line = `${this.label} ${bar}${detail}`;
      // A terminal that reports no width (0: some CI pseudo-terminals) gets the default one.
      const columns = stderr.columns !== undefined && stderr.columns > 0 ? stderr.columns : 100;
      stderr.write(`\r${line.slice(0, columns - 1).padEnd(Math.min(99, columns - 1))}`);
      this.drawn = true;
      return;
    }
    const now = performance.now();
    if (now - this.lastPlain < 2_000) return;
    this.lastPlain = now;
    stderr.write(`${this.label}: ${detail}\n`);
  }

  finish(detail: string): void {
    if (this.drawn) this.io.stderr.write('\r\u001b[2K');
    this.io.stderr.write(`${this.label}: ${detail}\n`);
  }
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
