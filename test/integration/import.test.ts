import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { writePopulation } from '../../main/generator/write.js';
import { MAX_LINE_LENGTH } from '../../main/interchange/lines.js';
import { createRecordsRepository, RECORD_TABLES } from '../../main/store/repositories/records.js';
import { verifyStore } from '../../main/store/verify.js';
import { formatRejection, importFiles, renderRejectionReport, type ImportSummary } from '../../main/services/import.js';
import { RECORD_KEY } from '../../shared/interchange/references.js';
import type { RecordType } from '../../shared/interchange/schema.js';
import { dumpRecords, recordCounts } from '../support/import-dump.js';
import { storeWorkspace, type TempStore } from '../support/store.js';

const { dir: work, store, file } = storeWorkspace('vigil-import-');
const fixture = new URL('../fixtures/interchange/all-types.jsonl', import.meta.url);
const line = (value: Record<string, unknown>): string => JSON.stringify(value);
const applicant = (id: string, extra: Record<string, unknown> = {}): string => line({ type: 'applicant', id, name: '张伟', id_number: '11010519491231002X', phone: '13812345678', ...extra });
const application = (id: string, applicantId: string, extra: Record<string, unknown> = {}): string => line({ type: 'application', id, applicant_id: applicantId, submitted_at: '2026-03-14T09:26:53.589+08:00', ...extra });
const messages = (summary: ImportSummary): string[] => summary.rejected.map(formatRejection);

/** After any import the store is sound: integrity, schema, audit chain, and no reference points nowhere. */
function expectConsistent(s: TempStore): void {
  expect(verifyStore(s.store)).toMatchObject({ ok: true, problems: [] });
  const dangling = s.store.db
    .prepare(`SELECT count(*) AS n FROM events e WHERE NOT EXISTS (SELECT 1 FROM applications a WHERE a.id = e.application_id)`)
    .get() as { n: number };
  expect(dangling.n).toBe(0);
}

