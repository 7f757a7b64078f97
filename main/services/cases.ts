// The case desk: the queue (a query over applications and their scores, windowed), one case as
// the investigator sees it (PII masked), and who holds it. Decisions, reviews, notes and evidence
// are their own services (decisions.ts, notes.ts) over the same helpers.
import { randomUUID } from 'node:crypto';
import { VigilError } from '../../shared/errors.js';
import type { Role } from '../../shared/domain/roles.js';
import type { SessionUser } from '../../shared/ipc/ops/session.js';
import {
  ACTIVE_STATUSES,
  encodeTimelineEvents,
  type CaseDetail,
  type CaseSettings,
  type CaseSource,
  type CaseStatus,
  type CaseTimeline,
  type QueueCounts,
  type QueueFilter,
  type QueuePage,
  type QueueSort,
} from '../../shared/ipc/ops/cases.js';
import { maskIdNumber, maskName, maskPhone } from '../../shared/pii/mask.js';
import { isReasonCode, SCORE_BANDS, type ScoreBand } from '../../shared/reasons.js';
import { appendAudit } from '../store/audit.js';
import type { Database } from '../store/database.js';
import { repositoryFor } from '../store/repositories/cache.js';
import { createCaseRecordsRepository, type ApplicationRecordRow } from '../store/repositories/caseRecords.js';
import { createCasesRepository, type CaseRow } from '../store/repositories/cases.js';
import { createCaseQueueRepository, type QueueQuery } from '../store/repositories/caseQueue.js';
import { createDecisionsRepository } from '../store/repositories/decisions.js';
import { createNotesRepository } from '../store/repositories/notes.js';
import { createSettingsRepository } from '../store/repositories/settings.js';
import type { SessionService } from './session.js';

export const REVIEW_THRESHOLD_SETTING = 'cases.review_threshold';
export const SLA_HOURS_SETTING = 'cases.sla_hours';
/** Rejections scoring at least this wait for a team lead (the high band's upper half by default). */
export const DEFAULT_REVIEW_THRESHOLD = 700;
export const DEFAULT_SLA_HOURS = 24;
/** An SLA due within this is "due soon" in the queue's filter. */
export const DUE_SOON_MS = 4 * 3600_000;

const DECIDING_ROLES: readonly Role[] = ['investigator', 'team_lead', 'admin'];
const LEADING_ROLES: readonly Role[] = ['team_lead', 'admin'];
const CLOSED: readonly CaseStatus[] = ['decided', 'closed'];

export interface CaseDesk {
  readonly db: Database;
  readonly user: SessionUser;
  readonly now: Date;
  reviewThreshold(): number;
  slaHours(): number;
}

/** The store, the signed-in user and the settings a case operation needs, read once per call. */
export function openDesk(session: SessionService, now: Date = new Date()): CaseDesk {
  const store = session.store();
  const user = session.requireUser();
  const settings = repositoryFor(store.db, createSettingsRepository);
  const numberSetting = (key: string, fallback: number): number => {
    const value = settings.get(key);
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
  };
  return {
    db: store.db,
    user,
    now,
    reviewThreshold: () => numberSetting(REVIEW_THRESHOLD_SETTING, DEFAULT_REVIEW_THRESHOLD),
    slaHours: () => numberSetting(SLA_HOURS_SETTING, DEFAULT_SLA_HOURS),
  };
}

export function isBand(value: unknown): value is ScoreBand {
  return typeof value === 'string' && (SCORE_BANDS as readonly string[]).includes(value);
}

/** Gender and birth date from the resident ID (GB 11643: digit 17 odd = male): not PII alone, helps judge plausibility. */
export function genderOf(idNumber: string): 'male' | 'female' | null {
  const digit = Number(idNumber.charAt(16));
  return idNumber.length === 18 && Number.isInteger(digit) ? (digit % 2 === 1 ? 'male' : 'female') : null;
}

