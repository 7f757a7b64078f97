import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID, createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openPlainDatabase } from '../../main/store/database.js';
import { databasePath } from '../../main/store/open.js';
import { appendAudit } from '../../main/store/audit.js';
import { importFiles } from '../../main/services/import.js';
import { createTempStore, type TempStore } from '../support/store.js';

const PLANTED = ['欧阳建华', '110105199001011234', '13812345678'];

const temps: TempStore[] = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.cleanup();
});

function plantedFoundIn(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const bytes = readFileSync(join(dir, name));
    for (const secret of PLANTED) {
      for (const encoding of ['utf8', 'utf16le'] as const) {
        if (bytes.includes(Buffer.from(secret, encoding))) found.push(`${name}: ${secret} (${encoding})`);
      }
    }
  }
  return found;
}

function plantRows(temp: TempStore, rows: number): void {
  const { db } = temp.store;
  const now = new Date().toISOString();
  const insertCase = db.prepare('INSERT INTO cases (id, application_id, applicant_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
  const insertNote = db.prepare('INSERT INTO case_notes (id, case_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?)');
  const insertAttachment = db.prepare(
    'INSERT INTO case_attachments (id, case_id, file_name, media_type, size_bytes, sha256, content, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (let i = 0; i < rows; i += 1) {
      const caseId = randomUUID();
      insertCase.run(caseId, `app-${caseId}`, `ap-${i}`, now, now);
      const body = `申请人 ${PLANTED[0]} 身份证 ${PLANTED[1]} 手机 ${PLANTED[2]} (#${i})`;
      insertNote.run(randomUUID(), caseId, temp.user.id, body, now);
      const content = Buffer.from(body);
      insertAttachment.run(randomUUID(), caseId, `${PLANTED[0]}.txt`, 'text/plain', content.length, createHash('sha256').update(content).digest('hex'), content, temp.user.id, now);
      appendAudit(db, { actor: temp.user.id, action: 'case.note', target: `case:${caseId}`, after: { preview: body } });
    }
  })();
}

describe('encryption at rest', () => {
  it('leaves no planted name, ID number or phone in any byte of the store folder, WAL and SHM included', async () => {
    const temp = await createTempStore({ fastKdf: true });
    temps.push(temp);
    plantRows(temp, 300);
    // While open, the rows sit in the WAL (not yet checkpointed): that file must be ciphertext too.
    const files = readdirSync(temp.dir);
    expect(files).toEqual(expect.arrayContaining(['vigil.db', 'vigil.db-wal', 'vigil.db-shm', 'keyring.json']));
    expect(statSync(join(temp.dir, 'vigil.db-wal')).size).toBeGreaterThan(100_000);
    expect(plantedFoundIn(temp.dir)).toEqual([]);

    // And through the real import path into the records tables (002_records), as applicants arrive.
    const applicants = Array.from({ length: 200 }, (_, i) =>
      JSON.stringify({ type: 'applicant', id: `ap-${i}`, name: PLANTED[0], id_number: PLANTED[1], phone: PLANTED[2], employer: `${PLANTED[0]}的公司` }),
    );
    await importFiles(temp.store, [{ name: 'applicants.jsonl', bytes: Buffer.from(`${applicants.join('\n')}\n`) }]);
    expect(temp.store.db.prepare('SELECT count(*) FROM applicants WHERE id_number = ?').pluck().get(PLANTED[1])).toBe(200);
    expect(plantedFoundIn(temp.dir)).toEqual([]);

    temp.store.db.pragma('wal_checkpoint(TRUNCATE)');
    plantRows(temp, 20);
    expect(plantedFoundIn(temp.dir)).toEqual([]);
    temp.store.close();
    expect(plantedFoundIn(temp.dir)).toEqual([]);
  });

  it('the same search finds the planted strings in a plaintext database (the check can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-plain-'));
    try {
      const plain = openPlainDatabase(join(dir, 'plain.db'));
      plain.pragma('journal_mode = WAL');
      plain.exec('CREATE TABLE notes (body TEXT)');
      plain.prepare('INSERT INTO notes VALUES (?)').run(PLANTED.join(' '));
      expect(plantedFoundIn(dir).length).toBeGreaterThanOrEqual(PLANTED.length);
      plain.close();
    } finally {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  });

  it('the planted strings are really in the store (the search above can find them when decrypted)', async () => {
    const temp = await createTempStore({ fastKdf: true });
    temps.push(temp);
    plantRows(temp, 1);
    const body = temp.store.db.prepare('SELECT body FROM case_notes').pluck().get() as string;
    for (const secret of PLANTED) expect(body).toContain(secret);
  });

  it('cannot be opened by plain SQLite without the key', async () => {
    const temp = await createTempStore({ fastKdf: true });
    temps.push(temp);
    plantRows(temp, 5);
    temp.store.close();
    const plain = openPlainDatabase(databasePath(temp.dir), { readonly: true, fileMustExist: true });
    try {
      expect(() => plain.prepare('SELECT count(*) FROM case_notes').get()).toThrow(/not a database/);
    } finally {
      plain.close();
    }
    expect(readFileSync(databasePath(temp.dir)).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\u0000');
  });
});
