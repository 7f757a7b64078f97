import { describe, expect, it } from 'vitest';
import { openPlainDatabase } from '../../main/store/database.js';
import { MIGRATIONS } from '../../main/store/migrations/index.js';
import { applyMigrations } from '../../main/store/migrations/runner.js';
import { AnalysisRepository } from '../../main/store/repositories/analysis.js';
import { valueDigester } from '../../main/services/analyze.js';
import { keyedValueHasher } from '../../main/analysis/common/hash.js';

describe('identifier digests', () => {
  it('keep one digester per store between runs, and a new one when the store\'s key changes', () => {
    const db = openPlainDatabase(':memory:');
    applyMigrations(db, MIGRATIONS);
    const repo = new AnalysisRepository(db);
    const first = valueDigester(repo);
    expect(valueDigester(repo)).toBe(first);
    const phone = first('phone:13800138000');
    expect(phone).toMatch(/^[0-9a-f]{24}$/);
    expect(first('phone:13800138000')).toBe(phone);
    repo.setState('value_key', '11'.repeat(32));
    const next = valueDigester(repo);
    expect(next).not.toBe(first);
    expect(next('phone:13800138000')).not.toBe(phone);
    // Another store (another repository) never shares a digester.
    const other = openPlainDatabase(':memory:');
    applyMigrations(other, MIGRATIONS);
    expect(valueDigester(new AnalysisRepository(other))('phone:13800138000')).not.toBe(phone);
  });

  it('stay the same digests as the stores already hold (HMAC-SHA256 of kind, NUL, value; 24 hex digits)', () => {
    // Stored link keys are these digests: a change in how they are computed would orphan every one of them.
    const key = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex');
    expect(keyedValueHasher(key)('link', 'phone:13800138000')).toBe('932d4ce05650304b5f18e624');
    expect(keyedValueHasher('vigil')('link', '张三')).toBe('c20feb9a2a95ed5b946d0ce3');
  });
});