export function ageAt(birthDate: string | null, at: Date): number | null {
  if (birthDate === null) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (match === null) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  let age = at.getUTCFullYear() - year;
  if (at.getUTCMonth() + 1 < month || (at.getUTCMonth() + 1 === month && at.getUTCDate() < day)) age -= 1;
  return age;
}

/** When the case's SLA runs out: fixed when it reached the desk (the import that brought it), plus the SLA. */
export function slaDueFor(application: ApplicationRecordRow, slaHours: number): string {
  const arrived = Date.parse(application.arrivedAt ?? application.submittedAt);
  return new Date((Number.isFinite(arrived) ? arrived : application.submittedMs) + slaHours * 3600_000).toISOString();
}

export function sourceOf(band: string | null, platformDecision: string | null, appeals: number): CaseSource {
  if (band !== null && band !== 'low') return 'engine';
  if (platformDecision === 'review' || platformDecision === 'rejected') return 'platform';
  if (appeals > 0) return 'appeal';
  return 'engine';
}

function requireApplication(desk: CaseDesk, applicationId: string): ApplicationRecordRow {
  const application = repositoryFor(desk.db, createCaseRecordsRepository).application(applicationId);
  if (application === undefined) throw new VigilError('not_found', `there is no application ${applicationId}`, 'applicationId');
  return application;
}

/** The case row, created on first touch with the score, SLA and batch it had when it reached the desk. */
export function ensureCase(desk: CaseDesk, applicationId: string): CaseRow {
  const cases = repositoryFor(desk.db, createCasesRepository);
  const existing = cases.byApplication(applicationId);
  if (existing !== undefined) return existing;
  const application = requireApplication(desk, applicationId);
  const score = repositoryFor(desk.db, createCaseQueueRepository).currentScore(applicationId);
  cases.insert({
    id: randomUUID(),
    applicationId,
    applicantId: application.applicantId,
    score: score?.score ?? null,
    band: score?.band ?? null,
    slaDueAt: slaDueFor(application, desk.slaHours()),
    importBatch: String(application.batchId),
    at: desk.now.toISOString(),
  });
  const created = cases.byApplication(applicationId);
  if (created === undefined) throw new Error(`case for ${applicationId} vanished after insert`);
  return created;
}

function isClosed(status: CaseStatus): boolean {
  return CLOSED.includes(status) || status === 'pending_review';
}

/** Whether the signed-in user may act on a case someone else holds: team leads and admins may. */
export function mayOverride(user: SessionUser): boolean {
  return LEADING_ROLES.includes(user.role);
}

export function permissions(user: SessionUser, status: CaseStatus, assigneeId: string | null): CaseDetail['can'] {
  const deciding = DECIDING_ROLES.includes(user.role);
  const leading = LEADING_ROLES.includes(user.role);
  const closed = isClosed(status);
  const heldByOther = assigneeId !== null && assigneeId !== user.id;
  return {
    claim: deciding && !closed && assigneeId !== user.id && (!heldByOther || leading),
    release: deciding && !closed && assigneeId === user.id,
    assign: leading && !closed,
    decide: deciding && !closed && (!heldByOther || leading),
    review: leading,
    annotate: deciding,
  };
}

