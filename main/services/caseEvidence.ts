// The evidence behind a case, for its panels: reasons with the feature values their rules read, the
// devices (and what changed between observations), behaviour against the population, PF history, record
// findings and the ring. Everything the engines stored, read back; other applicants' names leave masked.
import { VigilError } from '../../shared/errors.js';
import type { CaseEvidence } from '../../shared/ipc/ops/cases.js';
import { maskName } from '../../shared/pii/mask.js';
import { SCORE_BANDS, type ScoreBand } from '../../shared/reasons.js';
import { FEATURE_REASON } from '../analysis/scoring/score.js';
import { conditionFeatures, type RuleSet } from '../analysis/scoring/rules.js';
import { repositoryFor } from '../store/repositories/cache.js';
import { createCaseEvidenceRepository, type ObservationRecord } from '../store/repositories/caseEvidence.js';
import { createCaseRecordsRepository } from '../store/repositories/caseRecords.js';
import { activeRuleSet } from './analyze.js';
import type { SessionService } from './session.js';

/** Observations of one device shown at most (the device of a farm may have thousands). */
const OBSERVATIONS_SHOWN = 60;
const OTHERS_SHOWN = 50;
const FEATURES_PER_REASON = 8;
/** Behaviour measures compared with the population, in the order the panel shows them. */
export const BEHAVIOUR_MEASURES = ['msPerChar', 'keyIntervalMean', 'keyIntervalCv', 'fillMsTotal', 'backspaceRate', 'smsLatencyMs', 'navDirectness', 'durationMs'] as const;

function parse<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function bandOf(value: string | null): ScoreBand | null {
  return SCORE_BANDS.find((band) => band === value) ?? null;
}

function isoOf(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}

type Json = Record<string, unknown>;
const objectAt = (value: unknown, key: string): Json => {
  const inner = typeof value === 'object' && value !== null ? (value as Json)[key] : undefined;
  return typeof inner === 'object' && inner !== null ? (inner as Json) : {};
};
const text = (value: unknown): string => (value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value));

/** The attributes of a device observation an investigator compares: what a real phone rarely changes. */
export function observationTraits(raw: string): Record<string, string> {
  const record = parse<Json>(raw, {});
  const screen = objectAt(record, 'screen');
  const hardware = objectAt(record, 'hardware');
  const hashes = objectAt(record, 'hashes');
  const ids = objectAt(record, 'ids');
  const languages = Array.isArray(record['languages']) ? (record['languages'] as unknown[]).map(text).join(',') : '';
  return {
    user_agent: text(record['user_agent']),
    screen: screen['width'] === undefined ? '' : `${text(screen['width'])}x${text(screen['height'])}${screen['dpr'] === undefined ? '' : `@${text(screen['dpr'])}`}`,
    timezone: text(record['timezone']),
    languages,
    model: text(hardware['model']),
    gpu: text(hardware['gpu_renderer']),
    canvas: text(hashes['canvas']).slice(0, 12),
    hardware_id: text(ids['android_id'] ?? ids['idfv'] ?? ids['oaid']).slice(0, 12),
    ip: text(record['ip']),
  };
}

/** What differs between two observations' traits (fields missing on either side are not changes). */
export function traitChanges(before: Record<string, string>, after: Record<string, string>): Array<{ field: string; from: string; to: string }> {
  return Object.keys(after)
    .filter((field) => (before[field] ?? '') !== '' && (after[field] ?? '') !== '' && before[field] !== after[field])
    .map((field) => ({ field, from: before[field] ?? '', to: after[field] ?? '' }));
}

function reasonFeatures(code: string, ruleIds: readonly string[], rules: RuleSet, features: Record<string, number>, withModel: boolean): Array<{ name: string; value: number }> {
  const names = new Set<string>();
  for (const id of ruleIds) {
    const rule = rules.rules.find((candidate) => candidate.id === id);
    if (rule !== undefined) for (const name of conditionFeatures(rule.when)) names.add(name);
  }
  if (withModel) for (const [name, reason] of Object.entries(FEATURE_REASON)) if (reason === code && (features[name] ?? 0) !== 0) names.add(name);
  return [...names]
    .filter((name) => typeof features[name] === 'number' && Number.isFinite(features[name]))
    .slice(0, FEATURES_PER_REASON)
    .map((name) => ({ name, value: Math.round((features[name] ?? 0) * 1000) / 1000 }));
}

