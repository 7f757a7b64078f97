// The desk in Chromium through the browser host, over a real encrypted store (issue 6):
//   queue first render with 100,000 cases (target < 1 s), opening a case with 5,000 events
//   (target < 300 ms), scrolling the queue (frame times printed, target 60 fps).
// The store is built once by the real import from a synthetic export (every application flagged by
// the platform, one of them with 5,000 events), scored by the real engines, and kept in the temp
// folder for the next run.
// VIGIL_BENCH_CASES scales the queue down (e.g. 10000 for a quick look).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { launchBrowserHost, type BrowserHost } from '../../main/host/browserHost.js';
import { residentIdCheckChar } from '../../main/interchange/residentId.js';
import { importFiles } from '../../main/services/import.js';
import { analyze } from '../../main/services/analyze.js';
import { storeDirIn } from '../../main/services/session.js';
import { createStore, TEST_SCRYPT } from '../../main/store/open.js';
import type { ImportSource } from '../../main/interchange/source.js';

const CASES = Number(process.env['VIGIL_BENCH_CASES'] ?? 100_000);
const TIMELINE_EVENTS = 5_000;
const RUNS = Number(process.env['VIGIL_BENCH_RUNS'] ?? 5);
const PASSPHRASE = 'renderer bench passphrase';
export const BIG_CASE = 'BENCH-APP-EVENTS';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文斌海燕鹏宇浩然晨阳欣怡子涵梓萱雨轩思远嘉豪佳琪';
const REASONS = ['DEVICE_SHARED_APPLICANTS', 'BEHAVIOUR_BOT_FILL', 'PF_RECENT_START', 'NETWORK_PROXY', 'RING_MEMBER', 'ID_CHECKSUM_INVALID'];
const KINDS: Array<[string, number]> = [
  ['login', 1], ['page_view', 1], ['field_focus', 2], ['field_input', 2], ['paste', 2], ['sms_sent', 2], ['sms_verified', 2],
  ['face_check', 2], ['bank_card_bound', 3], ['password_set', 3], ['pf_authorized', 4], ['pf_verified', 4], ['risk_evaluated', 5],
];

function residentId(index: number): string {
  const birth = new Date(Date.UTC(1970 + (index % 35), index % 12, 1 + (index % 28)));
  const first17 = `110105${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(index % 1000).padStart(3, '0')}`;
  return `${first17}${residentIdCheckChar(first17)}`;
}

/** The synthetic export as JSON lines, produced on demand (nothing held in memory). */
function benchExport(cases: number): ImportSource {
  const start = Date.parse('2026-03-01T09:00:00+08:00');
  return {
    name: 'renderer-bench.jsonl',
    size: 0,
    head: () => Buffer.from('{'),
    open() {
      function* lines(): Generator<Buffer> {
        let chunk: string[] = [];
        const push = (record: unknown): void => {
          chunk.push(JSON.stringify(record), '\n');
        };
        for (let index = 0; index < cases; index += 1) {
          const name = `${SURNAMES[index % SURNAMES.length] ?? '王'}${GIVEN[(index * 7) % GIVEN.length] ?? '伟'}${GIVEN[(index * 13) % GIVEN.length] ?? '明'}`;
          push({ type: 'applicant', id: `BENCH-P${index}`, name, id_number: residentId(index), phone: `13${String(800_000_000 + index).padStart(9, '0')}` });
          push({
            type: 'application',
            id: index === 0 ? BIG_CASE : `BENCH-APP${index}`,
            applicant_id: `BENCH-P${index}`,
            submitted_at: new Date(start + index * 37_000).toISOString(),
            channel: 'app',
            platform_score: (index * 7919) % 1000,
            platform_decision: index % 3 === 0 ? 'rejected' : 'review',
            platform_reasons: [REASONS[index % REASONS.length], REASONS[(index + 2) % REASONS.length]],
          });
          if (chunk.length > 4_000) {
            yield Buffer.from(chunk.join(''));
            chunk = [];
          }
        }
        // One application with a long activation history: device and IP changes across all steps.
        for (let device = 0; device < 4; device += 1) {
          push({
            type: 'device',
            id: `BENCH-D${device}`,
            observed_at: new Date(start + device * 1_250 * 1_500).toISOString(),
            platform: 'android',
            applicant_id: 'BENCH-P0',
            application_id: BIG_CASE,
            ip: `10.1.${device}.7`,
            hardware: { model: ['Redmi K60', 'OPPO Reno10', 'vivo X90', 'HUAWEI Mate 60'][device] },
          });
        }
        for (let event = 0; event < TIMELINE_EVENTS; event += 1) {
          const [kind, step] = KINDS[event % KINDS.length] ?? ['login', 1];
          push({
            type: 'event',
            id: `BENCH-E${event}`,
            application_id: BIG_CASE,
            ts: new Date(start + event * 1_500 + (event % 7) * 90).toISOString(),
            kind,
            step,
            session_id: `BENCH-S${Math.floor(event / 500)}`,
            device_id: `BENCH-D${Math.floor(event / 1_250)}`,
            ip: `10.1.${Math.floor(event / 800)}.7`,
            attrs: kind === 'field_input' ? { field: 'id_number', duration_ms: 900 + (event % 50), key_count: 18, key_intervals_ms: [80, 95, 110, 70] } : {},
          });
          if (chunk.length > 4_000) {
            yield Buffer.from(chunk.join(''));
            chunk = [];
          }
        }
        if (chunk.length > 0) yield Buffer.from(chunk.join(''));
      }
      return Readable.from(lines(), { objectMode: false });
    },
  };
}