export function buildCaseDetail(desk: CaseDesk, applicationId: string): CaseDetail {
  const records = repositoryFor(desk.db, createCaseRecordsRepository);
  const queue = repositoryFor(desk.db, createCaseQueueRepository);
  const cases = repositoryFor(desk.db, createCasesRepository);
  const application = requireApplication(desk, applicationId);
  const applicant = records.applicant(application.applicantId);
  const row = cases.byApplication(applicationId);
  const score = queue.currentScore(applicationId);
  const appeals = records.appeals(applicationId);
  const status: CaseStatus = row?.status ?? 'open';
  const decisions = row === undefined ? [] : repositoryFor(desk.db, createDecisionsRepository).forCase(row.id);
  const notes = row === undefined ? { notes: [], attachments: [] } : (() => {
    const repository = repositoryFor(desk.db, createNotesRepository);
    return { notes: repository.notesFor(row.id), attachments: repository.attachmentsFor(row.id) };
  })();
  const previous = applicant === undefined ? [] : records.applicationsOf(applicant.id).filter((other) => other.id !== applicationId);

  return {
    applicationId,
    caseId: row?.id ?? null,
    applicant: {
      id: application.applicantId,
      name: applicant === undefined ? '—' : maskName(applicant.name),
      idNumber: applicant === undefined ? '—' : maskIdNumber(applicant.idNumber),
      phone: applicant === undefined ? '—' : maskPhone(applicant.phone),
      gender: applicant === undefined ? null : genderOf(applicant.idNumber),
      age: applicant === undefined ? null : ageAt(applicant.birthDate, new Date(application.submittedMs)),
      region: applicant === undefined ? null : [applicant.province, applicant.city].filter((part) => part !== null && part !== '').join(' ') || null,
      employer: applicant?.employer ?? null,
      declaredIncomeMonthly: applicant?.declaredIncomeMonthly ?? null,
      registeredAt: applicant?.registeredAt ?? null,
    },
    application: {
      submittedAt: application.submittedAt,
      product: application.product,
      channel: application.channel,
      requestedLimit: application.requestedLimit,
      platformScore: application.platformScore,
      platformDecision: application.platformDecision,
      platformReasons: application.platformReasons,
      importBatch: String(application.batchId),
    },
    score: score?.score ?? null,
    band: score?.band ?? null,
    source: sourceOf(score?.band ?? null, application.platformDecision, appeals.length),
    status,
    assignee: row?.assigneeId == null ? null : { id: row.assigneeId, displayName: row.assigneeName ?? row.assigneeId },
    slaDueAt: row?.slaDueAt ?? slaDueFor(application, desk.slaHours()),
    reviewThreshold: desk.reviewThreshold(),
    decisions: decisions.map((decision) => ({
      id: decision.id,
      outcome: decision.outcome,
      reasonCodes: decision.reasonCodes,
      comment: decision.comment,
      scoreAtDecision: decision.scoreAtDecision,
      decidedBy: { id: decision.decidedBy, displayName: decision.decidedByName },
      decidedAt: decision.decidedAt,
      requiresReview: decision.requiresReview,
      effective: decision.effective,
      review:
        decision.review === null
          ? null
          : {
              status: decision.review.status,
              reviewer: decision.review.reviewerId === null ? null : { id: decision.review.reviewerId, displayName: decision.review.reviewerName ?? decision.review.reviewerId },
              comment: decision.review.comment,
              reviewedAt: decision.review.reviewedAt,
            },
    })),
    notes: notes.notes.map((note) => ({ id: note.id, format: note.format, body: note.body, author: { id: note.authorId, displayName: note.authorName }, createdAt: note.createdAt })),
    attachments: notes.attachments.map((attachment) => ({
      id: attachment.id,
      fileName: attachment.fileName,
      mediaType: attachment.mediaType,
      sizeBytes: attachment.sizeBytes,
      sha256: attachment.sha256,
      addedBy: { id: attachment.addedBy, displayName: attachment.addedByName },
      addedAt: attachment.addedAt,
    })),
    previousApplications: previous.map((other) => {
      const otherScore = queue.currentScore(other.id);
      return {
        applicationId: other.id,
        submittedAt: other.submittedAt,
        score: otherScore?.score ?? null,
        band: otherScore?.band ?? null,
        platformDecision: other.platformDecision,
        status: cases.byApplication(other.id)?.status ?? 'open',
      };
    }),
    appeals: appeals.map((appeal) => ({ id: appeal.id, filedAt: appeal.filedAt, channel: appeal.channel, statement: appeal.statement })),
    can: permissions(desk.user, status, row?.assigneeId ?? null),
  };
}

export interface ListQueueInput {
  readonly filter: QueueFilter;
  readonly sort: QueueSort;
  readonly offset: number;
  readonly limit: number;
}

