// Linking observations of one physical device into a device identity. A pair matches on a shared
// hardware ID, or on enough agreeing fingerprint hashes over compatible hardware; identities are the
// connected components of matching pairs (union-find). Candidate pairs come from blocking keys
// (IDs and hashes), so cost grows with observations, not with their square.
import { fnv1a32, shortId } from '../common/hash.js';
import { UnionFind } from '../common/unionFind.js';
import { FINGERPRINT_HASH_KINDS, HARDWARE_ID_KINDS, type DeviceProfile } from './normalise.js';

/** Evidence weights (log-likelihood-like points). Tuned on generated drifted populations; see test/eval. */
export const MATCH_WEIGHTS = {
  threshold: 7,
  idAgree: 12,
  idConflict: -3,
  // Fonts follow the OS version and language pack: shared by every phone of a model, weak evidence.
  hashAgree: { canvas: 4, webgl: 3, audio: 3, fonts: 1 },
  hashConflict: { canvas: -1, webgl: -1, audio: -1.5, fonts: -0.5 },
  modelAgree: 1,
  gpuAgree: 1,
  gpuConflict: -6,
  coresConflict: -4,
  memoryConflict: -3,
  screenAgree: 1,
  screenConflict: -4,
  userAgentAgree: 1,
  ipAgree: 1,
  timezoneAgree: 0.3,
  languageAgree: 0.2,
  sensorsAgree: 0.3,
} as const;

/**
 * A blocking value shared by more observations than this is common (a model's default rendering, an
 * emulator image's constant ID): it proposes no candidates. Every other block is compared in full.
 */
export const COMMON_BLOCK = 64;
/** Fingerprint hashes distinctive enough to block on (fonts follow the OS and language: too common). */
export const BLOCKING_HASH_KINDS = ['canvas', 'webgl', 'audio'] as const;

/** The operating-system family an observation runs, from the platform or else the UA. */
export function osFamily(p: DeviceProfile): string | null {
  if (p.platform === 'android' || p.platform === 'ios') return p.platform;
  const os = p.agent?.osName ?? '';
  if (os === '') return null;
  if (os === 'ios' || os === 'ipados') return 'ios';
  if (os === 'android' || os === 'harmonyos') return 'android';
  return os;
}

function relativeDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(a, b, 1);
}

/**
 * Match evidence for two observations; -Infinity when they cannot be one device (different OS
 * family or hardware model). `why`, when given, collects the contributing parts for explanations.
 */
