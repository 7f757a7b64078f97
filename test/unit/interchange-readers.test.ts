import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_LINE_LENGTH } from '../../main/interchange/lines.js';
import { openInterchangeReader, type ReadItem } from '../../main/interchange/read.js';
import { fileSource, memorySource, type ImportSource } from '../../main/interchange/source.js';
import { VigilError } from '../../shared/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }));

const applicant = (id: string): string => JSON.stringify({ type: 'applicant', id, name: '张伟', id_number: '11010519491231002X', phone: '13812345678' });

async function readAll(source: ImportSource, csvType?: 'applicant'): Promise<ReadItem[]> {
  const reader = openInterchangeReader(source, csvType === undefined ? {} : { csvType });
  const items: ReadItem[] = [];
  try {
    for await (const batch of reader.batches) items.push(...batch);
  } finally {
    reader.close();
  }
  return items;
}
const summary = (items: ReadItem[]): string[] => items.map((i) => (i.kind === 'record' ? `${i.line} ${i.type} ${String((i.record as { id?: string }).id)}` : `${i.line} ${i.message}`));

describe('JSONL reader', () => {
  it('drops a UTF-8 byte order mark and accepts CRLF line ends', async () => {
    const bytes = Buffer.from(`\ufeff${applicant('A1')}\r\n${applicant('A2')}\r\n`);
    expect(summary(await readAll(memorySource('bom-crlf.jsonl', bytes)))).toEqual(['1 applicant A1', '2 applicant A2']);
  });

  it('keeps counting physical lines across blank lines and rejects a line that is not JSON', async () => {
    const bytes = Buffer.from(`${applicant('A1')}\n\n{"type":"applicant",\n${applicant('A2')}`);
    expect(summary(await readAll(memorySource('bad.jsonl', bytes)))).toEqual([
      '1 applicant A1',
      expect.stringMatching(/^3 record: not valid JSON \(.+\)$/) as unknown as string,
      '4 applicant A2',
    ]);
  });

  it('rejects a 10 MB line with its length and the limit, and reads on after it', async () => {
    const huge = JSON.stringify({ type: 'applicant', id: 'BIG', name: 'x', id_number: '11010519491231002X', phone: '1', blob: 'x'.repeat(10 * 1024 * 1024) });
    const path = join(dir, 'huge.jsonl');
    writeFileSync(path, `${applicant('A1')}\n${huge}\n${applicant('A3')}\n`);
    const items = summary(await readAll(fileSource(path)));
    expect(items).toEqual(['1 applicant A1', `2 record: line is ${huge.length} characters long, over the ${MAX_LINE_LENGTH}-character limit; skipped`, '3 applicant A3']);
  });

  it('reads gzip by its magic bytes, whatever the file is called', async () => {
    const bytes = gzipSync(Buffer.from(`${applicant('A1')}\n${applicant('A2')}\n`));
    expect(summary(await readAll(memorySource('export.jsonl.gz', bytes)))).toEqual(['1 applicant A1', '2 applicant A2']);
    expect(summary(await readAll(memorySource('renamed.jsonl', bytes)))).toEqual(['1 applicant A1', '2 applicant A2']);
  });

  it('fails a truncated gzip file with its name and the line reached, after yielding the lines before', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => applicant(`A${i + 1}`)).join('\n');
    const gz = gzipSync(Buffer.from(lines));
    const path = join(dir, 'cut.jsonl.gz');
    writeFileSync(path, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const reader = openInterchangeReader(fileSource(path));
    let read = 0;
    let failure: unknown = null;
    try {
      for await (const batch of reader.batches) read += batch.length;
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(VigilError);
    expect((failure as VigilError).message).toBe(`cut.jsonl.gz:${read + 1}: the file ends unexpectedly after line ${read} (unexpected end of file): it is truncated or corrupt; the records before it were read`);
    expect(read).toBeGreaterThan(100);
    expect(read).toBeLessThan(3000);
  });

  it('reads a file of records larger than one chunk line by line', async () => {
    const path = join(dir, 'many.jsonl');
    writeFileSync(path, Array.from({ length: 5000 }, (_, i) => applicant(`A${i}`)).join('\n'));
    const items = await readAll(fileSource(path));
    expect(items).toHaveLength(5000);
    expect(items.every((i, n) => i.kind === 'record' && i.line === n + 1)).toBe(true);
  });
});

