// A Bloom filter over the keys of a large index, kept beside it in the store, so a lookup that would
// find nothing is answered without reading the index. In a 100,000-applicant store nearly every new
// applicant's phone, card or device-hardware key is held by nobody else, and learning that from the
// index meant decrypting one cold leaf page per key: about 10,000 random pages per incremental run.
//
// Blocked layout: each item sets K bits inside one 512-bit block (one cache line), so a lookup costs one
// block read. "Absent" is always true; "maybe present" is wrong for about 2% of absent items at capacity
// (8 bits per item) and 0.2% at half of it, where a rebuild puts it. Items are never removed: a deleted
// key only sends its lookups down the exact path, and the filter is rebuilt from the index when it fills.

const BLOCK_WORDS = 16; // 16 x 32 bits = 512 bits
const K = 6;
/** Filter bytes per item of capacity: 8 bits per item. */
export const BYTES_PER_ITEM = 1;
const MIN_CAPACITY = 1 << 16;

/** FNV-1a, 32-bit: picks the block. */
function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A second, independent 32-bit hash of the same text (FNV-1a over a salted input would correlate). */
function mix32(text: string): number {
  let h = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class KeyFilter {
  private readonly words: Uint32Array;
  private readonly blocks: number;
  private itemCount: number;
  private changed: boolean;

  private constructor(words: Uint32Array, items: number, stored: boolean) {
    this.words = words;
    this.blocks = words.length / BLOCK_WORDS;
    this.itemCount = items;
    this.changed = !stored;
  }

  /** An empty filter for at least `items` items. */
  static sizedFor(items: number): KeyFilter {
    const blocks = Math.ceil((Math.max(MIN_CAPACITY, items) * BYTES_PER_ITEM) / (BLOCK_WORDS * 4));
    return new KeyFilter(new Uint32Array(blocks * BLOCK_WORDS), 0, false);
  }

  /** A filter as stored: its bits and how many distinct items it was told about. */
  static fromBytes(bits: Uint8Array, items: number): KeyFilter {
    if (bits.byteLength === 0 || bits.byteLength % (BLOCK_WORDS * 4) !== 0) throw new Error(`a key filter of ${bits.byteLength} bytes is not a whole number of 64-byte blocks`);
    const copy = new Uint8Array(bits.byteLength);
    copy.set(bits);
    return new KeyFilter(new Uint32Array(copy.buffer), items, true);
  }

  /** Items it holds at its designed false-positive rate; past it the filter should be rebuilt larger. */
  get capacity(): number {
    return (this.words.length * 4) / BYTES_PER_ITEM;
  }
  get items(): number {
    return this.itemCount;
  }
  /** Whether it differs from what is stored: new, or added to since it was read. */
  get dirty(): boolean {
    return this.changed;
  }
  get full(): boolean {
    return this.itemCount > this.capacity;
  }

  /** It now equals what is stored. */
  markSaved(): void {
    this.changed = false;
  }

  bytes(): Buffer {
    return Buffer.from(this.words.buffer, this.words.byteOffset, this.words.byteLength);
  }

  /** False: certainly never added. True: probably added. */
  mayHold(item: string): boolean {
    const base = (fnv1a32(item) % this.blocks) * BLOCK_WORDS;
    const h = mix32(item);
    // Double hashing inside the block: K distinct bit positions (an odd step over 512 never repeats).
    const a = h & 511;
    const b = ((h >>> 9) & 511) | 1;
    for (let i = 0; i < K; i++) {
      const bit = (a + i * b) & 511;
      if ((((this.words[base + (bit >>> 5)] as number) >>> (bit & 31)) & 1) === 0) return false;
    }
    return true;
  }

  add(item: string): void {
    const base = (fnv1a32(item) % this.blocks) * BLOCK_WORDS;
    const h = mix32(item);
    const a = h & 511;
    const b = ((h >>> 9) & 511) | 1;
    let fresh = false;
    for (let i = 0; i < K; i++) {
      const bit = (a + i * b) & 511;
      const w = base + (bit >>> 5);
      const mask = 1 << (bit & 31);
      if (((this.words[w] as number) & mask) === 0) {
        this.words[w] = (this.words[w] as number) | mask;
        fresh = true;
      }
    }
    if (fresh) {
      this.itemCount++;
      this.changed = true;
    }
  }
}
