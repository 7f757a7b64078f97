#!/usr/bin/env node
// The `vigil` bin: runs the TypeScript command line under tsx, so the repo needs no build step for it.
import { register } from 'tsx/esm/api';

register();
const { fileErrorText } = await import('../fileErrors.ts');
// A reader that stops early (`vigil export devices ... | head`) closes the pipe: stop writing quietly.
// Any other failure to write the results (a full disk behind `>`) is said in words, with exit code 1.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') return;
  process.stderr.write(`vigil: cannot write the results to standard output: ${fileErrorText(error)}\n`);
  process.exit(1);
});
const { runCli } = await import('./main.ts');
process.exitCode = await runCli(process.argv.slice(2));
