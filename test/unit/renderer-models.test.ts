// The renderer's pure logic: timeline geometry, the small Markdown, routes, formats and evidence shaping.
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../shared/ipc/ops/cases.js';
import { density, laneOf, marksInView, prepareEvents, timeTicks } from '../../renderer/src/pages/case/timelineModel.js';
import { checkKey, employerChanges, fitLabel, intervalHistogram, REASON_LABEL_LINES, wrapLabel } from '../../renderer/src/pages/case/evidenceModel.js';
import { parseBlocks } from '../../renderer/src/components/Markdown.js';
import { caseHref, locationFromHash } from '../../renderer/src/routes.js';
import { cleanFilter } from '../../renderer/src/pages/queue/queueView.js';
import { describeTokens } from '../../renderer/src/format/tokens.js';
import { formatDate, formatDateTime, formatDateTimeSeconds, formatDuration, formatShortDateTime, formatTime, reasonLabel, slaTone } from '../../renderer/src/format/format.js';
import { REASONS, type ReasonCode } from '../../shared/reasons.js';
import { translate, type MessageKey } from '../../shared/i18n/index.js';

const event = (id: string, ts: string, kind: string, extra: Partial<TimelineEvent> = {}): TimelineEvent => ({
  id,
  ts,
  kind,
  step: null,
  sessionId: null,
  deviceId: null,
  ip: null,
  attrs: {},
  ...extra,
});

