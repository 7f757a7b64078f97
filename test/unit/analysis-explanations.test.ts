// What an investigator (and an applicant who appeals) reads: every reason a generated population earns
// is explained in full in both languages. No placeholder left unfilled, and no English prose inside the
// Chinese text; the data quoted in parentheses (`gpu=SwiftShader`, ids, months) is the same in both.
import { describe, expect, it } from 'vitest';
import { analyseDataset } from '../../main/analysis/pipeline/run.js';
import { DEFAULT_PF_CAPS } from '../../main/analysis/pf/caps.js';
import { applicationFindings } from '../../main/analysis/scoring/findings.js';
import { renderTemplate } from '../../main/analysis/scoring/rules.js';
import { scoreApplication } from '../../main/analysis/scoring/score.js';
import { defaultRuleSet, KNOWN_FEATURES } from '../../main/analysis/scoring/ruleSets.js';
import { FLAG_FEATURES } from '../../shared/features.js';
import { translate, type MessageKey } from '../../shared/i18n/index.js';
import { isMessageKey } from '../../renderer/src/i18n/optionalKey.js';
import { labelledPopulation } from '../eval/population.js';

/** What is left of a Chinese explanation once the quoted data is taken out: it must be Chinese. */
function proseOf(text: string): string {
  return text
    .replace(/\w+=[^;；）)]*/g, '') // key=value data; a value may have spaces (`gpu=mali g52`)
    .replace(/\b[a-z]+(?:_[a-z0-9]+)+\b/g, '') // finding codes (`id_checksum_invalid`)
    .replace(/\b(?=[\w-]*[A-Z])(?=[\w-]*[a-z0-9])[\w-]{8,}\b/g, ''); // device and ring ids (mixed case)
}

/** Latin words a Chinese sentence of this domain uses as they are. */
const LOANWORDS = new Set(['IP', 'VPN', 'root', 'hook', 'SMS', 'PF', 'ID', 's']);

describe('reason explanations', () => {
  const population = labelledPopulation(2500, 'explanations', true);
  const result = analyseDataset(population.dataset, { rules: defaultRuleSet(), model: null, pfCaps: DEFAULT_PF_CAPS });
  const reasons = [...result.applications.values()].flatMap((a) => a.score.reasons);

  it('covers the reasons worth checking', () => {
    const codes = new Set(reasons.map((r) => r.code));
    for (const code of ['RING_MEMBER', 'PF_EMPLOYER_COHORT', 'ACCOUNT_TAKEOVER', 'BUREAU_ADVERSE', 'DEVICE_EMULATOR', 'PF_RECENT_START'] as const) expect(codes).toContain(code);
  });

  it('keeps every feature the screens call a yes/no flag at 0 or 1, and names every feature in both languages', () => {
    const seen = new Map<string, Set<number>>();
    for (const a of result.applications.values()) {
      for (const [name, value] of Object.entries(a.features)) {
        let values = seen.get(name);
        if (values === undefined) seen.set(name, (values = new Set()));
        values.add(value);
      }
    }
    for (const name of FLAG_FEATURES) expect([...(seen.get(name) ?? [])].every((v) => v === 0 || v === 1), name).toBe(true);
    // Each flag took both values somewhere in the population, or the check above proves little.
    expect([...FLAG_FEATURES].filter((name) => (seen.get(name)?.size ?? 0) === 2).length).toBeGreaterThan(FLAG_FEATURES.size * 0.8);
    for (const name of KNOWN_FEATURES) {
      expect(isMessageKey(`feature.${name}`), name).toBe(true);
      expect(translate('zh-CN', `feature.${name}` as MessageKey), name).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('fills every placeholder, in both languages', () => {
    const unfilled = reasons.flatMap((r) => [r.detail.en, r.detail['zh-CN']]).filter((text) => /\{[a-z0-9_]+\}/.test(text));
    expect(unfilled.slice(0, 3)).toEqual([]);
  });

  it('writes the Chinese explanations in Chinese, quoting only data', () => {
    const english = new Map<string, string>();
    for (const r of reasons) {
      const words = (proseOf(r.detail['zh-CN']).match(/[A-Za-z]+/g) ?? []).filter((w) => !LOANWORDS.has(w));
      if (words.length > 0 && !english.has(r.code)) english.set(r.code, `${words.join(' ')} <- ${r.detail['zh-CN']}`);
    }
    expect([...english]).toEqual([]);
  });

  it('states findings as data (the screens name each check in the reader\'s language)', () => {
    const prose = new Map<string, string>();
    for (const a of result.applications.values()) {
      for (const finding of applicationFindings(a.context)) {
        const words = (proseOf(finding.detail).match(/[A-Za-z]+/g) ?? []).filter((w) => !LOANWORDS.has(w));
        if (words.length > 0 && !prose.has(finding.check)) prose.set(finding.check, `${words.join(' ')} <- ${finding.detail}`);
      }
    }
    expect([...prose]).toEqual([]);
  });

  it('gives the SMS latency in the sentence\'s own unit (the rule fires only for a person, so it is built here)', () => {
    const score = scoreApplication({ beh_sms_instant: 1, beh_bot: 0 }, { beh_sms_latency: '0.8 s', 'beh_sms_latency:zh-CN': '0.8 秒' }, defaultRuleSet(), null);
    const sms = score.reasons.find((r) => r.code === 'BEHAVIOUR_SMS_INSTANT');
    expect(sms?.detail['zh-CN']).toContain('0.8 秒');
    expect(sms?.detail.en).toContain('0.8 s');
  });

  it('uses a word\'s variant for the template\'s language when there is one', () => {
    const evidence = { ring_links: 'device, bank card', 'ring_links:zh-CN': '设备、银行卡' };
    expect(renderTemplate('共用{ring_links}', {}, evidence, 'zh-CN')).toBe('共用设备、银行卡');
    expect(renderTemplate('shared {ring_links}', {}, evidence, 'en')).toBe('shared device, bank card');
    expect(renderTemplate('shared {ring_links}', {}, evidence)).toBe('shared device, bank card');
  });
});
