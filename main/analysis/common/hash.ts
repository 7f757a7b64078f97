// Hashing for two different needs: a fast non-cryptographic hash for blocking keys (collisions only
// cost extra comparisons) and a keyed digest for identifier values that leave the engine (exports, UI).
import { createHmac, createSecretKey } from 'node:crypto';

/** FNV-1a, 32-bit. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Turns identifier values (phones, cards, addresses) into stable digests that cannot be reversed without the key. */
export type ValueHasher = (kind: string, value: string) => string;

/** Digests a hasher remembers (about 20 MB at most); past it the cache starts again. */
const HASHER_CACHE = 131_072;

export function keyedValueHasher(key: string | Buffer): ValueHasher {
  const cache = new Map<string, string>();
  // A KeyObject is prepared once; a raw key would be copied and checked again for every digest.
  const secret = createSecretKey(typeof key === 'string' ? Buffer.from(key, 'utf8') : key);
  return (kind, value) => {
    const k = `${kind}\u0000${value}`;
    let digest = cache.get(k);
    if (digest === undefined) {
      digest = createHmac('sha256', secret).update(k).digest('hex').slice(0, 24);
      if (cache.size >= HASHER_CACHE) cache.clear();
      cache.set(k, digest);
    }
    return digest;
  };
}

/** A short stable id derived from a string (device identity ids, ring ids). */
export function shortId(prefix: string, seed: string): string {
  return `${prefix}${createHmac('sha256', 'vigil-id').update(seed).digest('base64url').slice(0, 12)}`;
}