const root = fileURLToPath(new URL('../../', import.meta.url));
/** What shapes the bench store (schema, import, engines): change any of it and the store is rebuilt. */
function storeDigest(): string {
  const hash = createHash('sha256');
  const visit = (path: string): void => {
    if (!existsSync(path)) return;
    if (statSync(path).isFile()) hash.update(path).update(readFileSync(path));
    else for (const name of readdirSync(path).sort()) visit(join(path, name));
  };
  for (const dir of ['main/store', 'main/services', 'main/analysis', 'main/interchange', 'resources', 'test/bench/renderer.ts']) visit(join(root, dir));
  return hash.digest('hex').slice(0, 12);
}

/** Builds the bench store once per source digest (kept between runs); returns its data folder. */
async function benchDataDir(): Promise<string> {
  const dataDir = join(tmpdir(), `vigil-bench-renderer-${CASES}-${storeDigest()}`);
  const ready = join(dataDir, 'ready');
  if (existsSync(ready)) return dataDir;
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  mkdirSync(dataDir, { recursive: true });
  const started = Date.now();
  const { store, user } = await createStore(storeDirIn(dataDir), { username: 'bench', displayName: '基准测试', passphrase: PASSPHRASE, kdf: TEST_SCRYPT });
  try {
    const summary = await importFiles(store, [{ source: benchExport(CASES) }], { actor: user.id });
    // The engines score every application, so the queue sorts and filters on real scores and reasons.
    const analysis = await analyze(store, { actor: user.id });
    console.log(
      `built the bench store: ${summary.totals.inserted} records imported, ${analysis.applicationsScored} applications scored, in ${((Date.now() - started) / 1000).toFixed(1)} s (${dataDir})`,
    );
  } finally {
    store.close();
  }
  mkdirSync(ready);
  return dataDir;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? Number.NaN;
}

// In-page scripts are plain JavaScript text: tsx would wrap functions passed to page.evaluate with its
// `__name` helper, which does not exist inside the page.
const TIME_NAVIGATION = `([target, wanted]) => new Promise((resolve, reject) => {
  const started = performance.now();
  let observer;
  const timeout = window.setTimeout(() => reject(new Error(wanted + ' did not appear')), 30000);
  const check = () => {
    if (document.querySelector(wanted) === null) return;
    window.clearTimeout(timeout);
    observer.disconnect();
    // Count the frame that shows it.
    requestAnimationFrame(() => resolve(performance.now() - started));
  };
  observer = new MutationObserver(check);
  observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
  window.location.hash = target;
  check();
})`;

const SCROLL_FRAMES = `(frames) => new Promise((resolve) => {
  const viewport = document.querySelector('[data-testid=queue-list]');
  if (viewport === null) { resolve([]); return; }
  const deltas = [];
  let last = performance.now();
  let frame = 0;
  const step = (now) => {
    deltas.push(now - last);
    last = now;
    // 2,880 px/s: a fast, steady flick through the list (60 rows a second).
    viewport.scrollTop += 48;
    frame += 1;
    if (frame < frames) requestAnimationFrame(step);
    else resolve(deltas.slice(1));
  };
  requestAnimationFrame(step);
})`;

/** Milliseconds from a hash change to the selector appearing, measured inside the page. */
async function timeNavigation(host: BrowserHost, hash: string, selector: string): Promise<number> {
  return host.page.evaluate<number>(`(${TIME_NAVIGATION})(${JSON.stringify([hash, selector])})`);
}

export async function runBench(): Promise<void> {
  const dataDir = await benchDataDir();
  const host = await launchBrowserHost({ dataDir, locale: 'zh-CN' });
  try {
    await host.runtime.services.session.unlock({ username: 'bench', passphrase: PASSPHRASE });
    await host.page.goto(`${host.origin}/index.html#/settings`);
    await host.page.waitForSelector('[data-testid=signed-in-user]');

    const rowSelector = '[data-testid=queue-row][data-application-id]';
    const queue: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      queue.push(await timeNavigation(host, '#/queue', rowSelector));
      await timeNavigation(host, '#/settings', '[data-testid=language-select]');
    }
    await timeNavigation(host, '#/queue', rowSelector);
    const total = await host.page.getByTestId('queue-total').textContent();
    console.log(`queue first render (${CASES.toLocaleString('en')} cases, "${total}"): median ${median(queue).toFixed(0)} ms, first ${queue[0]?.toFixed(0)} ms, max ${Math.max(...queue).toFixed(0)} ms (target < 1000 ms)`);

    const open: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      await timeNavigation(host, '#/queue', rowSelector);
      open.push(await timeNavigation(host, `#/cases/${BIG_CASE}`, '[data-testid=timeline-svg]'));
    }
    const summary = await host.page.getByTestId('timeline-summary').textContent();
    console.log(`case open (${TIMELINE_EVENTS.toLocaleString('en')} events, "${summary}"): median ${median(open).toFixed(0)} ms, first ${open[0]?.toFixed(0)} ms, max ${Math.max(...open).toFixed(0)} ms (target < 300 ms)`);

    await timeNavigation(host, '#/queue', rowSelector);
    const frames = await host.page.evaluate<number[]>(`(${SCROLL_FRAMES})(300)`);
    const mean = frames.reduce((sum, value) => sum + value, 0) / Math.max(1, frames.length);
    const long = frames.filter((value) => value > 1000 / 60 * 1.5).length;
    console.log(
      `queue scroll (${frames.length} frames): mean frame ${mean.toFixed(1)} ms, p95 ${percentile(frames, 0.95).toFixed(1)} ms, max ${Math.max(...frames).toFixed(1)} ms, ${(1000 / mean).toFixed(0)} fps, ${long} frames over 25 ms (target 60 fps)`,
    );
  } finally {
    await host.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runBench();
}
