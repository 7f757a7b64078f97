// Where the package's own files are (package.json, resources/): found by walking up from this module,
// so it is right from the sources (main/...), from the bundle (dist/main/main.mjs) and inside an asar.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

export function projectRoot(): string {
  if (cached !== null) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'vigil') {
      cached = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("Vigil's package.json was not found above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** A file under resources/ (rule sets, reference tables, sample cases). */
export function resourcePath(...segments: string[]): string {
  return join(projectRoot(), 'resources', ...segments);
}
