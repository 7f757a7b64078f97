// `npm run security`: Electronegativity over the project. Fails on any finding of medium severity or
// above that is not on the reviewed allow-list, and on allow-list entries that no longer match anything
// (a stale justification is as misleading as a missing one).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

interface Finding {
  id: string;
  file: string;
  location: { line: number; column: number };
  sample?: string;
  description: string;
  manualReview?: boolean;
  severity: { value: number; name: string };
  confidence: { value: number; name: string };
}
interface AllowEntry {
  check: string;
  file: string;
  /** The flagged source text must contain this, so a moved or rewritten line is reviewed again. */
  contains: string;
  justification: string;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
type Runner = (options: Record<string, unknown>) => Promise<{ issues: Finding[]; errors: { file: string; message: string; tolerable: boolean }[] }>;
const run = require('@doyensec/electronegativity') as Runner;

const MEDIUM = 2; // Electronegativity's scale: INFORMATIONAL 0, LOW 1, MEDIUM 2, HIGH 3.

export async function securityScan(): Promise<number> {
  const allowList = JSON.parse(readFileSync(`${root}main/tools/security-allowlist.json`, 'utf8')) as AllowEntry[];
  for (const entry of allowList) {
    if (entry.justification.trim().length < 40) throw new Error(`allow-list entry ${entry.check} ${entry.file} needs a real justification`);
  }
  const electronVersion = (JSON.parse(readFileSync(`${root}node_modules/electron/package.json`, 'utf8')) as { version: string }).version;
  const silence = console.log;
  console.log = () => undefined; // the library prints translation warnings; the report below says what matters
  let result: Awaited<ReturnType<Runner>>;
  try {
    result = await run({
      input: root,
      isRelative: true,
      isSarif: false,
      customScan: [],
      severitySet: 'informational',
      confidenceSet: 'tentative',
      electronVersionOverride: electronVersion,
      parserPlugins: [],
    });
  } finally {
    console.log = silence;
  }
  const scanned = result.issues.filter((issue) => !issue.file.startsWith('node_modules') && !issue.file.startsWith('test'));
  const used = new Set<AllowEntry>();
  let failures = 0;
  for (const issue of scanned) {
    const where = `${issue.id} ${issue.file}:${issue.location.line}`;
    const entry = allowList.find((candidate) => candidate.check === issue.id && candidate.file === issue.file && (issue.sample ?? '').includes(candidate.contains));
    if (issue.severity.value < MEDIUM) {
      console.log(`note  ${where} (${issue.severity.name}): ${issue.description}`);
    } else if (entry !== undefined && issue.manualReview === true) {
      used.add(entry);
      console.log(`reviewed  ${where}: ${entry.justification}`);
    } else if (entry !== undefined) {
      failures += 1;
      console.log(`FAIL  ${where} (${issue.severity.name}): on the allow-list, but only Review Required findings may be allowed: fix it`);
    } else {
      failures += 1;
      console.log(`FAIL  ${where} (${issue.severity.name}, ${issue.confidence.name}): ${issue.description}${issue.manualReview === true ? ' [Review Required: review it and record a justification in main/tools/security-allowlist.json]' : ''}`);
    }
  }
  for (const entry of allowList) {
    if (!used.has(entry)) {
      failures += 1;
      console.log(`FAIL  stale allow-list entry ${entry.check} ${entry.file} ("${entry.contains}"): it matches no finding any more; remove it`);
    }
  }
  const parseErrors = result.errors.filter((error) => !error.tolerable && !error.file.includes('node_modules'));
  for (const error of parseErrors) {
    failures += 1;
    console.log(`FAIL  could not parse ${error.file}: ${error.message} (an unparsed file is an unscanned file)`);
  }
  console.log(`electronegativity: ${scanned.length} findings, ${used.size} reviewed, ${failures} failing (Electron ${electronVersion})`);
  return failures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = (await securityScan()) > 0 ? 1 : 0;
}