describe('importing interchange files', () => {
  it('round-trips every record type with its unknown fields', async () => {
    const s = await store();
    const summary = await importFiles(s.store, [{ path: fixture.pathname }]);
    expect(summary).toMatchObject({ status: 'completed', rejectedTotal: 0, totals: { inserted: 11, updated: 0, unchanged: 0 } });
    const repository = createRecordsRepository(s.store.db);
    const lines = readFileSync(fixture, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(new Set(lines.map((l) => l['type']))).toEqual(new Set(Object.keys(RECORD_TABLES)));
    for (const original of lines) {
      const type = original['type'] as RecordType;
      const stored = repository.get(type, String(original[RECORD_KEY[type]]));
      expect(stored?.record).toEqual(original);
    }
    expect(repository.get('applicant', 'A1')?.record['crm_segment']).toBe('vip');
    expectConsistent(s);
  });

  it('rejects a line that is not JSON and imports the rest', async () => {
    const s = await store();
    const summary = await importFiles(s.store, [{ path: file('bad-json.jsonl', `${applicant('A1')}\n{"type":"applicant","id":\n${applicant('A2')}\n`) }]);
    expect(messages(summary)).toEqual([expect.stringMatching(/^bad-json\.jsonl:2: record: not valid JSON \(.+\)$/)]);
    expect(recordCounts(s.store.db)['applicant']).toBe(2);
    expectConsistent(s);
  });

  it('rejects a missing required field, a wrong type, an unknown type and a bad timestamp with file:line: type.field', async () => {
    const s = await store();
    const content = [
      line({ type: 'applicant', id: 'A1', name: '张伟', id_number: '11010519491231002X' }),
      applicant('A2', { declared_income_monthly: 'high' }),
      line({ type: 'loan', id: 'L1' }),
      application('AP1', 'A3', { submitted_at: '2026-03-14 09:26' }),
      applicant('A3'),
    ].join('\n');
    const summary = await importFiles(s.store, [{ path: file('mixed.jsonl', content) }]);
    expect(messages(summary)).toEqual([
      'mixed.jsonl:1: applicant.phone: is required',
      'mixed.jsonl:2: applicant.declared_income_monthly: expected number, got "high"',
      'mixed.jsonl:3: record.type: unknown type "loan"; expected one of applicant, application, device, event, bank_card, pf_record, bureau, decision, appeal, label',
      'mixed.jsonl:4: application.submitted_at: expected an ISO 8601 timestamp with offset',
    ]);
    expect(recordCounts(s.store.db)).toMatchObject({ applicant: 1, application: 0 });
    expectConsistent(s);
  });

  it('accepts references to records later in the import and rejects dangling ones at the end', async () => {
    const s = await store();
    const first = file('first.jsonl', [application('AP1', 'A1'), application('AP2', 'NOPE'), line({ type: 'event', id: 'E1', application_id: 'AP2', ts: '2026-03-14T09:27:00+08:00', kind: 'login' })].join('\n'));
    const second = file('second.jsonl', applicant('A1'));
    const summary = await importFiles(s.store, [{ path: first }, { path: second }]);
    expect(messages(summary)).toEqual(['first.jsonl:2: application.applicant_id: refers to unknown applicant "NOPE"', 'first.jsonl:3: event.application_id: refers to unknown application "AP2"']);
    expect(summary.counts.application).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    expect(recordCounts(s.store.db)).toMatchObject({ applicant: 1, application: 1, event: 0 });
    expectConsistent(s);
  });

  it('reports a truncated gzip file at the line reached and keeps the records before it', async () => {
    const s = await store();
    const body = Array.from({ length: 4000 }, (_, i) => applicant(`A${i}`)).join('\n');
    const gz = gzipSync(Buffer.from(body));
    const summary = await importFiles(s.store, [{ path: file('cut.jsonl.gz', gz.subarray(0, Math.floor(gz.length / 2))) }]);
    const kept = recordCounts(s.store.db)['applicant'] ?? 0;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(4000);
    expect(messages(summary)).toEqual([`cut.jsonl.gz:${kept + 1}: the file ends unexpectedly after line ${kept} (unexpected end of file): it is truncated or corrupt; the records before it were read`]);
    expectConsistent(s);
  });

  it('says in words why a file cannot be read, and stores nothing', async () => {
    const s = await store();
    const gone = join(work, 'gone.jsonl');
    await expect(importFiles(s.store, [{ path: gone }])).rejects.toMatchObject({ code: 'import_failed', message: `${gone}: cannot read the file: no such file or folder` });
    await expect(importFiles(s.store, [{ path: work }])).rejects.toMatchObject({ message: `${work}: cannot read the file: it is a folder` });
    expect(Object.values(recordCounts(s.store.db)).every((n) => n === 0)).toBe(true);
  });

  it('imports a file with a byte order mark and CRLF line ends like any other', async () => {
    const s = await store();
    const summary = await importFiles(s.store, [{ path: file('windows.jsonl', `\ufeff${applicant('A1')}\r\n${application('AP1', 'A1')}\r\n`) }]);
    expect(summary).toMatchObject({ rejectedTotal: 0, totals: { inserted: 2 } });
    expect(createRecordsRepository(s.store.db).get('applicant', 'A1')?.record['name']).toBe('张伟');
  });

  it('rejects a line that is not UTF-8 with file:line, and keeps a real replacement character', async () => {
    const s = await store();
    const path = join(work, 'latin1.jsonl');
    const bad = Buffer.concat([Buffer.from('{"type":"applicant","id":"A2","name":"'), Buffer.from([0xd5, 0xc5, 0xce, 0xb0]), Buffer.from('","id_number":"11010519491231002X","phone":"13812345679"}')]);
    writeFileSync(path, Buffer.concat([Buffer.from(`${applicant('A1')}\n`), bad, Buffer.from(`\n${applicant('A3', { name: '张\uFFFD' })}\n`)]));
    const summary = await importFiles(s.store, [{ path }]);
    expect(messages(summary)).toEqual(['latin1.jsonl:2: record: not valid UTF-8 (the file must be UTF-8 encoded)']);
    expect(summary.totals.inserted).toBe(2);
    const stored = createRecordsRepository(s.store.db).get('applicant', 'A3');
    expect(stored?.record['name']).toBe('张\uFFFD');
    expectConsistent(s);
  });

  it('skips a 10 MB line with a clear message and imports the lines around it', async () => {
    const s = await store();
    const huge = applicant('BIG', { note: 'x'.repeat(10 * 1024 * 1024) });
    const summary = await importFiles(s.store, [{ path: file('huge.jsonl', `${applicant('A1')}\n${huge}\n${applicant('A2')}\n`) }]);
    expect(messages(summary)).toEqual([`huge.jsonl:2: record: line is ${huge.length} characters long, over the ${MAX_LINE_LENGTH}-character limit; skipped`]);
    expect(recordCounts(s.store.db)['applicant']).toBe(2);
    expectConsistent(s);
  });

  it('leaves the store byte for byte the same when the same file is imported twice', async () => {
    const s = await store();
    const population = writePopulation(join(work, 'pop-idem'), { applicants: 150, seed: 'idem' });
    const first = await importFiles(s.store, [{ path: population.populationPath }], { batchSize: 700 });
    const before = dumpRecords(s.store.db, 'full');
    const seq = createRecordsRepository(s.store.db).currentChangeSeq();
    const second = await importFiles(s.store, [{ path: population.populationPath }], { batchSize: 700 });
    expect(first.totals.inserted).toBe(population.records);
    expect(second.totals).toEqual({ inserted: 0, updated: 0, unchanged: population.records });
    expect(dumpRecords(s.store.db, 'full')).toBe(before);
    expect(createRecordsRepository(s.store.db).currentChangeSeq()).toBe(seq);
  });

  it('replaces a record only when its content differs, and marks it changed', async () => {
    const s = await store();
    await importFiles(s.store, [{ path: file('v1.jsonl', `${applicant('A1')}\n${applicant('A2')}\n`) }]);
    const repository = createRecordsRepository(s.store.db);
    const a2Before = repository.get('applicant', 'A2');
    const summary = await importFiles(s.store, [{ path: file('v2.jsonl', `${applicant('A1', { phone: '021-1234' })}\n${applicant('A2')}\n`) }]);
    expect(summary.counts.applicant).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
    expect(repository.get('applicant', 'A1')).toMatchObject({ record: { phone: '021-1234' }, findings: [{ code: 'phone_format_invalid', field: 'phone' }], batchId: summary.batchId });
    expect(repository.get('applicant', 'A2')).toEqual(a2Before);
    expect(repository.get('applicant', 'A1')?.changeSeq).toBeGreaterThan(a2Before?.changeSeq ?? Infinity);
    // The same content written another way (keys in another order, spaces, an escaped character) is no change.
    const a1 = repository.get('applicant', 'A1');
    const rewritten = '{ "phone": "021-1234", "id_number": "11010519491231002X", "name": "\\u5f20\\u4f1f", "id": "A1", "type": "applicant" }';
    const again = await importFiles(s.store, [{ path: file('v3.jsonl', `${rewritten}\n`) }]);
    expect(again.counts.applicant).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    expect(repository.get('applicant', 'A1')).toEqual(a1);
  });

  it('stores failed domain checks as findings on the record, not rejections', async () => {
    const s = await store();
    const csv = new URL('../fixtures/interchange/applicant.csv', import.meta.url).pathname;
    const jsonl = file('young.jsonl', [application('AP9', 'A2', { submitted_at: '2026-03-14T09:00:00+08:00' }), applicant('KID', { id_number: '110105201203140012' }), application('AP10', 'KID')].join('\n'));
    const summary = await importFiles(s.store, [{ path: csv }, { path: jsonl }]);
    expect(summary.rejectedTotal).toBe(0);
    const repository = createRecordsRepository(s.store.db);
    expect(repository.findings('applicant', 'A3').map((f) => f.code)).toEqual(['id_checksum_invalid', 'phone_format_invalid']);
    expect(repository.findings('application', 'AP10')).toEqual([{ code: 'applicant_age_implausible', field: 'applicant_id', detail: 'the applicant was 14 at submission (expected 16-100)' }]);
    expect(repository.findings('application', 'AP9')).toEqual([]);
    expect(summary.findings).toBe(repository.findingsCount());
  });

  it('stops at the first rejected line with --strict, keeping what came before', async () => {
    const s = await store();
    const summary = await importFiles(s.store, [{ path: file('strict.jsonl', [applicant('A1'), '{oops', applicant('A2')].join('\n')) }], { strict: true });
    expect(summary).toMatchObject({ status: 'failed', stopped: true, rejectedTotal: 1 });
    expect(summary.message).toBe('import stopped at the first rejected line (--strict): 1 records committed before it stay in the store');
    expect(recordCounts(s.store.db)['applicant']).toBe(1);
    expectConsistent(s);
  });

  it('cancels between transactions, says what stayed, and a re-import completes it', async () => {
    const s = await store();
    const population = writePopulation(join(work, 'pop-cancel'), { applicants: 120, seed: 'cancel' });
    const controller = new AbortController();
    const summary = await importFiles(s.store, [{ path: population.populationPath }], { batchSize: 300, signal: controller.signal, onCommit: () => controller.abort() });
    expect(summary.cancelled).toBe(true);
    const committed = Object.values(recordCounts(s.store.db)).reduce((a, b) => a + b, 0);
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThan(population.records);
    expect(summary.message).toBe(`import cancelled: ${committed} records committed before it stay in the store; import the same files again to finish (unchanged records are skipped)`);
    const resumed = await importFiles(s.store, [{ path: population.populationPath }]);
    expect(resumed.totals.unchanged).toBe(committed);
    const fresh = await store();
    await importFiles(fresh.store, [{ path: population.populationPath }]);
    expect(dumpRecords(s.store.db, 'content')).toBe(dumpRecords(fresh.store.db, 'content'));
  });

  it('gives an import the store refuses halfway its own error, keeps the store sound, and records the batch as failed', async () => {
    const s = await store();
    await importFiles(s.store, [{ path: file('before.jsonl', applicant('A0')) }]);
    const before = dumpRecords(s.store.db, 'content');
    // A write the store refuses (as a full disk would): the import's error says so, and nothing half-written stays.
    s.store.db.exec("CREATE TEMP TRIGGER refuse_applicants BEFORE INSERT ON applicants BEGIN SELECT RAISE(ABORT, 'applicant write refused'); END");
    await expect(importFiles(s.store, [{ path: file('refused.jsonl', [applicant('A1'), application('P1', 'A1')].join('\n')) }])).rejects.toThrow('applicant write refused');
    expect(s.store.db.inTransaction).toBe(false);
    expect(dumpRecords(s.store.db, 'content')).toBe(before);
    expect(createRecordsRepository(s.store.db).latestBatch()).toMatchObject({ status: 'failed', summary: { error: 'applicant write refused' } });
    // Even when the store refuses the failure row as well, the caller gets the import's own error.
    s.store.db.exec("CREATE TEMP TRIGGER refuse_failed_batches BEFORE UPDATE ON import_batches WHEN NEW.status = 'failed' BEGIN SELECT RAISE(ABORT, 'batch row refused'); END");
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await expect(importFiles(s.store, [{ path: file('refused-again.jsonl', applicant('A2')) }])).rejects.toThrow('applicant write refused');
      expect(logged).toHaveBeenCalledWith('[vigil] could not record the failed import: batch row refused');
    } finally {
      logged.mockRestore();
    }
    s.store.db.exec('DROP TRIGGER temp.refuse_applicants');
    s.store.db.exec('DROP TRIGGER temp.refuse_failed_batches');
    expect(await importFiles(s.store, [{ path: file('after.jsonl', applicant('A3')) }])).toMatchObject({ status: 'completed', totals: { inserted: 1 } });
    expectConsistent(s);
  });

  it('names a file it cannot read as a whole by its name alone, with no line number', async () => {
    const s = await store();
    const summary = await importFiles(s.store, [{ path: file('people.csv', 'id,name\nA1,x\n') }, { path: file('ok.jsonl', applicant('A1')) }]);
    expect(messages(summary)).toEqual(['people.csv: cannot tell which record type this CSV file holds; name it <type>.csv (e.g. applicant.csv) or pass --type']);
    expect(summary.totals.inserted).toBe(1);
  });

  it('keeps the rejected-lines report in the store', async () => {
    const s = await store();
    const summary = await importFiles(s.store, [{ path: file('report.jsonl', ['{', applicant('A1'), line({ type: 'applicant', id: 'A2' })].join('\n')) }]);
    const stored = createRecordsRepository(s.store.db).rejections(summary.batchId);
    expect(renderRejectionReport(stored)).toBe(renderRejectionReport(summary.rejected));
    expect(stored.map((r) => r.line)).toEqual([1, 3]);
    expect(createRecordsRepository(s.store.db).batch(summary.batchId)).toMatchObject({ status: 'completed', files: ['report.jsonl'] });
  });
});