export function matchScore(a: DeviceProfile, b: DeviceProfile, why?: string[]): number {
  const W = MATCH_WEIGHTS;
  const osA = osFamily(a);
  const osB = osFamily(b);
  if (osA !== null && osB !== null && osA !== osB) {
    why?.push(`os ${osA}≠${osB}`);
    return Number.NEGATIVE_INFINITY;
  }
  if (a.model !== null && b.model !== null && a.model !== b.model) {
    why?.push(`model ${a.model}≠${b.model}`);
    return Number.NEGATIVE_INFINITY;
  }
  let score = 0;
  const note = (points: number, text: string): void => {
    score += points;
    why?.push(`${points > 0 ? '+' : ''}${points} ${text}`);
  };
  let conflicts = 0;
  for (const kind of HARDWARE_ID_KINDS) {
    const va = a.ids[kind];
    const vb = b.ids[kind];
    if (va === undefined || vb === undefined) continue;
    if (va === vb) note(W.idAgree, `${kind} equal`);
    else if (conflicts++ < 2) note(W.idConflict, `${kind} differs`);
  }
  for (const kind of FINGERPRINT_HASH_KINDS) {
    const va = a.hashes[kind];
    const vb = b.hashes[kind];
    if (va === undefined || vb === undefined) continue;
    if (va === vb) note(W.hashAgree[kind], `${kind} hash equal`);
    else note(W.hashConflict[kind], `${kind} hash differs`);
  }
  if (a.model !== null && a.model === b.model) note(W.modelAgree, 'model equal');
  if (a.gpu !== null && b.gpu !== null) {
    if (a.gpu === b.gpu) note(W.gpuAgree, 'gpu equal');
    else note(W.gpuConflict, `gpu ${a.gpu}≠${b.gpu}`);
  }
  if (a.cores !== null && b.cores !== null && a.cores !== b.cores) note(W.coresConflict, `cores ${a.cores}≠${b.cores}`);
  if (a.memoryGb !== null && b.memoryGb !== null && a.memoryGb !== b.memoryGb) note(W.memoryConflict, `memory ${a.memoryGb}≠${b.memoryGb}`);
  if (a.screenLong !== null && b.screenLong !== null && a.screenShort !== null && b.screenShort !== null) {
    // Display scaling rounds CSS pixels, so physical sizes agree only to a few percent.
    if (relativeDiff(a.screenLong, b.screenLong) <= 0.03 && relativeDiff(a.screenShort, b.screenShort) <= 0.03) note(W.screenAgree, 'screen equal');
    else note(W.screenConflict, `screen ${a.screenShort}x${a.screenLong}≠${b.screenShort}x${b.screenLong}`);
  }
  if (a.userAgent !== null && a.userAgent === b.userAgent) note(W.userAgentAgree, 'user agent equal');
  if (a.ip !== null && a.ip === b.ip) note(W.ipAgree, 'ip equal');
  if (a.timezone !== null && a.timezone === b.timezone) note(W.timezoneAgree, 'timezone equal');
  if (a.languages.length > 0 && a.languages[0] === b.languages[0]) note(W.languageAgree, 'language equal');
  if (a.sensors !== null && b.sensors !== null && a.sensors.length > 0 && a.sensors.join(',') === b.sensors.join(',')) note(W.sensorsAgree, 'sensors equal');
  return score;
}

export function isMatch(a: DeviceProfile, b: DeviceProfile): boolean {
  return matchScore(a, b) >= MATCH_WEIGHTS.threshold;
}

/**
 * Keys every matching pair shares at least one of: without an equal hardware ID or an equal canvas,
 * WebGL or audio hash, the remaining evidence (model, GPU, screen, UA, IP, fonts...) stays under the
 * threshold, so a pair sharing none of these keys can never match.
 */
export function blockKeys(p: DeviceProfile): string[] {
  const keys: string[] = [];
  for (const kind of HARDWARE_ID_KINDS) {
    const v = p.ids[kind];
    if (v !== undefined) keys.push(`i:${kind}:${v}`);
  }
  for (const kind of BLOCKING_HASH_KINDS) {
    const v = p.hashes[kind];
    if (v !== undefined) keys.push(`h:${kind}:${v}`);
  }
  return keys;
}

export interface LinkResult {
  /** For each input profile, the index of its identity's anchor (earliest observation). */
  readonly anchorOf: Int32Array;
  readonly comparisons: number;
  readonly blocks: number;
  readonly largestBlock: number;
  /** Blocks over COMMON_BLOCK, which proposed no candidates. */
  readonly skippedBlocks: number;
}

function earlier(a: DeviceProfile, b: DeviceProfile): boolean {
  return a.observedAtMs < b.observedAtMs || (a.observedAtMs === b.observedAtMs && a.observationId < b.observationId);
}

/**
 * Links profiles into identities. `seed` pairs (indices known to be one device, e.g. from stored
 * identities in an incremental run) are unioned first and never split. Pairs are compared within
 * blocks (profiles sharing a key); blocks larger than COMMON_BLOCK are skipped.
 */
