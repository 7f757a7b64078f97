// Every `vigil` command, one line each; the analysis (analyze, export) and review (bundle) areas add theirs here.
import type { CliCommand } from '../command.js';
import { analyzeCommand } from './analyze.js';
import { demoCommand } from './demo.js';
import { exportCommand } from './export.js';
import { generateCommand } from './generate.js';
import { importCommand } from './import.js';
import { initCommand } from './init.js';
import { verifyCommand } from './verify.js';

export const COMMANDS: readonly CliCommand[] = [
  initCommand,
  importCommand,
  generateCommand,
  demoCommand,
  verifyCommand,
  analyzeCommand,
  exportCommand,
];
