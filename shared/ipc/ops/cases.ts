// The investigator's desk: the case queue, one case's workflow (claim, assign, decide, notes,
// evidence) and the four-eyes review of rejections. PII leaves main masked; revealing is the
// store's `revealPii` operation, which audits the reason.
import { z } from 'zod';
import { SCORE_BANDS } from '../../reasons.js';
import { operation } from '../define.js';

const id = z.string().min(1).max(200);

/** Workflow states. A case without a workflow row is `open`: the row appears on first claim, assignment or decision. */
export const CASE_STATUSES = ['open', 'in_progress', 'awaiting_documents', 'escalated', 'pending_review', 'decided', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
/** What the queue shows unless the investigator asks for more: work that still needs someone. */
export const ACTIVE_STATUSES = ['open', 'in_progress', 'awaiting_documents', 'escalated'] as const satisfies readonly CaseStatus[];

export const SLA_STATES = ['overdue', 'due_soon', 'on_time'] as const;
export type SlaState = (typeof SLA_STATES)[number];

/** Why an application is on the desk: the engines' band, the platform's own decision, or an appeal. */
export const CASE_SOURCES = ['engine', 'platform', 'appeal'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

export const DECISION_OUTCOMES = ['approve', 'reject', 'escalate', 'request_documents'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

export const QUEUE_SORTS = ['score_desc', 'sla_asc', 'submitted_desc', 'submitted_asc'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const queueFilter = z.strictObject({
  bands: z.array(z.enum(SCORE_BANDS)).max(SCORE_BANDS.length).optional(),
  /** Defaults to ACTIVE_STATUSES. */
  statuses: z.array(z.enum(CASE_STATUSES)).max(CASE_STATUSES.length).optional(),
  reasonCodes: z.array(z.string().max(64)).max(50).optional(),
  /** `me`, `unassigned`, or a user id. */
  assignee: z.string().max(200).optional(),
  sla: z.enum(SLA_STATES).optional(),
  submittedFrom: date.optional(),
  submittedTo: date.optional(),
  importBatch: z.string().max(200).optional(),
  source: z.enum(CASE_SOURCES).optional(),
  /** Applicant name, phone or resident ID number (or part of it); matched in main, never echoed back in clear. */
  search: z.string().trim().max(100).optional(),
});
export type QueueFilter = z.infer<typeof queueFilter>;

const userRef = z.strictObject({ id: z.string(), displayName: z.string() });

export const queueRow = z.strictObject({
  applicationId: z.string(),
  applicantId: z.string(),
  /** Masked, e.g. 张* / 110105********1234 / 138****5678. */
  applicantName: z.string(),
  idNumber: z.string(),
  phone: z.string(),
  score: z.number().nullable(),
  band: z.enum(SCORE_BANDS).nullable(),
  topReasons: z.array(z.string()),
  source: z.enum(CASE_SOURCES),
  status: z.enum(CASE_STATUSES),
  assignee: userRef.nullable(),
  submittedAt: z.string(),
  slaDueAt: z.string(),
  platformDecision: z.string().nullable(),
  importBatch: z.string().nullable(),
});
export type QueueRow = z.infer<typeof queueRow>;

export const queuePage = z.strictObject({
  total: z.number(),
  offset: z.number(),
  rows: z.array(queueRow),
});
export type QueuePage = z.infer<typeof queuePage>;

const facet = z.array(z.strictObject({ value: z.string(), label: z.string().optional(), count: z.number() }));
export const queueCounts = z.strictObject({
  total: z.number(),
  bands: facet,
  statuses: facet,
  reasons: facet,
  assignees: facet,
  sla: facet,
  batches: facet,
  sources: facet,
});
export type QueueCounts = z.infer<typeof queueCounts>;

export const caseDecision = z.strictObject({
  id: z.string(),
  outcome: z.enum(DECISION_OUTCOMES),
  reasonCodes: z.array(z.string()),
  comment: z.string().nullable(),
  scoreAtDecision: z.number().nullable(),
  decidedBy: userRef,
  decidedAt: z.string(),
  requiresReview: z.boolean(),
  effective: z.boolean(),
  review: z
    .strictObject({
      status: z.enum(['pending', 'signed_off', 'sent_back']),
      reviewer: userRef.nullable(),
      comment: z.string().nullable(),
      reviewedAt: z.string().nullable(),
    })
    .nullable(),
});
export type CaseDecision = z.infer<typeof caseDecision>;

export const caseNote = z.strictObject({
  id: z.string(),
  format: z.enum(['plain', 'markdown']),
  body: z.string(),
  author: userRef,
  createdAt: z.string(),
});
export type CaseNote = z.infer<typeof caseNote>;

export const caseAttachment = z.strictObject({
  id: z.string(),
  fileName: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  addedBy: userRef,
  addedAt: z.string(),
});
export type CaseAttachment = z.infer<typeof caseAttachment>;

export const previousApplication = z.strictObject({
  applicationId: z.string(),
  submittedAt: z.string(),
  score: z.number().nullable(),
  band: z.enum(SCORE_BANDS).nullable(),
  platformDecision: z.string().nullable(),
  status: z.enum(CASE_STATUSES),
});

export const caseDetail = z.strictObject({
  applicationId: z.string(),
  caseId: z.string().nullable(),
  applicant: z.strictObject({
    id: z.string(),
    name: z.string(),
    idNumber: z.string(),
    phone: z.string(),
    /** From the resident ID (not PII on its own): helps judge plausibility without revealing. */
    gender: z.enum(['male', 'female']).nullable(),
    age: z.number().nullable(),
    region: z.string().nullable(),
    employer: z.string().nullable(),
    declaredIncomeMonthly: z.number().nullable(),
    registeredAt: z.string().nullable(),
  }),
  application: z.strictObject({
    submittedAt: z.string(),
    product: z.string().nullable(),
    channel: z.string().nullable(),
    requestedLimit: z.number().nullable(),
    platformScore: z.number().nullable(),
    platformDecision: z.string().nullable(),
    platformReasons: z.array(z.string()),
    importBatch: z.string().nullable(),
  }),
  score: z.number().nullable(),
  band: z.enum(SCORE_BANDS).nullable(),
  source: z.enum(CASE_SOURCES),
  status: z.enum(CASE_STATUSES),
  assignee: userRef.nullable(),
  slaDueAt: z.string(),
  /** Rejections at or above this score wait for a team lead's sign-off before they count. */
  reviewThreshold: z.number(),
  decisions: z.array(caseDecision),
  notes: z.array(caseNote),
  attachments: z.array(caseAttachment),
  previousApplications: z.array(previousApplication),
  appeals: z.array(z.strictObject({ id: z.string(), filedAt: z.string(), channel: z.string().nullable(), statement: z.string().nullable() })),
  /** What the signed-in user may do here, so the UI offers only what main will accept. */
  can: z.strictObject({ claim: z.boolean(), release: z.boolean(), assign: z.boolean(), decide: z.boolean(), review: z.boolean(), annotate: z.boolean() }),
});
export type CaseDetail = z.infer<typeof caseDetail>;

export const timelineEvent = z.strictObject({
  id: z.string(),
  ts: z.string(),
  kind: z.string(),
  step: z.number().nullable(),
  sessionId: z.string().nullable(),
  deviceId: z.string().nullable(),
  ip: z.string().nullable(),
  attrs: z.record(z.string(), z.unknown()),
});
export type TimelineEvent = z.infer<typeof timelineEvent>;

export const caseTimeline = z.strictObject({
  applicationId: z.string(),
  eventCount: z.number(),
  /**
   * The events in time order as one JSON text of rows (see encodeTimelineEvents): a case can hold
   * thousands, and one compact string crosses either host's bridge many times faster than objects.
   */
  eventsJson: z.string(),
  /** Device observations of this application, for the device and IP change markers. */
  devices: z.array(z.strictObject({ id: z.string(), observedAt: z.string(), platform: z.string(), model: z.string().nullable(), ip: z.string().nullable() })),
});
export type CaseTimeline = z.infer<typeof caseTimeline>;

type TimelineRow = [string, string, string, number | null, string | null, string | null, string | null, Record<string, unknown>];

/** Events as rows `[id, ts, kind, step, sessionId, deviceId, ip, attrs]`: no key repeated 5,000 times. */
export function encodeTimelineEvents(events: readonly TimelineEvent[]): string {
  return JSON.stringify(events.map((event): TimelineRow => [event.id, event.ts, event.kind, event.step, event.sessionId, event.deviceId, event.ip, event.attrs]));
}

export function decodeTimelineEvents(json: string): TimelineEvent[] {
  return (JSON.parse(json) as TimelineRow[]).map(([id, ts, kind, step, sessionId, deviceId, ip, attrs]) => ({ id, ts, kind, step, sessionId, deviceId, ip, attrs }));
}

const bilingual = z.strictObject({ en: z.string(), 'zh-CN': z.string() });
const nullableNumber = z.number().nullable();

/** What the engines concluded about a case, and the records behind it: the evidence panels' data. */
export const caseEvidence = z.strictObject({
  scored: z.boolean(),
  score: nullableNumber,
  band: z.enum(SCORE_BANDS).nullable(),
  scoredAt: z.string().nullable(),
  ruleSet: z.string().nullable(),
  modelVersion: z.string().nullable(),
  /** Every distinct score this application has had (new data, new rules, a new model), oldest first. */
  history: z.array(z.strictObject({ score: z.number(), band: z.enum(SCORE_BANDS).nullable(), ruleSet: z.string(), scoredAt: z.string() })),
  /** Reasons, largest contribution first, with the rules that fired and the feature values they read. */
  reasons: z.array(
    z.strictObject({
      code: z.string(),
      points: z.number(),
      detail: bilingual,
      rules: z.array(z.string()),
      features: z.array(z.strictObject({ name: z.string(), value: z.number() })),
    }),
  ),
  /** The engines' findings (English technical detail), by family: device, network, behaviour, identity, pf, ring. */
  findings: z.array(z.strictObject({ family: z.string(), check: z.string(), detail: z.string() })),
  devices: z.array(
    z.strictObject({
      deviceId: z.string(),
      firstSeen: z.string().nullable(),
      lastSeen: z.string().nullable(),
      observationCount: z.number(),
      applicants: z.number(),
      applications: z.number(),
      flags: z.array(z.string()),
      traits: z.array(z.strictObject({ flag: z.string(), detail: z.string() })),
      hardwareIdResets: z.number(),
      /** This device's observations in time order, each with what changed since the one before. */
      observations: z.array(
        z.strictObject({
          id: z.string(),
          observedAt: z.string(),
          platform: z.string(),
          model: z.string().nullable(),
          ip: z.string().nullable(),
          ipRegion: z.string().nullable(),
          thisApplication: z.boolean(),
          flags: z.array(z.string()),
          changes: z.array(z.strictObject({ field: z.string(), from: z.string(), to: z.string() })),
        }),
      ),
      /** Other applications seen on the device (names masked). */
      others: z.array(z.strictObject({ applicationId: z.string(), applicantName: z.string(), score: nullableNumber, band: z.enum(SCORE_BANDS).nullable() })),
    }),
  ),
  sessions: z.array(
    z.strictObject({
      sessionId: z.string(),
      bot: z.boolean(),
      coached: z.boolean(),
      signals: z.array(z.string()),
      fillMsByField: z.record(z.string(), z.number()),
      pastedFields: z.array(z.string()),
      /** The session's measures and where each falls in the population (percentile 0-100). */
      measures: z.array(z.strictObject({ name: z.string(), value: nullableNumber, percentile: nullableNumber })),
    }),
  ),
  /** Population distribution of each behaviour measure (p5, p25, median, p75, p95), or null before a baseline exists. */
  baseline: z.record(z.string(), z.strictObject({ p5: z.number(), p25: z.number(), median: z.number(), p75: z.number(), p95: z.number(), sessions: z.number() })).nullable(),
  pf: z.array(
    z.strictObject({
      id: z.string(),
      city: z.string(),
      employer: z.string(),
      status: z.string().nullable(),
      base: nullableNumber,
      rate: nullableNumber,
      firstMonth: z.string().nullable(),
      lastMonth: z.string().nullable(),
      monthsPaid: nullableNumber,
      history: z.array(z.strictObject({ month: z.string(), amount: z.number(), employer: z.string().nullable() })),
    }),
  ),
  /** Failed domain checks stored with the records at import (ID checksum, region, card BIN...). */
  recordFindings: z.array(z.strictObject({ recordType: z.string(), code: z.string(), field: z.string(), detail: z.string() })),
  ring: z
    .strictObject({
      ringId: z.string(),
      score: z.number(),
      size: z.number(),
      strongKinds: z.array(z.string()),
      shared: z.array(z.strictObject({ kind: z.string(), members: z.number() })),
      members: z.array(
        z.strictObject({
          applicantId: z.string(),
          applicationId: z.string().nullable(),
          name: z.string(),
          score: nullableNumber,
          band: z.enum(SCORE_BANDS).nullable(),
          current: z.boolean(),
          confirmedFraud: z.boolean(),
        }),
      ),
      edges: z.array(z.strictObject({ a: z.string(), b: z.string(), kinds: z.array(z.string()), weight: z.number() })),
    })
    .nullable(),
});
export type CaseEvidence = z.infer<typeof caseEvidence>;

const caseRef = z.strictObject({ applicationId: id });
const decidable = ['investigator', 'team_lead', 'admin'] as const;

export const caseSettings = z.strictObject({
  /** Rejections scoring at least this (0-1000) wait for a team lead's sign-off; 1001 turns four-eyes off. */
  reviewThreshold: z.number().int().min(0).max(1001),
  /** Hours from a case reaching the desk to its SLA deadline. */
  slaHours: z.number().int().min(1).max(24 * 30),
});
export type CaseSettings = z.infer<typeof caseSettings>;

export const caseOperations = {
  getCaseSettings: operation({ input: z.strictObject({}), output: caseSettings, access: 'signed_in' }),
  /** Team leads tune the desk: audited like every change. */
  setCaseSettings: operation({ input: caseSettings.partial().strict(), output: caseSettings, access: ['team_lead', 'admin'] }),
  listQueue: operation({
    input: z.strictObject({
      filter: queueFilter,
      sort: z.enum(QUEUE_SORTS).default('score_desc'),
      offset: z.number().int().min(0).max(10_000_000).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    output: queuePage,
    access: 'signed_in',
  }),
  getQueueCounts: operation({ input: z.strictObject({ filter: queueFilter }), output: queueCounts, access: 'signed_in' }),
  getCase: operation({ input: caseRef, output: caseDetail, access: 'signed_in' }),
  getCaseTimeline: operation({ input: caseRef, output: caseTimeline, access: 'signed_in' }),
  getCaseEvidence: operation({ input: caseRef, output: caseEvidence, access: 'signed_in' }),
  claimCase: operation({ input: caseRef, output: caseDetail, access: decidable }),
  releaseCase: operation({ input: caseRef, output: caseDetail, access: decidable }),
  assignCase: operation({ input: caseRef.extend({ assigneeId: id }).strict(), output: caseDetail, access: ['team_lead', 'admin'] }),
  listAssignees: operation({
    input: z.strictObject({}),
    output: z.array(z.strictObject({ id: z.string(), displayName: z.string(), role: z.string() })),
    access: 'signed_in',
  }),
  decideCase: operation({
    input: caseRef
      .extend({
        outcome: z.enum(DECISION_OUTCOMES),
        reasonCodes: z.array(z.string().min(1).max(64)).max(30).default([]),
        comment: z.string().trim().max(4000).optional(),
      })
      .strict(),
    output: caseDetail,
    access: decidable,
  }),
  /** Team-lead four-eyes review of a decision that needs it. */
  listPendingReviews: operation({
    input: z.strictObject({}),
    output: z.array(
      z.strictObject({
        decisionId: z.string(),
        applicationId: z.string(),
        applicantName: z.string(),
        outcome: z.enum(DECISION_OUTCOMES),
        reasonCodes: z.array(z.string()),
        scoreAtDecision: z.number().nullable(),
        decidedBy: userRef,
        decidedAt: z.string(),
      }),
    ),
    access: ['team_lead', 'admin'],
  }),
  reviewDecision: operation({
    input: z.strictObject({ decisionId: id, verdict: z.enum(['signed_off', 'sent_back']), comment: z.string().trim().max(4000).optional() }),
    output: caseDetail,
    access: ['team_lead', 'admin'],
  }),
  addCaseNote: operation({
    input: caseRef.extend({ format: z.enum(['plain', 'markdown']).default('plain'), body: z.string().trim().min(1).max(20_000) }).strict(),
    output: caseNote,
    access: decidable,
  }),
  addCaseAttachment: operation({
    input: caseRef
      .extend({
        fileName: z.string().trim().min(1).max(255),
        mediaType: z.string().max(200),
        /** Base64 of the bytes; 10 MB of evidence at most per file. */
        contentBase64: z.string().max(14_000_000),
      })
      .strict(),
    output: caseAttachment,
    access: decidable,
  }),
  getCaseAttachment: operation({
    input: z.strictObject({ attachmentId: id }),
    output: caseAttachment.extend({ contentBase64: z.string() }).strict(),
    access: 'signed_in',
  }),
};