export function linkProfiles(
  profiles: readonly DeviceProfile[],
  seed?: readonly (readonly [number, number])[],
  /** Keys known to be common store-wide (an incremental run sees only part of their block). */
  isCommon?: (key: string) => boolean,
): LinkResult {
  const n = profiles.length;
  if (n >= 1 << 22) throw new RangeError('linkProfiles handles at most 4,194,304 observations per call');
  const uf = new UnionFind(n);
  if (seed !== undefined) for (const [x, y] of seed) uf.union(x, y);

  // Pack (31-bit key hash, 22-bit index) into one exact double and sort natively: blocks without a Map.
  // Union-find's components do not depend on the order pairs are compared in, so no other order is needed.
  const RANK_SPACE = 1 << 22;
  const maxKeys = HARDWARE_ID_KINDS.length + BLOCKING_HASH_KINDS.length;
  const packedAll = new Float64Array(n * maxKeys);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const p = profiles[i] as DeviceProfile;
    for (const kind of HARDWARE_ID_KINDS) {
      const v = p.ids[kind];
      if (v === undefined) continue;
      const key = `i:${kind}:${v}`;
      if (isCommon !== undefined && isCommon(key)) continue;
      packedAll[total++] = (fnv1a32(key) >>> 1) * RANK_SPACE + i;
    }
    for (const kind of BLOCKING_HASH_KINDS) {
      const v = p.hashes[kind];
      if (v === undefined) continue;
      const key = `h:${kind}:${v}`;
      if (isCommon !== undefined && isCommon(key)) continue;
      packedAll[total++] = (fnv1a32(key) >>> 1) * RANK_SPACE + i;
    }
  }
  const packed = packedAll.subarray(0, total);
  packed.sort();

  let comparisons = 0;
  let skippedBlocks = 0;
  let blocks = 0;
  let largestBlock = 0;
  const members: number[] = [];
  const compareBlock = (): void => {
    const m = members.length;
    if (m < 2) return;
    if (m > COMMON_BLOCK) {
      skippedBlocks++;
      return;
    }
    blocks++;
    if (m > largestBlock) largestBlock = m;
    for (let x = 0; x < m; x++) {
      const ix = members[x] as number;
      const px = profiles[ix] as DeviceProfile;
      for (let y = x + 1; y < m; y++) {
        const iy = members[y] as number;
        if (uf.same(ix, iy)) continue;
        comparisons++;
        if (matchScore(px, profiles[iy] as DeviceProfile) >= MATCH_WEIGHTS.threshold) uf.union(ix, iy);
      }
    }
  };
  let currentKey = -1;
  for (let k = 0; k < total; k++) {
    const v = packed[k] as number;
    const key = Math.floor(v / RANK_SPACE);
    const idx = v - key * RANK_SPACE;
    if (key !== currentKey) {
      compareBlock();
      members.length = 0;
      currentKey = key;
    }
    // A profile can land twice in one block when two of its keys collide; once is enough.
    if (members[members.length - 1] !== idx) members.push(idx);
  }
  compareBlock();

  const anchorOfRoot = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const root = uf.find(i);
    const current = anchorOfRoot[root] as number;
    if (current === -1 || earlier(profiles[i] as DeviceProfile, profiles[current] as DeviceProfile)) anchorOfRoot[root] = i;
  }
  const anchorOf = new Int32Array(n);
  for (let i = 0; i < n; i++) anchorOf[i] = anchorOfRoot[uf.find(i)] as number;
  return { anchorOf, comparisons, blocks, largestBlock, skippedBlocks };
}

/** The public id of a device identity, derived from its anchor observation so full and incremental runs agree. */
export function deviceIdFor(anchorObservationId: string): string {
  return shortId('D', anchorObservationId);
}

/** The FingerprintJS-style baseline: one exact hash over every attribute; any drift makes a new device. */
export function exactFingerprint(p: DeviceProfile): string {
  return [
    p.platform, p.userAgent ?? '', p.model ?? '', p.manufacturer ?? '', p.gpuRendererRaw ?? '', p.cores ?? '', p.memoryGb ?? '',
    p.screenLong ?? '', p.screenShort ?? '', p.dpr ?? '', p.timezone ?? '', p.languages.join(','),
    ...HARDWARE_ID_KINDS.map((k) => p.ids[k] ?? ''), ...FINGERPRINT_HASH_KINDS.map((k) => p.hashes[k] ?? ''),
    (p.sensors ?? []).join(','),
  ].join('|');
}

/** A stored blocking key: short, and collisions only cost an extra comparison. */
export function blockKeyDigest(key: string): string {
  return `${fnv1a32(key).toString(36)}.${fnv1a32(`\u0001${key}`).toString(36)}`;
}