export interface CaseEvidenceService {
  evidence(applicationId: string): CaseEvidence;
}

export function createCaseEvidenceService(session: SessionService): CaseEvidenceService {
  return {
    evidence(applicationId) {
      const store = session.store();
      session.requireUser();
      const records = repositoryFor(store.db, createCaseRecordsRepository);
      const repository = repositoryFor(store.db, createCaseEvidenceRepository);
      const application = records.application(applicationId);
      if (application === undefined) throw new VigilError('not_found', `there is no application ${applicationId}`, 'applicationId');
      const applicantId = application.applicantId;
      const analysis = repository.analysis(applicationId);
      const rules = activeRuleSet(store);
      const features = parse<Record<string, number>>(analysis?.featuresJson, {});
      const storedReasons = parse<Array<{ code: string; weight?: number; rules?: string[]; detail?: { en?: string; 'zh-CN'?: string } }>>(analysis?.reasonsJson, []);

      const observations = repository.observationsOf(applicationId, applicantId);
      const deviceIds = [...new Set(observations.map((observation) => observation.deviceId))];
      const devices = deviceIds.map((deviceId) => {
        const identity = repository.identity(deviceId);
        const seen = repository.observationsOfDevice(deviceId, OBSERVATIONS_SHOWN);
        let previous: Record<string, string> | null = null;
        const shown = seen.map((observation: ObservationRecord) => {
          const traits = observationTraits(observation.raw);
          const changes = previous === null ? [] : traitChanges(previous, traits);
          previous = traits;
          return {
            id: observation.observationId,
            observedAt: observation.observedAt,
            platform: observation.platform,
            model: observation.model,
            ip: observation.ip,
            ipRegion: [observation.ipProvince, observation.ipCity].filter((part): part is string => part !== null && part !== '').join(' ') || null,
            thisApplication: observation.applicationId === applicationId,
            flags: parse<string[]>(observation.flagsJson, []),
            changes,
          };
        });
        const others = repository
          .applicationsOnDevice(deviceId, OTHERS_SHOWN + 1)
          .filter((member) => member.applicationId !== null && member.applicationId !== applicationId)
          .slice(0, OTHERS_SHOWN)
          .map((member) => ({ applicationId: member.applicationId ?? '', applicantName: member.name === null ? '—' : maskName(member.name), score: member.score, band: bandOf(member.band) }));
        return {
          deviceId,
          firstSeen: isoOf(identity?.firstSeenMs),
          lastSeen: isoOf(identity?.lastSeenMs),
          observationCount: identity?.observations ?? seen.length,
          applicants: identity?.applicants ?? 0,
          applications: identity?.applications ?? 0,
          flags: parse<string[]>(identity?.flagsJson, []),
          traits: parse<Array<{ flag: string; detail: string }>>(identity?.traitsJson, []),
          hardwareIdResets: identity?.hardwareIdResets ?? 0,
          observations: shown,
          others,
        };
      });

      const sessions = repository.sessions(applicationId).map((row) => {
        const sessionFeatures = parse<Json>(row.featuresJson, {});
        const assessment = parse<{ botSignals?: string[]; coachedSignals?: string[]; percentiles?: Record<string, number> }>(row.assessmentJson, {});
        const fill = objectAt(sessionFeatures, 'fillMsByField');
        const number = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
        return {
          sessionId: row.sessionId,
          bot: row.bot,
          coached: row.coached,
          // Pasted fields have their own chips; bot and coached verdicts may share a sign: each once.
          signals: [...new Set([...(assessment.botSignals ?? []), ...(assessment.coachedSignals ?? [])].filter((signal) => !signal.startsWith('pasted=')))],
          fillMsByField: Object.fromEntries(Object.entries(fill).filter((entry): entry is [string, number] => typeof entry[1] === 'number')),
          pastedFields: Array.isArray(sessionFeatures['pastedIdentityFields']) ? (sessionFeatures['pastedIdentityFields'] as unknown[]).map(text) : [],
          measures: BEHAVIOUR_MEASURES.map((name) => ({ name, value: number(sessionFeatures[name]), percentile: number(assessment.percentiles?.[name]) })),
        };
      });

      const baselineBody = parse<{ sessions?: number; features?: Record<string, { quantiles?: number[]; median?: number }> } | null>(repository.baselineJson(), null);
      const baseline =
        baselineBody?.features === undefined
          ? null
          : Object.fromEntries(
              Object.entries(baselineBody.features)
                .filter(([, summary]) => Array.isArray(summary.quantiles) && summary.quantiles.length === 101)
                .map(([name, summary]) => {
                  const q = summary.quantiles ?? [];
                  return [name, { p5: q[5] ?? 0, p25: q[25] ?? 0, median: q[50] ?? 0, p75: q[75] ?? 0, p95: q[95] ?? 0, sessions: baselineBody.sessions ?? 0 }];
                }),
            );

      const ringRow = repository.ringOf(applicantId);
      const confirmed = new Set(parse<string[]>(ringRow?.confirmedJson, []));
      const shared = new Map<string, number>();
      for (const link of parse<Array<{ kind: string; members: number }>>(ringRow?.linksJson, [])) shared.set(link.kind, Math.max(shared.get(link.kind) ?? 0, link.members));
      const ring =
        ringRow === undefined
          ? null
          : {
              ringId: ringRow.ringId,
              score: ringRow.score,
              size: ringRow.size,
              strongKinds: parse<string[]>(ringRow.strongKindsJson, []),
              shared: [...shared.entries()].sort((a, b) => b[1] - a[1]).map(([kind, members]) => ({ kind, members })),
              members: repository.ringMembers(ringRow.ringId).map((member) => ({
                applicantId: member.applicantId,
                applicationId: member.applicationId,
                name: member.name === null ? '—' : maskName(member.name),
                score: member.score,
                band: bandOf(member.band),
                current: member.applicantId === applicantId,
                confirmedFraud: confirmed.has(member.applicantId),
              })),
              edges: parse<Array<{ a: string; b: string; kinds: string[]; weight: number }>>(ringRow.edgesJson, []).map((edge) => ({ a: edge.a, b: edge.b, kinds: edge.kinds, weight: edge.weight })),
            };

      return {
        scored: analysis !== undefined,
        score: analysis?.score ?? null,
        band: bandOf(analysis?.band ?? null),
        scoredAt: analysis?.scoredAt ?? null,
        ruleSet: analysis?.ruleSet ?? null,
        modelVersion: analysis?.modelVersion ?? null,
        history: repository.scoreHistory(applicationId).map((entry) => ({ score: entry.score, band: bandOf(entry.band), ruleSet: entry.ruleSet, scoredAt: entry.scoredAt })),
        reasons: storedReasons.map((reason) => ({
          code: reason.code,
          points: reason.weight ?? 0,
          detail: { en: reason.detail?.en ?? '', 'zh-CN': reason.detail?.['zh-CN'] ?? '' },
          rules: reason.rules ?? [],
          features: reasonFeatures(reason.code, reason.rules ?? [], rules, features, analysis?.modelVersion != null),
        })),
        findings: parse<Array<{ family: string; check: string; detail: string }>>(analysis?.findingsJson, []).map((finding) => ({ family: finding.family, check: finding.check, detail: finding.detail })),
        devices,
        sessions,
        baseline,
        pf: repository.pfRecords(applicantId).map((record) => ({
          id: record.id,
          city: record.city,
          employer: record.employer,
          status: record.status,
          base: record.base,
          rate: record.rate,
          firstMonth: record.firstMonth,
          lastMonth: record.lastMonth,
          monthsPaid: record.monthsPaid,
          history: parse<Array<{ month?: unknown; amount?: unknown; employer?: unknown }>>(record.historyJson, [])
            .filter((entry) => typeof entry.month === 'string' && typeof entry.amount === 'number')
            .map((entry) => ({ month: String(entry.month), amount: Number(entry.amount), employer: typeof entry.employer === 'string' ? entry.employer : null })),
        })),
        recordFindings: repository.recordFindings(applicantId, applicationId).map((finding) => ({ recordType: finding.recordType, code: finding.code, field: finding.field, detail: finding.detail })),
        ring,
      };
    },
  };
}
