// The window shows each rejected line's reason in the reader's language. Every kind of reason the import
// words is produced here by a real import into a real store, then read in zh-CN: none may stay English.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_LENGTH } from '../../main/interchange/lines.js';
import { importFiles, type ImportSummary } from '../../main/services/import.js';
import { localiseRejection } from '../../shared/interchange/rejectionText.js';
import { storeWorkspace } from '../support/store.js';

const { store, file } = storeWorkspace('vigil-rejection-text-');
const line = (value: Record<string, unknown>): string => JSON.stringify(value);
const applicant = (id: string, extra: Record<string, unknown> = {}): string => line({ type: 'applicant', id, name: '张伟', id_number: '11010519491231002X', phone: '13812345678', ...extra });

/** English words of the import's grammar: a Chinese reason that still holds one was not translated. */
const ENGLISH = /\b(expected|got|must|required|record|line|file|valid|the|is|not|has|than|unknown|refers|characters?|items?|header|cell|quoted|closed|truncated|skipped|form|allowed|object|string|number|array)\b/i;

/** The reason with its data taken out: the field path before the colon, quoted values, and what Node or zlib said in brackets. */
function wordsOf(zh: string): string {
  return zh.replace(/^[\w.[\]]+：/, '').replace(/"[^"]*"/g, '').replace(/（(unexpected end of file|Unexpected[^）]*)）/g, '');
}

async function rejected(files: { name: string; content: string | Buffer }[]): Promise<string[]> {
  const s = await store();
  const summary: ImportSummary = await importFiles(s.store, files.map((f) => ({ path: file(f.name, f.content) })));
  return summary.rejected.map((r) => r.message);
}

describe('rejected lines read in zh-CN', () => {
  it('translates every reason the import gives, keeping paths and values as data', async () => {
    const jsonl = [
      line({ type: 'applicant', id: 'A1', name: '张伟', id_number: '11010519491231002X' }),
      applicant('A2', { declared_income_monthly: 'high' }),
      line({ type: 'loan', id: 'L1' }),
      line({ type: 'application', id: 'AP1', applicant_id: 'A9', submitted_at: '2026-03-14 09:26' }),
      '{"type": "applicant", "id": ',
      '[1, 2]',
      line({ id: 'X' }),
      applicant('A3', { name: '' }),
      applicant('A4', { id_number: '123' }),
      applicant('A5', { emergency_contacts: [{ name: '李娜', phone: 13800000000 }] }),
      applicant('A6', { declared_income_monthly: -5 }),
      line({ type: 'bank_card', id: 'C1', applicant_id: 'A2', card_hash: 'x', bin: '12' }),
      line({ type: 'pf_record', id: 'PF1', applicant_id: 'A2', city: '北京市', employer: '某公司', account_hash: 'a', first_month: '2021/01' }),
      line({ type: 'application', id: 'AP2', applicant_id: 'A404', submitted_at: '2026-03-14T09:26:53+08:00' }),
      `{"type":"applicant","id":"A7","name":"${'长'.repeat(MAX_LINE_LENGTH)}"}`,
      applicant('A10', { name: '长'.repeat(300) }),
    ].join('\n');
    const csv = ['id,name,id_number,phone', 'A8,王芳,11010519491231002X,13812345678,extra', 'A9,"王芳', ''].join('\n');
    const gz = gzipSync(Buffer.from(Array.from({ length: 3000 }, (_, i) => applicant(`G${i}`)).join('\n')));
    const messages = [
      ...(await rejected([{ name: 'mixed.jsonl', content: jsonl }])),
      ...(await rejected([{ name: 'applicant.csv', content: csv }])),
      ...(await rejected([{ name: 'cut.jsonl.gz', content: gz.subarray(0, Math.floor(gz.length / 2)) }])),
      ...(await rejected([{ name: 'gbk.jsonl', content: Buffer.concat([Buffer.from('{"type":"applicant","id":"B1","name":"'), Buffer.from([0xd5, 0xc5]), Buffer.from('"}\n')]) }])),
      ...(await rejected([{ name: 'people.csv', content: 'id,name\nA1,x\n' }])),
      ...(await rejected([{ name: 'applicant.csv', content: 'id,id\nA1,x\n' }])),
      ...(await rejected([{ name: 'applicant.csv', content: 'id,name,id_number,phone,emergency_contacts\nA1,王芳,11010519491231002X,13812345678,[{\n' }])),
      ...(await rejected([{ name: 'applicant.csv', content: 'type,id,name,id_number,phone\napplication,A1,王芳,11010519491231002X,13812345678\n' }])),
    ];
    expect(messages.length).toBe(24);
    for (const message of messages) {
      const zh = localiseRejection('zh-CN', message);
      expect({ message, zh, english: ENGLISH.exec(wordsOf(zh))?.[0] ?? null }).toMatchObject({ english: null });
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      expect(localiseRejection('en', message)).toBe(message);
    }
    // The field path and the values are the file's own: they stay as written.
    expect(localiseRejection('zh-CN', 'applicant.declared_income_monthly: expected number, got "high"')).toBe('applicant.declared_income_monthly：应为数字，实为"high"');
    expect(localiseRejection('zh-CN', 'application.applicant_id: refers to unknown applicant "A404"')).toBe('application.applicant_id：引用了不存在的 applicant "A404"');
  });

  it('leaves a reason outside the grammar as the import wrote it', () => {
    expect(localiseRejection('zh-CN', 'something new went wrong')).toBe('something new went wrong');
  });
});