describe('CSV reader', () => {
  const fixture = readFileSync(new URL('../fixtures/interchange/applicant.csv', import.meta.url));

  it('takes the record type from the file name and builds nested fields, JSON arrays and numbers', async () => {
    const items = await readAll(memorySource('applicant.csv', fixture));
    expect(items[0]).toMatchObject({
      kind: 'record',
      line: 2,
      record: {
        type: 'applicant',
        id: 'A2',
        name: '王, 芳',
        address: { province: '北京市', city: '北京市' },
        emergency_contacts: [{ name: '王强', phone: '13600003333', relation: '父亲' }],
        declared_income_monthly: 8000,
        loyalty_tier: 'gold',
      },
    });
    // A quoted line break keeps the record on the line where it starts; empty cells are absent fields.
    expect(items[1]).toMatchObject({ kind: 'record', line: 3, record: { id: 'A3', name: '李\n明', phone: '021-5555' } });
    expect(items[1]?.kind === 'record' && 'address' in items[1].record).toBe(false);
  });

  it('uses --type when the name does not say, and refuses a file whose type it cannot tell', async () => {
    expect(await readAll(memorySource('export-2026.csv', fixture), 'applicant')).toHaveLength(2);
    expect(() => openInterchangeReader(memorySource('export-2026.csv', fixture))).toThrow(
      'export-2026.csv: cannot tell which record type this CSV file holds; name it <type>.csv (e.g. applicant.csv) or pass --type',
    );
  });

  it('rejects rows with the wrong number of fields, bad JSON cells and wrong types, by line', async () => {
    const csv = 'id,name,id_number,phone,emergency_contacts,declared_income_monthly\r\nA1,张伟,11010519491231002X,13812345678,,lots\r\nA2,张伟,11010519491231002X\r\nA3,张伟,11010519491231002X,13812345678,[{oops,\r\n';
    expect(summary(await readAll(memorySource('applicant.csv', Buffer.from(`\ufeff${csv}`))))).toEqual([
      '2 applicant.declared_income_monthly: expected number, got "lots"',
      '3 record: has 3 fields, the header has 6',
      '4 applicant.emergency_contacts: the cell is not valid JSON',
    ]);
  });

  it('rejects a row that is not UTF-8 by line, and keeps a real replacement character in a file without bad bytes', async () => {
    const gbk = Buffer.from([0xd5, 0xc5, 0xce, 0xb0]);
    const bytes = Buffer.concat([
      Buffer.from('id,name,id_number,phone\nA1,'), gbk, Buffer.from(',11010519491231002X,13812345678\nA2,张\uFFFD,11010519491231002X,13812345678\n'),
    ]);
    // A real U+FFFD read in the same piece as bad bytes cannot be told from them: that row is refused too.
    expect(summary(await readAll(memorySource('applicant.csv', bytes)))).toEqual(['2 record: not valid UTF-8 (the file must be UTF-8 encoded)', '3 record: not valid UTF-8 (the file must be UTF-8 encoded)']);
    // A file that ends in the middle of a character: its last row is not UTF-8 either.
    const cut = Buffer.concat([Buffer.from('id,name,id_number,phone\nA4,11010519491231002X,13812345678,'), Buffer.from([0xe5, 0xbc])]);
    expect(summary(await readAll(memorySource('applicant.csv', cut)))).toEqual(['2 record: not valid UTF-8 (the file must be UTF-8 encoded)']);
    // Without bad bytes, a real U+FFFD passes.
    const good = Buffer.from('id,name,id_number,phone\nA3,张\uFFFD,11010519491231002X,13812345678\n');
    expect(summary(await readAll(memorySource('applicant.csv', good)))).toEqual(['2 applicant A3']);
  });

  it('reports a quoted field left open at the end of the file', async () => {
    const csv = 'id,name,id_number,phone\nA1,"unterminated,11010519491231002X,13812345678\n';
    expect(summary(await readAll(memorySource('applicant.csv', Buffer.from(csv))))).toEqual(['2 record: a quoted field is never closed before the end of the file']);
  });
});