export interface CasesService {
  listQueue(input: ListQueueInput): QueuePage;
  queueCounts(filter: QueueFilter): QueueCounts;
  getCase(applicationId: string): CaseDetail;
  timeline(applicationId: string): CaseTimeline;
  claim(applicationId: string): CaseDetail;
  release(applicationId: string): CaseDetail;
  assign(applicationId: string, assigneeId: string): CaseDetail;
  assignees(): Array<{ id: string; displayName: string; role: string }>;
  settings(): CaseSettings;
  updateSettings(change: Partial<CaseSettings>): CaseSettings;
}

/** The filter as the query runs it: defaults filled, `me` resolved, search normalised. */
export function queueQuery(desk: CaseDesk, filter: QueueFilter): QueueQuery {
  const assignee = filter.assignee === 'me' ? desk.user.id : filter.assignee;
  const search = filter.search?.trim() ?? '';
  return {
    bands: filter.bands ?? [],
    statuses: filter.statuses ?? [...ACTIVE_STATUSES],
    reasonCodes: (filter.reasonCodes ?? []).filter(isReasonCode),
    assignee: assignee ?? null,
    sla: filter.sla ?? null,
    submittedFromMs: filter.submittedFrom === undefined ? null : Date.parse(`${filter.submittedFrom}T00:00:00+08:00`),
    submittedToMs: filter.submittedTo === undefined ? null : Date.parse(`${filter.submittedTo}T00:00:00+08:00`) + 86_400_000,
    importBatch: filter.importBatch === undefined || !/^\d+$/.test(filter.importBatch) ? (filter.importBatch === undefined ? null : -1) : Number(filter.importBatch),
    source: filter.source ?? null,
    search: search === '' ? null : search,
    nowMs: desk.now.getTime(),
    dueSoonMs: DUE_SOON_MS,
    slaMs: desk.slaHours() * 3600_000,
  };
}