describe('timeline model', () => {
  it('puts events in the lane of their step, or of their kind when the exporter gave no step', () => {
    expect(laneOf(event('a', '2026-01-01T00:00:00Z', 'login', { step: 4 }))).toBe(4);
    expect(laneOf(event('b', '2026-01-01T00:00:00Z', 'bank_card_bound'))).toBe(3);
    expect(laneOf(event('c', '2026-01-01T00:00:00Z', 'something_new'))).toBe(0);
  });

  it('orders events by time whatever their offsets, and marks device and IP changes', () => {
    const prepared = prepareEvents([
      event('late', '2026-01-01T10:00:00+08:00', 'login', { deviceId: 'D2', ip: '1.1.1.1' }),
      event('early', '2026-01-01T01:00:00Z', 'login', { deviceId: 'D1', ip: '1.1.1.1' }),
      event('no-device', '2026-01-01T03:00:00Z', 'page_view'),
      event('bad', 'not a time', 'login'),
      event('last', '2026-01-01T04:00:00Z', 'login', { deviceId: 'D2', ip: '2.2.2.2' }),
    ]);
    expect(prepared.map((item) => item.event.id)).toEqual(['early', 'late', 'no-device', 'last']);
    expect(prepared.map((item) => [item.deviceChanged, item.ipChanged])).toEqual([
      [false, false],
      [true, false],
      [false, false],
      [false, true],
    ]);
  });

  it('draws thousands of events as at most one mark per lane and pixel, never dropping a paste', () => {
    const events = Array.from({ length: 5000 }, (_, index) =>
      event(`e${index}`, new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString(), index % 500 === 0 ? 'paste' : 'field_input', { step: 2 }),
    );
    const prepared = prepareEvents(events);
    const start = prepared[0]?.time ?? 0;
    const end = prepared.at(-1)?.time ?? 0;
    const marks = marksInView(prepared, start, end, 400);
    expect(marks.length).toBeLessThanOrEqual(2 * 401);
    expect(marks.reduce((sum, mark) => sum + mark.count, 0)).toBe(5000);
    expect(marks.filter((mark) => mark.family === 'paste')).toHaveLength(10);
    const zoomed = marksInView(prepared, start, start + 99_000, 400);
    expect(zoomed.reduce((sum, mark) => sum + mark.count, 0)).toBe(100);
  });

  it('chooses round ticks and counts density across the whole range', () => {
    const start = Date.UTC(2026, 0, 1, 8, 0, 7);
    const { step, ticks } = timeTicks(start, start + 10 * 60_000, 6);
    expect(step).toBe(5 * 60_000);
    expect(ticks.every((tick) => tick % 60_000 === 0)).toBe(true);
    const prepared = prepareEvents([event('a', '2026-01-01T00:00:00Z', 'login'), event('b', '2026-01-01T00:00:09Z', 'login')]);
    expect(density(prepared, prepared[0]?.time ?? 0, prepared[1]?.time ?? 0, 10)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });
});

describe('markdown', () => {
  it('reads headings, lists and paragraphs, and keeps anything else as text', () => {
    expect(parseBlocks('# Title\nline one\nline two\n\n- a\n- b\n1. x\n<script>alert(1)</script>')).toEqual([
      { kind: 'heading', lines: ['Title'] },
      { kind: 'paragraph', lines: ['line one', 'line two'] },
      { kind: 'list', lines: ['a', 'b'] },
      { kind: 'ordered', lines: ['x'] },
      { kind: 'paragraph', lines: ['<script>alert(1)</script>'] },
    ]);
  });
});

describe('routes and queue view', () => {
  it('reads a case id from the hash, escaped or not, and falls back to the queue', () => {
    expect(locationFromHash(caseHref('AP/7 x'))).toEqual({ route: 'cases', caseId: 'AP/7 x' });
    expect(locationFromHash('#/cases/%E0%A4%A')).toEqual({ route: 'cases', caseId: null });
    expect(locationFromHash('#/nowhere')).toEqual({ route: 'queue', caseId: null });
    expect(locationFromHash('')).toEqual({ route: 'queue', caseId: null });
  });

  it('sends only the filters that were chosen', () => {
    expect(cleanFilter({ bands: [], statuses: ['open'], search: '', sla: undefined, importBatch: '3' })).toEqual({ statuses: ['open'], importBatch: '3' });
  });
});

describe('formats', () => {
  const t = (key: MessageKey, params?: Record<string, string | number>): string => translate('en', key, params);
  it('writes durations as their two largest units and tells overdue from due soon', () => {
    expect(formatDuration(t, 26 * 3600_000 + 5 * 60_000)).toBe('1 d 2 h');
    expect(formatDuration(t, 3 * 3600_000 + 12 * 60_000)).toBe('3 h 12 m');
    expect(formatDuration(t, 45_000)).toBe('45 s');
    const now = Date.UTC(2026, 0, 1);
    expect(slaTone(new Date(now - 1).toISOString(), now)).toBe('overdue');
    expect(slaTone(new Date(now + 3600_000).toISOString(), now)).toBe('due_soon');
    expect(slaTone(new Date(now + 5 * 3600_000).toISOString(), now)).toBe('on_time');
  });

  it('shows every time in China Standard Time, whatever zone the computer is set to', () => {
    // 01:24:07 in Beijing is 17:24:07 UTC the evening before: the night the engines' reasons speak of.
    const night = '2026-01-09T17:24:07.000Z';
    expect(formatDateTime('zh-CN', night)).toBe('2026/01/10 01:24');
    expect(formatDateTimeSeconds('zh-CN', night)).toBe('2026/01/10 01:24:07');
    expect(formatDateTimeSeconds('en', '2026-01-10T01:24:07+08:00')).toBe('2026-01-10 01:24:07');
    expect(formatShortDateTime('en', night)).toBe('01-10 01:24');
    // Midnight is 00, not 24; English dates are year first, never 01/10 (January or October?).
    expect(formatDateTime('en', '2026-10-01T00:05:00+08:00')).toBe('2026-10-01 00:05');
    expect(formatDateTime('zh-CN', '2026-10-01T00:05:00+08:00')).toBe('2026/10/01 00:05');
    expect(formatDate('zh-CN', '2026-01-09T23:30:00Z')).toBe('2026/01/10');
    expect(formatTime('en', Date.parse(night))).toBe('01:24:07');
  });
});

describe('finding tokens', () => {
  const zh = (key: MessageKey, params?: Record<string, string | number>): string => translate('zh-CN', key, params);
  const en = (key: MessageKey, params?: Record<string, string | number>): string => translate('en', key, params);
  it('says each token name in the reader\'s language and keeps the values, ids and unknown names as written', () => {
    expect(describeTokens(zh, 'S0001: keystroke_cv=0.043; fill_ms=2127 z=-3.0; no_corrections')).toBe('S0001: 按键间隔变异系数 0.043; 总填写用时（毫秒） 2127 偏离度 z -3.0; 无任何修改');
    expect(describeTokens(zh, 'pasted=id_number+bank_card; hour=1')).toBe('粘贴 身份证号 + 银行卡号; 当地时间（时） 1');
    expect(describeTokens(zh, 'PF0000026: base=25000 round')).toBe('PF0000026: 缴存基数 25000 整数');
    expect(describeTokens(en, 'cohort=11 employer_applicants=11 first_month=2025-10')).toBe('Started together 11 Applicants of the employer 11 First month 2025-10');
    expect(describeTokens(en, 'gpu=android emulator; sensors=none')).toBe('GPU android emulator; Sensors none');
    expect(describeTokens(en, 'shoe_size=44 around')).toBe('shoe_size=44 around');
  });
});

describe('evidence shaping', () => {
  it('fits chart labels, counting Chinese characters as wide', () => {
    expect(fitLabel('Short')).toBe('Short');
    expect(fitLabel('同一设备关联多名无关申请人以及更多文字', 100)).toBe('同一设备关联多名无…');
  });

  it('wraps long chart labels onto a second line between words, and cuts only what still does not fit', () => {
    expect(wrapLabel('Short')).toEqual(['Short']);
    expect(wrapLabel('Member of a linked group of applicants')).toEqual(['Member of a linked group', 'of applicants']);
    expect(wrapLabel('人脸核验未通过活体检测或得分偏低')).toEqual(['人脸核验未通过活体检测或得分', '偏低']);
    expect(wrapLabel('Identity or card numbers pasted into the form instead of typed by hand')).toEqual(['Identity or card numbers', 'pasted into the form…']);
    // A word longer than a line is broken where the line ends.
    expect(wrapLabel('Supercalifragilisticexpialidocious-and-more')).toEqual(['Supercalifragilisticexpia', 'lidocious-and-more']);
  });

  it('shows every reason label whole beside its bar, in both languages', () => {
    // Two lines cut ten English labels ("Bank card's reserved phone is not the…"): the chart allows three.
    const cut = (lines: number): string[] =>
      (['en', 'zh-CN'] as const).flatMap((language) => (Object.keys(REASONS) as ReasonCode[]).map((code) => reasonLabel(language, code)))
        .filter((label) => wrapLabel(label, undefined, lines).some((line) => line.endsWith('…')));
    expect(cut(2).length).toBeGreaterThan(0);
    expect(cut(REASON_LABEL_LINES)).toEqual([]);
  });

  it('names PF findings by what their detail says and finds employer changes', () => {
    expect(checkKey('base', 'PF1: base=25000 declared_income=3500')).toBe('base_above_income');
    expect(checkKey('base', 'PF1: base=20000 round')).toBe('base_round');
    expect(checkKey('pf_employer≠declared_employer', 'x')).toBe('employer_mismatch');
    expect(
      employerChanges(
        [
          { month: '2025-03', amount: 1, employer: 'B' },
          { month: '2025-01', amount: 1, employer: null },
          { month: '2025-02', amount: 1, employer: 'A' },
        ],
        'A',
      ),
    ).toEqual([{ month: '2025-03', employer: 'B' }]);
  });

  it('bins key intervals of typed fields only', () => {
    const histogram = intervalHistogram({
      events: [event('a', 'x', 'field_input', { attrs: { key_intervals_ms: [10, 30, 30, 9999] } }), event('b', 'x', 'paste', { attrs: { key_intervals_ms: [10] } })],
    });
    expect(histogram[0]).toEqual({ bin: 0, count: 1 });
    expect(histogram[1]).toEqual({ bin: 25, count: 2 });
    expect(histogram.at(-1)).toEqual({ bin: 600, count: 1 });
  });
});
