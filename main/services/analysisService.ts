// The analysis as the window uses it: one run at a time with progress events, the status (are the
// scores current?), and one case's analysis read back compactly from what the runs stored.
import { setTimeout as delay } from 'node:timers/promises';
import { VigilError } from '../../shared/errors.js';
import type { AnalysisRunSummary, AnalysisStatus, CaseAnalysis } from '../../shared/ipc/ops/analysis.js';
import { SCORE_BANDS, type ScoreBand } from '../../shared/reasons.js';
import type { BehaviourAssessment } from '../analysis/behaviour/flags.js';
import { BASELINE_FEATURES, featureValue } from '../analysis/behaviour/population.js';
import type { SessionFeatures } from '../analysis/behaviour/sessions.js';
import { appendAudit } from '../store/audit.js';
import type { StoreHandle } from '../store/open.js';
import { createAnalysisRepository } from '../store/repositories/analysis.js';
import { repositoryFor } from '../store/repositories/cache.js';
import { analyze, rehearseAnalysis } from './analyze.js';
import { analysisState } from './analysisExport.js';
import type { EmitEvent } from './events.js';
import { foldPendingKeys, PENDING_FOLD_KEYS } from './keyFold.js';
import type { SessionService } from './session.js';

export interface AnalysisService {
  run(input: { taskId?: string | undefined; full: boolean }): Promise<AnalysisRunSummary>;
  status(): AnalysisStatus;
  caseAnalysis(applicationId: string): CaseAnalysis;
  /** Resolves when no background work (a rehearsal after unlock, a fold after a run) is scheduled or going on (tests; a run waits by itself). */
  maintenanceSettled(): Promise<void>;
}

export interface AnalysisServiceOptions {
  /** Pending keys at which a run is followed by a fold (default PENDING_FOLD_KEYS; tests lower it). */
  readonly foldPendingAt?: number;
  /** How long after a run the fold starts: the window first fetches what the run changed (default 1 s). */
  readonly foldDelayMs?: number;
  /** How long after unlock the rehearsal starts: the window first loads its queue (default 3 s). */
  readonly rehearsalDelayMs?: number;
}

const FOLD_DELAY_MS = 1_000;
const REHEARSAL_DELAY_MS = 3_000;

const MAX_OBSERVATIONS = 50;
const MAX_OTHERS = 50;
const MAX_HISTORY = 20;

function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}

function bandOf(value: string | null | undefined): ScoreBand | null {
  return SCORE_BANDS.find((b) => b === value) ?? null;
}

interface StoredReason {
  code: string;
  weight: number;
  rules?: string[];
  detail: { en: string; 'zh-CN': string };
}

