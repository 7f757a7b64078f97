import { describe, expect, it } from 'vitest';
import { assessSession } from '../../main/analysis/behaviour/flags.js';
import { buildBaseline, type BehaviourBaseline } from '../../main/analysis/behaviour/population.js';
import { groupSessions, sessionFeatures, type SessionFeatures } from '../../main/analysis/behaviour/sessions.js';
import { median, percentileOf, robustZ, scaledMad, summarise } from '../../main/analysis/common/stats.js';
import { activationSession, humanIntervals } from '../eval/fixtures.js';

const DAY = '2026-01-12T14:30:00+08:00';
const NIGHT = '2026-01-12T02:30:00+08:00';

function session(plan: Parameters<typeof activationSession>[3], start = DAY): SessionFeatures {
  const events = activationSession('AP1', start, 'D1', plan);
  const [[id, list]] = [...groupSessions(events)] as [[string, typeof events]];
  return sessionFeatures(id, list);
}

/** A population of ordinary human sessions to compare against. */
function population(): BehaviourBaseline {
  return buildBaseline(Array.from({ length: 60 }, (_, i) => session({ intervals: (f) => humanIntervals(f === 'name' ? 9 : 12, i + 2), smsLatencyMs: 12_000 + i * 500 })));
}

const uniform = (count: number): number[] => Array.from({ length: count }, (_, i) => 40 + (i % 3));

describe('behaviour features', () => {
  it('measures fill time per field, keystroke mean and variation, backspaces, pastes, SMS latency, face retries, navigation and hour', () => {
    const s = session({ pasted: ['id_number'], backspaces: 2, smsLatencyMs: 18_000, faceAttempts: 3, pages: ['credit_home', 'real_name', 'credit_home', 'real_name'] }, NIGHT);
    expect(Object.keys(s.fillMsByField).sort()).toEqual(['bank_card', 'name', 'reserved_phone', 'sms_code']);
    expect(s.keyIntervalMean).toBeGreaterThan(100);
    expect(s.keyIntervalCv).toBeGreaterThan(0.3);
    expect(s.backspaces).toBe(8);
    expect(s.pastesIdentity).toBe(1);
    expect(s.pastedIdentityFields).toEqual(['id_number']);
    expect(s.smsLatencyMs).toBe(18_000);
    expect(s.faceRetries).toBe(2);
    expect(s.navBacktracks).toBe(2);
    expect(s.navDirectness).toBe(0.5);
    expect(s.hourLocal).toBe(2);
    expect(s.form).toBe(true);
  });

  it('reads the hour in the timestamp\'s own offset', () => {
    expect(session({}, '2026-01-12T23:10:00+08:00').hourLocal).toBe(23);
  });
});

describe('bot-like and coached sessions', () => {
  const baseline = population();

  it('lets an ordinary person through', () => {
    const a = assessSession(session({ smsLatencyMs: 15_000 }), baseline);
    expect(a).toMatchObject({ bot: false, coached: false, smsInstant: false });
  });

  it('flags uniform, superhuman typing with an SMS code entered a second after sending as a bot', () => {
    const a = assessSession(session({ intervals: (f) => uniform(f === 'name' ? 3 : 18), smsLatencyMs: 1_200, backspaces: 0, pasted: ['id_number', 'bank_card'] }), baseline);
    expect(a.bot).toBe(true);
    expect(a.botSignals.join(' ')).toMatch(/keystroke_cv=0\.0\d\d/);
    expect(a.smsInstant).toBe(true);
  });

  it('does not flag a password-manager user who pastes the ID and card numbers but otherwise behaves like a person', () => {
    const a = assessSession(session({ pasted: ['id_number', 'bank_card'], smsLatencyMs: 14_000 }), baseline);
    expect(a.bot).toBe(false);
    expect(a.coached).toBe(false);
  });

  it('flags pasted identity data with repeated face checks, wandering navigation and a night-time session as coached', () => {
    const a = assessSession(session({ pasted: ['id_number', 'bank_card', 'name'], faceAttempts: 4, pages: ['credit_home', 'real_name', 'credit_home', 'real_name', 'credit_home', 'real_name'] }, NIGHT), baseline);
    expect(a.coached).toBe(true);
    expect(a.coachedSignals).toEqual(expect.arrayContaining(['pasted=bank_card+id_number+name', 'face_retries=3', 'hour=2']));
  });

  it('does not call a night owl coached without pasted identity data', () => {
    const a = assessSession(session({ faceAttempts: 3 }, NIGHT), baseline);
    expect(a.coached).toBe(false);
  });

  it('places a session in the population with robust z-scores and percentiles', () => {
    const fast = assessSession(session({ intervals: (f) => uniform(f === 'name' ? 3 : 18), smsLatencyMs: 1_200 }), baseline);
    expect(fast.percentiles.keyIntervalMean).toBe(0);
    expect(fast.z.keyIntervalCv ?? 0).toBeLessThan(-3);
  });
});

describe('robust statistics', () => {
  it('computes median, scaled MAD and percentiles that ignore the outliers they are meant to find', () => {
    const values = [10, 11, 12, 13, 14, 1000];
    expect(median(values)).toBe(12.5);
    expect(scaledMad(values)).toBeCloseTo(1.4826 * 1.5, 5);
    const summary = summarise(values);
    expect(percentileOf(12.5, summary)).toBeCloseTo(50, 0);
    expect(robustZ(1000, summary, 0.1)).toBeGreaterThan(100);
  });

  it('puts a value most of the population shares in the middle of its run, at the edge of the distribution too', () => {
    // Navigation directness: nearly every session goes straight through (1.00), a few wander.
    const directness = summarise([...Array.from({ length: 90 }, () => 1), 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.92, 0.95, 0.97]);
    expect(percentileOf(1, directness)).toBeGreaterThan(50);
    expect(percentileOf(1, directness)).toBeLessThan(97);
    expect(percentileOf(0.5, directness)).toBe(0);
    expect(percentileOf(0.4, directness)).toBe(0);
    // The same at the bottom: most sessions without a face-check retry.
    const retries = summarise([...Array.from({ length: 80 }, () => 0), ...Array.from({ length: 15 }, () => 1), 2, 2, 3, 4, 6]);
    expect(percentileOf(0, retries)).toBeGreaterThan(3);
    expect(percentileOf(0, retries)).toBeLessThan(50);
    expect(percentileOf(6, retries)).toBe(100);
    expect(percentileOf(7, retries)).toBe(100);
    // Between quantiles it still interpolates.
    const spread = summarise(Array.from({ length: 101 }, (_, i) => i));
    expect(percentileOf(37.5, spread)).toBeCloseTo(37.5, 5);
  });

  it('floors the spread so that a population of identical values does not make a small difference extreme', () => {
    const summary = summarise([5, 5, 5, 5, 5, 6]);
    expect(summary.mad).toBe(0);
    expect(robustZ(6, summary, 2)).toBe(0.5);
  });
});
