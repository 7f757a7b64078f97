import { describe, expect, it } from 'vitest';
import { createFileChoiceService, SELECTION_TTL_MS } from '../../main/services/fileChoice.js';

const csv = new URL('../fixtures/interchange/applicant.csv', import.meta.url).pathname;

describe('file choice', () => {
  it('forgets a selection after its time is up', async () => {
    let now = 1_000;
    const choice = createFileChoiceService({ chooseFiles: () => Promise.resolve([csv]), language: () => 'en', now: () => now });
    const kept = await choice.chooseForImport('u1');
    const expired = await choice.chooseForImport('u1');
    now += SELECTION_TTL_MS - 1;
    expect(choice.take(kept?.selectionId ?? '', 'u1')).toEqual([csv]);
    now += 1;
    expect(() => choice.take(expired?.selectionId ?? '', 'u1')).toThrow(/unknown, expired or already used/);
  });

  it('keeps only the newest eight selections pending', async () => {
    const choice = createFileChoiceService({ chooseFiles: () => Promise.resolve([csv, csv]), language: () => 'en' });
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) ids.push((await choice.chooseForImport('u1'))?.selectionId ?? '');
    expect(new Set(ids).size).toBe(9);
    expect(() => choice.take(ids[0] ?? '', 'u1')).toThrow(/unknown, expired or already used/);
    // The same file chosen twice is imported once.
    expect(choice.take(ids[8] ?? '', 'u1')).toEqual([csv]);
  });

  it('refuses a relative path or a folder from the dialog', async () => {
    let answer = ['relative/applicant.csv'];
    const choice = createFileChoiceService({ chooseFiles: () => Promise.resolve(answer), language: () => 'en' });
    await expect(choice.chooseForImport('u1')).rejects.toMatchObject({ code: 'import_failed', message: 'applicant.csv: the dialog returned a relative path' });
    answer = [new URL('../fixtures/interchange', import.meta.url).pathname];
    await expect(choice.chooseForImport('u1')).rejects.toMatchObject({ code: 'import_failed', message: 'interchange: not a file' });
  });
});
