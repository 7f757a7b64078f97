#!/usr/bin/env node
// The `vigil` bin: runs the TypeScript command line under tsx, so the repo needs no build step for it.
import { register } from 'tsx/esm/api';

register();
// A reader that stops early (`vigil export devices ... | head`) closes the pipe: stop writing quietly.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
});
const { runCli } = await import('./main.ts');
process.exitCode = await runCli(process.argv.slice(2));