export function createCasesService(session: SessionService): CasesService {
  const desk = (): CaseDesk => openDesk(session);

  const transition = (applicationId: string, action: string, work: (context: CaseDesk, row: CaseRow) => { before: unknown; after: unknown }): CaseDetail => {
    const context = desk();
    const at = context.now.toISOString();
    context.db
      .transaction(() => {
        const row = ensureCase(context, applicationId);
        const change = work(context, row);
        appendAudit(context.db, { actor: context.user.id, action, target: `case:${applicationId}`, before: change.before, after: change.after, at });
      })
      .immediate();
    return buildCaseDetail(context, applicationId);
  };

  return {
    listQueue(input) {
      const context = desk();
      const page = repositoryFor(context.db, createCaseQueueRepository).page(queueQuery(context, input.filter), input.sort, input.offset, input.limit);
      return {
        total: page.total,
        offset: input.offset,
        rows: page.rows.map((row) => ({
          applicationId: row.applicationId,
          applicantId: row.applicantId,
          applicantName: maskName(row.name),
          idNumber: maskIdNumber(row.idNumber),
          phone: maskPhone(row.phone),
          score: row.score,
          band: isBand(row.band) ? row.band : null,
          topReasons: row.topReasons,
          source: sourceOf(row.band, row.platformDecision, row.appeals),
          status: row.status,
          assignee: row.assigneeId === null ? null : { id: row.assigneeId, displayName: row.assigneeName ?? row.assigneeId },
          submittedAt: row.submittedAt,
          slaDueAt: new Date(row.slaDueMs).toISOString(),
          platformDecision: row.platformDecision,
          importBatch: String(row.batchId),
        })),
      };
    },
    queueCounts(filter) {
      const context = desk();
      return repositoryFor(context.db, createCaseQueueRepository).counts(queueQuery(context, filter));
    },
    getCase(applicationId) {
      return buildCaseDetail(desk(), applicationId);
    },
    timeline(applicationId) {
      const context = desk();
      requireApplication(context, applicationId);
      const records = repositoryFor(context.db, createCaseRecordsRepository);
      const events = records.events(applicationId);
      return { applicationId, eventCount: events.length, eventsJson: encodeTimelineEvents(events), devices: records.devices(applicationId) };
    },
    claim(applicationId) {
      return transition(applicationId, 'case.claim', (context, row) => {
        const { user } = context;
        if (!DECIDING_ROLES.includes(user.role)) throw new VigilError('forbidden_role', `the ${user.role} role cannot hold cases`);
        if (isClosed(row.status)) throw new VigilError('conflict', `case ${applicationId} is ${row.status}: there is nothing left to claim`);
        if (row.assigneeId === user.id) return { before: { assignee: user.id }, after: { assignee: user.id } };
        if (row.assigneeId !== null && !mayOverride(user)) {
          throw new VigilError('conflict', `case ${applicationId} is held by ${row.assigneeName ?? row.assigneeId}`);
        }
        const cases = repositoryFor(context.db, createCasesRepository);
        const at = context.now.toISOString();
        cases.setAssignee(row.id, user.id, user.id, at);
        if (row.status === 'open') cases.setStatus(row.id, 'in_progress', at);
        return { before: { assignee: row.assigneeId, status: row.status }, after: { assignee: user.id, status: row.status === 'open' ? 'in_progress' : row.status } };
      });
    },
    release(applicationId) {
      return transition(applicationId, 'case.release', (context, row) => {
        if (row.assigneeId !== context.user.id && !mayOverride(context.user)) throw new VigilError('conflict', `case ${applicationId} is not yours to release`);
        if (isClosed(row.status)) throw new VigilError('conflict', `case ${applicationId} is ${row.status}`);
        const cases = repositoryFor(context.db, createCasesRepository);
        const at = context.now.toISOString();
        cases.setAssignee(row.id, null, context.user.id, at);
        if (row.status === 'in_progress') cases.setStatus(row.id, 'open', at);
        return { before: { assignee: row.assigneeId, status: row.status }, after: { assignee: null, status: row.status === 'in_progress' ? 'open' : row.status } };
      });
    },
    assign(applicationId, assigneeId) {
      return transition(applicationId, 'case.assign', (context, row) => {
        if (!mayOverride(context.user)) throw new VigilError('forbidden_role', 'only team leads assign cases');
        if (isClosed(row.status)) throw new VigilError('conflict', `case ${applicationId} is ${row.status}`);
        const cases = repositoryFor(context.db, createCasesRepository);
        if (!cases.assignableUsers().some((user) => user.id === assigneeId)) throw new VigilError('not_found', 'that person cannot hold cases', 'assigneeId');
        const at = context.now.toISOString();
        cases.setAssignee(row.id, assigneeId, context.user.id, at);
        if (row.status === 'open') cases.setStatus(row.id, 'in_progress', at);
        return { before: { assignee: row.assigneeId, status: row.status }, after: { assignee: assigneeId, status: row.status === 'open' ? 'in_progress' : row.status } };
      });
    },
    assignees() {
      return repositoryFor(desk().db, createCasesRepository).assignableUsers();
    },
    settings() {
      const context = desk();
      return { reviewThreshold: context.reviewThreshold(), slaHours: context.slaHours() };
    },
    updateSettings(change) {
      const context = desk();
      if (!mayOverride(context.user)) throw new VigilError('forbidden_role', 'only team leads change the desk settings');
      const before = { reviewThreshold: context.reviewThreshold(), slaHours: context.slaHours() };
      const after = { ...before, ...change };
      const settings = repositoryFor(context.db, createSettingsRepository);
      context.db
        .transaction(() => {
          if (change.reviewThreshold !== undefined) settings.set(REVIEW_THRESHOLD_SETTING, change.reviewThreshold, context.user.id);
          if (change.slaHours !== undefined) settings.set(SLA_HOURS_SETTING, change.slaHours, context.user.id);
          appendAudit(context.db, { actor: context.user.id, action: 'settings.update', target: 'setting:cases', before, after, at: context.now.toISOString() });
        })
        .immediate();
      return after;
    },
  };
}