/** Reads one application's stored analysis into the compact shape of the IPC contract. */
export function readCaseAnalysis(store: StoreHandle, applicationId: string): CaseAnalysis {
  const repo = repositoryFor(store.db, createAnalysisRepository);
  const applicantId = repo.applicantOfApplications([applicationId]).get(applicationId) ?? null;
  if (applicantId === null) throw new VigilError('not_found', `there is no application ${applicationId}`);
  const row = repo.application(applicationId);

  const observations = repo.observationsOfApplication(applicationId);
  const deviceIds = [...new Set(observations.map((o) => o.deviceId))].sort();
  const devices = deviceIds.map((deviceId) => {
    const identity = repo.identity(deviceId);
    const all = repo.observationsOfDevices([deviceId]).sort((a, b) => b.observedMs - a.observedMs);
    const others = new Map<string, Set<string>>();
    for (const o of all) {
      if (o.applicantId === null || o.applicantId === applicantId) continue;
      let apps = others.get(o.applicantId);
      if (apps === undefined) others.set(o.applicantId, (apps = new Set()));
      if (o.applicationId !== null) apps.add(o.applicationId);
    }
    return {
      deviceId,
      flags: identity?.flags ?? [],
      traits: identity?.traits ?? [],
      hardwareIdResets: identity?.hardwareIdResets ?? 0,
      firstSeen: iso(identity?.firstSeenMs ?? all.at(-1)?.observedMs),
      lastSeen: iso(identity?.lastSeenMs ?? all[0]?.observedMs),
      observations: all.slice(0, MAX_OBSERVATIONS).map((o) => ({
        observationId: o.observationId,
        observedAt: iso(o.observedMs) ?? '',
        applicationId: o.applicationId,
        thisApplication: o.applicationId === applicationId,
        flags: o.flags,
        ipRegion: [o.ipProvince, o.ipCity, o.ipIsp].filter((x) => x !== null && x !== '').join(' ') || null,
      })),
      observationCount: all.length,
      otherApplicants: [...others].sort((a, b) => (a[0] < b[0] ? -1 : 1)).slice(0, MAX_OTHERS).map(([id, apps]) => ({ applicantId: id, applicationIds: [...apps].sort() })),
    };
  });

  const behaviour = repo
    .sessionsOfApplications([applicationId])
    .map((s) => ({ features: s.features as SessionFeatures, assessment: s.assessment as Partial<BehaviourAssessment> }))
    .filter((s) => s.features.form)
    .map(({ features, assessment }) => ({
      sessionId: features.sessionId,
      bot: assessment.bot === true,
      coached: assessment.coached === true,
      signals: [...(assessment.botSignals ?? []), ...(assessment.coached === true ? (assessment.coachedSignals ?? []) : [])],
      measures: BASELINE_FEATURES.map((name) => ({ name, value: featureValue(features, name), percentile: assessment.percentiles?.[name] ?? null })),
    }));

  const ringId = repo.ringIdsOfApplicants([applicantId])[0];
  const ringRow = ringId === undefined ? undefined : repo.rings([ringId])[0];
  const ring = ringRow === undefined ? null : {
    ringId: ringRow.ringId,
    score: ringRow.score,
    size: ringRow.size,
    links: ringRow.links.map((l) => ({ kind: l.kind, valueHash: l.value_hash, members: l.members })),
    nodes: ringRow.members.map((m) => ({ applicantId: m, current: m === applicantId, confirmedFraud: ringRow.confirmed.includes(m) })),
    edges: ringRow.edges.map((e) => ({ a: e.a, b: e.b, kinds: e.kinds, weight: e.weight })),
  };

  const reasons = row === undefined ? [] : (JSON.parse(row.reasonsJson) as StoredReason[]).map((r) => ({ code: r.code, points: r.weight, detail: r.detail, rules: r.rules ?? [] }));
  return {
    applicationId,
    applicantId,
    scored: row !== undefined,
    score: row?.score ?? null,
    band: bandOf(row?.band),
    ruleSet: row?.ruleSet ?? null,
    modelVersion: row?.modelVersion ?? null,
    scoredAt: row?.scoredAt ?? null,
    reasons,
    history: repo.history(applicationId).slice(-MAX_HISTORY).reverse().map((h) => ({ score: h.score, band: h.band, ruleSet: h.ruleSet, modelVersion: h.modelVersion, scoredAt: h.scoredAt })),
    findings: row === undefined ? [] : (JSON.parse(row.findingsJson) as CaseAnalysis['findings']),
    devices,
    behaviour,
    ring,
  };
}

