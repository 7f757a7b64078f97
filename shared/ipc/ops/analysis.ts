// Analysis from the window: run the engines over what changed, and read one case's analysis compactly
// (score and reasons, device identity, behaviour against the population, findings, ring as a small graph).
// Progress of a run arrives as `progress` events (kind `analysis`) with the taskId.
import { z } from 'zod';
import { SCORE_BANDS } from '../../reasons.js';
import { operation } from '../define.js';

const taskId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '1-64 letters, digits, _ or -');
const id = z.string().min(1).max(200);
const bilingual = z.strictObject({ en: z.string(), 'zh-CN': z.string() });
const nullableNumber = z.number().nullable();

export const analysisRunSummary = z.strictObject({
  taskId: z.string(),
  runId: z.number(),
  mode: z.enum(['full', 'incremental']),
  observationsLinked: z.number(),
  deviceIdentitiesTouched: z.number(),
  applicantsAffected: z.number(),
  applicationsScored: z.number(),
  applicationsRescored: z.number(),
  historyRows: z.number(),
  ringsWritten: z.number(),
  ruleSet: z.string(),
  modelVersion: z.string().nullable(),
  baselineVersion: z.string(),
  ipDatabase: z.boolean(),
  durationMs: z.number(),
});
export type AnalysisRunSummary = z.infer<typeof analysisRunSummary>;

export const analysisStatus = z.strictObject({
  /** Record changes imported since the last run: the scores shown are stale while this is above 0. */
  pendingChanges: z.number(),
  running: z.boolean(),
  lastRun: z
    .strictObject({ runId: z.number(), mode: z.enum(['full', 'incremental']), finishedAt: z.string().nullable(), ruleSet: z.string(), modelVersion: z.string().nullable() })
    .nullable(),
});
export type AnalysisStatus = z.infer<typeof analysisStatus>;

export const caseAnalysis = z.strictObject({
  applicationId: z.string(),
  applicantId: z.string().nullable(),
  /** False until an analysis run has scored this application. */
  scored: z.boolean(),
  score: nullableNumber,
  band: z.enum(SCORE_BANDS).nullable(),
  ruleSet: z.string().nullable(),
  modelVersion: z.string().nullable(),
  scoredAt: z.string().nullable(),
  /** Largest contribution first; `points` is the reason's share of the score (0-1000 scale). */
  reasons: z.array(z.strictObject({ code: z.string(), points: z.number(), detail: bilingual, rules: z.array(z.string()) })),
  /** Earlier scores of this application (a new entry whenever its data, the rules or the model changed). */
  history: z.array(z.strictObject({ score: z.number(), band: z.string(), ruleSet: z.string(), modelVersion: z.string().nullable(), scoredAt: z.string() })),
  findings: z.array(z.strictObject({ family: z.string(), check: z.string(), detail: z.string() })),
  devices: z.array(
    z.strictObject({
      deviceId: z.string(),
      flags: z.array(z.string()),
      traits: z.array(z.strictObject({ flag: z.string(), detail: z.string() })),
      hardwareIdResets: z.number(),
      firstSeen: z.string().nullable(),
      lastSeen: z.string().nullable(),
      /** The device's observations, newest first (at most 50). */
      observations: z.array(
        z.strictObject({
          observationId: z.string(),
          observedAt: z.string(),
          applicationId: z.string().nullable(),
          thisApplication: z.boolean(),
          flags: z.array(z.string()),
          ipRegion: z.string().nullable(),
        }),
      ),
      observationCount: z.number(),
      /** Other applicants seen on the device (at most 50), with their applications on it. */
      otherApplicants: z.array(z.strictObject({ applicantId: z.string(), applicationIds: z.array(z.string()) })),
    }),
  ),
  behaviour: z.array(
    z.strictObject({
      sessionId: z.string(),
      bot: z.boolean(),
      coached: z.boolean(),
      signals: z.array(z.string()),
      /** The session's measures and their percentile in the population baseline (0-100). */
      measures: z.array(z.strictObject({ name: z.string(), value: nullableNumber, percentile: nullableNumber })),
    }),
  ),
  ring: z
    .strictObject({
      ringId: z.string(),
      score: z.number(),
      size: z.number(),
      links: z.array(z.strictObject({ kind: z.string(), valueHash: z.string(), members: z.number() })),
      nodes: z.array(z.strictObject({ applicantId: z.string(), current: z.boolean(), confirmedFraud: z.boolean() })),
      edges: z.array(z.strictObject({ a: z.string(), b: z.string(), kinds: z.array(z.string()), weight: z.number() })),
    })
    .nullable(),
});
export type CaseAnalysis = z.infer<typeof caseAnalysis>;

const runners = ['investigator', 'team_lead', 'admin'] as const;

export const analysisOperations = {
  runAnalysis: operation({
    input: z.strictObject({ taskId: taskId.optional(), full: z.boolean().default(false) }),
    output: analysisRunSummary,
    access: runners,
  }),
  getAnalysisStatus: operation({ input: z.strictObject({}), output: analysisStatus, access: 'signed_in' }),
  getCaseAnalysis: operation({ input: z.strictObject({ applicationId: id }), output: caseAnalysis, access: 'signed_in' }),
};
