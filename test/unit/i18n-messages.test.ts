import { describe, expect, it } from 'vitest';
import { en } from '../../shared/i18n/en.js';
import { zhCN } from '../../shared/i18n/zh-CN.js';
import { MESSAGES, translate, type MessageKey } from '../../shared/i18n/index.js';
import { ERROR_CODES } from '../../shared/errors.js';
import { CASE_STATUSES, CASE_SOURCES, DECISION_OUTCOMES, QUEUE_SORTS, SLA_STATES } from '../../shared/ipc/ops/cases.js';
import { ROLES } from '../../shared/domain/roles.js';
import { RECORD_TYPES } from '../../shared/interchange/schema.js';
import { SCORE_BANDS } from '../../shared/reasons.js';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();

/** zh-CN values that may legitimately contain no Chinese: numbers, symbols, product and protocol names. */
const NOT_TRANSLATED_ON_PURPOSE = new Set<MessageKey>(['import.percent', 'queue.moreReasons', 'timeline.event.ip', 'trait.gpu']);

describe('messages', () => {
  it('has the same keys in English and Chinese', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it('uses the same placeholders in both languages for every key', () => {
    const mismatched = (Object.keys(en) as MessageKey[]).filter((key) => placeholders(en[key]).join() !== placeholders(zhCN[key]).join());
    expect(mismatched).toEqual([]);
  });

  it('translates every Chinese message rather than copying the English', () => {
    const untranslated = (Object.keys(en) as MessageKey[]).filter(
      (key) => !NOT_TRANSLATED_ON_PURPOSE.has(key) && /[A-Za-z]{3,}/.test(en[key].replace(/\{\w+\}/g, '')) && !/[\u4e00-\u9fff]/.test(zhCN[key]),
    );
    expect(untranslated).toEqual([]);
  });

  it('has no empty message', () => {
    for (const language of Object.keys(MESSAGES) as Array<keyof typeof MESSAGES>) {
      expect(Object.entries(MESSAGES[language]).filter(([, text]) => text.trim() === '').map(([key]) => key)).toEqual([]);
    }
  });

  it('has a message for every error code, role, status, band, outcome, sort, SLA state, source and record type the UI shows', () => {
    const needed = [
      ...ERROR_CODES.map((code) => `error.${code}`),
      ...ROLES.map((role) => `role.${role}`),
      ...CASE_STATUSES.map((status) => `status.${status}`),
      ...SCORE_BANDS.map((band) => `band.${band}`),
      ...DECISION_OUTCOMES.map((outcome) => `outcome.${outcome}`),
      ...DECISION_OUTCOMES.map((outcome) => `decision.submit.${outcome}`),
      ...QUEUE_SORTS.map((sort) => `queue.sort.${sort}`),
      ...SLA_STATES.map((state) => `sla.${state}`),
      ...CASE_SOURCES.map((source) => `source.${source}`),
      ...RECORD_TYPES.map((type) => `recordType.${type}`),
    ];
    expect(needed.filter((key) => !(key in en))).toEqual([]);
  });

  it('fills placeholders and leaves a missing one visible', () => {
    expect(translate('en', 'queue.total', { count: '1,024' })).toBe('1,024 cases');
    expect(translate('zh-CN', 'queue.total', { count: 7 })).toBe('共 7 个案件');
    expect(translate('en', 'queue.total')).toBe('{count} cases');
  });
});