export function createAnalysisService(session: SessionService, emit: EmitEvent, options: AnalysisServiceOptions = {}): AnalysisService {
  let running: string | null = null;
  let counter = 0;
  // Background work on the open store, at most one piece at a time, each stopped by the next run: the
  // rehearsal after unlock (analyze.ts, rehearseAnalysis) and the fold of pending keys after a run (keyFold.ts).
  let maintenance: { readonly done: Promise<void>; readonly stop: AbortController } | null = null;
  const foldAt = options.foldPendingAt ?? PENDING_FOLD_KEYS;

  /** Runs `work` after `delayMs` on `store`, unless a run stops it first or the store is locked (or another opened) meanwhile. */
  function schedule(store: StoreHandle, delayMs: number, what: string, work: (stop: AbortSignal) => Promise<unknown>): void {
    const previous = maintenance;
    previous?.stop.abort();
    const stop = new AbortController();
    const done = (previous?.done ?? Promise.resolve())
      .then(() => delay(delayMs, undefined, { ref: false, signal: stop.signal }))
      .then(async () => {
        if (session.currentUser() === null || session.store() !== store || running !== null) return;
        await work(stop.signal);
      })
      .catch((error: unknown) => {
        if (stop.signal.aborted) return; // stopped before it began
        console.warn(`[vigil] ${what}: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        if (maintenance?.done === done) maintenance = null;
      });
    maintenance = { done, stop };
  }

  function scheduleFold(store: StoreHandle): void {
    // Nothing is lost when a fold fails: the keys stay pending, where every reader looks too.
    schedule(store, options.foldDelayMs ?? FOLD_DELAY_MS, 'folding pending keys stopped (they stay pending, where lookups find them)', (stop) =>
      foldPendingKeys(store, { atLeast: foldAt, shouldStop: () => stop.aborted }));
  }

  // After unlock, the first run would pay for cold code and a cold page cache: rehearse one, rolled back.
  session.onOpen((store) => {
    schedule(store, options.rehearsalDelayMs ?? REHEARSAL_DELAY_MS, 'the rehearsal of an analysis run failed (the store is as it was)', (stop) =>
      rehearseAnalysis(store, { shouldStop: () => stop.aborted }));
  });

  /** Waits for scheduled or running background work; `stop`: a fold or a rehearsal stops after its current slice, and work not begun does not begin. */
  async function settleMaintenance(stop: boolean): Promise<void> {
    const current = maintenance;
    if (current === null) return;
    if (stop) current.stop.abort();
    await current.done;
  }

  return {
    async run(input) {
      const store = session.store();
      const user = session.requireUser();
      if (running !== null) throw new VigilError('conflict', `an analysis run (${running}) is already in progress`);
      const taskId = input.taskId ?? `analysis-${Date.now().toString(36)}-${(counter += 1)}`;
      running = taskId;
      const started = performance.now();
      try {
        // Background work in progress stops after its current slice (a fold's unmoved keys stay pending, a
        // rehearsal's slices are rolled back each), and work not yet begun does not begin.
        await settleMaintenance(true);
        const summary = await analyze(store, {
          full: input.full,
          actor: user.id,
          onProgress: (p) => {
            session.touch(); // a run in progress is activity: the idle lock must not close the store under it
            const elapsed = (performance.now() - started) / 1000;
            emit('progress', { taskId, kind: 'analysis', done: p.done, total: p.total, ratePerSecond: elapsed > 0 ? p.done / elapsed : null, message: p.phase });
          },
        });
        appendAudit(store.db, {
          actor: user.id,
          action: 'analysis.run',
          target: `analysis_run:${summary.runId}`,
          after: { mode: summary.mode, fromSeq: summary.fromSeq, toSeq: summary.toSeq, scored: summary.applicationsScored, rescored: summary.applicationsRescored, ruleSet: summary.ruleSet, modelVersion: summary.modelVersion },
        });
        emit('progress', { taskId, kind: 'analysis', done: 1, total: 1, ratePerSecond: null, message: 'done' });
        if (summary.pendingKeys >= foldAt && summary.pendingKeys > 0) scheduleFold(store);
        const { fromSeq: _from, toSeq: _to, phases: _phases, keysFolded: _folded, pendingKeys: _pending, cohortPatched: _patched, hubPatched: _hubPatched, ...rest } = summary;
        return { taskId, ...rest };
      } finally {
        running = null;
      }
    },
    status() {
      const store = session.store();
      const repo = repositoryFor(store.db, createAnalysisRepository);
      const last = repo.lastRun();
      return {
        pendingChanges: analysisState(store).pending,
        running: running !== null,
        lastRun: last === undefined ? null : { runId: last.id, mode: last.mode, finishedAt: last.finishedAt, ruleSet: last.ruleSet, modelVersion: last.modelVersion },
      };
    },
    caseAnalysis(applicationId) {
      return readCaseAnalysis(session.store(), applicationId);
    },
    maintenanceSettled() {
      return settleMaintenance(false);
    },
  };
}
