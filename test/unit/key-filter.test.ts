import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyFilter } from '../../main/store/keyFilter.js';

const digest = (i: number): string => createHmac('sha256', 'test').update(String(i)).digest('hex').slice(0, 24);

describe('the key filter (a blocked Bloom filter)', () => {
  it('never says absent for an added key, and rarely says present for another at half its capacity', () => {
    const filter = KeyFilter.sizedFor(40_000);
    for (let i = 0; i < 20_000; i++) filter.add(digest(i));
    for (let i = 0; i < 20_000; i++) expect(filter.mayHold(digest(i))).toBe(true);
    let falsePositives = 0;
    for (let i = 1_000_000; i < 1_050_000; i++) if (filter.mayHold(digest(i))) falsePositives++;
    expect(falsePositives / 50_000).toBeLessThan(0.005);
    expect(filter.items).toBeGreaterThan(19_900);
    expect(filter.full).toBe(false);
  });

  it('round-trips through its stored bytes, and reports when it is over capacity', () => {
    const filter = KeyFilter.sizedFor(1000);
    expect(filter.capacity).toBe(65_536);
    expect(filter.dirty).toBe(true);
    filter.add('i:imei:86001');
    const copy = KeyFilter.fromBytes(filter.bytes(), filter.items);
    expect(copy.dirty).toBe(false);
    expect(copy.mayHold('i:imei:86001')).toBe(true);
    expect(copy.mayHold('i:imei:86002')).toBe(false);
    copy.add('i:imei:86001');
    expect(copy.dirty).toBe(false);
    copy.add('i:imei:86002');
    expect(copy.dirty).toBe(true);
    const small = KeyFilter.sizedFor(0);
    for (let i = 0; i < 2 * small.capacity; i++) small.add(digest(i));
    expect(small.full).toBe(true);
    expect(() => KeyFilter.fromBytes(new Uint8Array(100), 0)).toThrow(/64-byte blocks/);
  });
});
