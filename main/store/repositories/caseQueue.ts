// The case queue as one query: flagged applications (engine band medium or worse, the platform's own
// review/reject, an appeal, or a case someone already touched) joined with their current score and
// their workflow row if any. Filters switch fixed SQL fragments on or off, never splice input in; each
// combination of fragments is prepared once per connection and reused.
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Database } from '../database.js';
import { SCORE_BANDS, type ScoreBand } from '../../../shared/reasons.js';
import type { CaseStatusValue } from './cases.js';

export interface QueueQuery {
  readonly bands: readonly string[];
  readonly statuses: readonly string[];
  readonly reasonCodes: readonly string[];
  /** A user id, `unassigned`, or null for anyone. */
  readonly assignee: string | null;
  readonly sla: 'overdue' | 'due_soon' | 'on_time' | null;
  readonly submittedFromMs: number | null;
  readonly submittedToMs: number | null;
  /** An import batch id; -1 matches nothing (a batch name that is not a number). */
  readonly importBatch: number | null;
  readonly source: 'engine' | 'platform' | 'appeal' | null;
  readonly search: string | null;
  readonly nowMs: number;
  readonly dueSoonMs: number;
  readonly slaMs: number;
}

export type QueueSortKey = 'score_desc' | 'sla_asc' | 'submitted_desc' | 'submitted_asc';

export interface QueueRowRecord {
  readonly applicationId: string;
  readonly applicantId: string;
  readonly name: string;
  readonly idNumber: string;
  readonly phone: string;
  readonly score: number | null;
  readonly band: string | null;
  readonly topReasons: string[];
  readonly status: CaseStatusValue;
  readonly assigneeId: string | null;
  readonly assigneeName: string | null;
  readonly submittedAt: string;
  readonly slaDueMs: number;
  readonly platformDecision: string | null;
  readonly batchId: number;
  readonly appeals: number;
}

export interface Facet {
  value: string;
  label?: string;
  count: number;
}

export interface QueueCountsRecord {
  total: number;
  bands: Facet[];
  statuses: Facet[];
  reasons: Facet[];
  assignees: Facet[];
  sla: Facet[];
  batches: Facet[];
  sources: Facet[];
}

export interface CurrentScore {
  readonly score: number;
  readonly band: ScoreBand | null;
  readonly reasons: readonly string[];
}

export interface CaseQueueRepository {
  page(query: QueueQuery, sort: QueueSortKey, offset: number, limit: number): { total: number; rows: QueueRowRecord[] };
  counts(query: QueueQuery): QueueCountsRecord;
  currentScore(applicationId: string): CurrentScore | undefined;
}

// What the analysis area stores (004_analysis): the latest score of an application, reasons ordered by weight.
const TOP_REASON = (n: number, alias = 's'): string => `json_extract(${alias}.reasons_json, '$[${n}].code')`;
const SCORE_COLUMNS = 's.score AS score, s.band AS band, s.reasons_json AS reasons_json';

/**
 * Every column the filters, counts and sorts need, one row per flagged application, read from the
 * covering indexes of 005_queue only (INDEXED BY: without statistics the planner would pick the unique
 * id indexes and decrypt every row). Columns only a page shows are joined in later, for its rows only.
 */
/** The n-th reason code, read from the covering index (a scalar subquery: SQLite does not read indexed expressions on the right of a LEFT JOIN). */
const REASON_AT = (n: number): string =>
  `(SELECT ${TOP_REASON(n, 'r')} FROM analysis_applications r INDEXED BY analysis_applications_queue WHERE r.application_id = a.id)`;

/**
 * Every column the filters, counts and sorts need, one row per flagged application. `scoredOnly` joins
 * the scores as a plain join: then the reason codes come straight from the covering index (the reason
 * facet uses it: applications without a score have no reasons to count).
 */
const baseQuery = (scoredOnly: boolean): string => `
  SELECT a.id AS application_id, a.applicant_id, a.submitted_ms, a.platform_decision, a.created_batch_id AS batch_id,
         s.score AS score, s.band AS band,
         ${scoredOnly ? `${TOP_REASON(0)} AS r1, ${TOP_REASON(1)} AS r2, ${TOP_REASON(2)} AS r3` : `${REASON_AT(0)} AS r1, ${REASON_AT(1)} AS r2, ${REASON_AT(2)} AS r3`},
         COALESCE(c.status, 'open') AS status, c.assignee_id,
         COALESCE(c.sla_due_ms, b.started_ms + @sla_ms, a.submitted_ms + @sla_ms) AS sla_due_ms,
         CASE WHEN s.band IN ('medium', 'high', 'critical') THEN 'engine'
              WHEN a.platform_decision IN ('review', 'rejected') THEN 'platform'
              WHEN EXISTS (SELECT 1 FROM appeals ap WHERE ap.application_id = a.id) THEN 'appeal'
              ELSE 'engine' END AS source
    FROM applications a INDEXED BY applications_queue
    ${scoredOnly ? 'JOIN' : 'LEFT JOIN'} analysis_applications s INDEXED BY analysis_applications_queue ON s.application_id = a.id
    LEFT JOIN (SELECT application_id, status, assignee_id, CAST((julianday(sla_due_at) - 2440587.5) * 86400000.0 AS INTEGER) AS sla_due_ms FROM cases) c
           ON c.application_id = a.id
    LEFT JOIN (SELECT id, CAST((julianday(started_at) - 2440587.5) * 86400000.0 AS INTEGER) AS started_ms FROM import_batches) b
           ON b.id = a.created_batch_id
   WHERE (s.band IN ('medium', 'high', 'critical')
          OR a.platform_decision IN ('review', 'rejected')
          OR EXISTS (SELECT 1 FROM appeals ap WHERE ap.application_id = a.id)
          OR c.application_id IS NOT NULL)`;
const BASE = baseQuery(false);
const SCORED_BASE = baseQuery(true);

type FacetName = 'bands' | 'statuses' | 'reasons' | 'assignees' | 'sla' | 'batches' | 'sources' | 'dates' | 'search';

/** The fixed filter fragments over the `q` view of BASE, keyed by which facet they belong to. */
const FILTERS: Record<FacetName, { sql: string; active: (query: QueueQuery) => boolean }> = {
  bands: { sql: `q.band IN (SELECT value FROM json_each(@bands))`, active: (query) => query.bands.length > 0 },
  statuses: { sql: `q.status IN (SELECT value FROM json_each(@statuses))`, active: (query) => query.statuses.length > 0 },
  // Among the top three reasons (the ones the queue shows): those are indexed, all reasons are not.
  reasons: {
    sql: `(q.r1 IN (SELECT value FROM json_each(@reasons)) OR q.r2 IN (SELECT value FROM json_each(@reasons)) OR q.r3 IN (SELECT value FROM json_each(@reasons)))`,
    active: (query) => query.reasonCodes.length > 0,
  },
  assignees: {
    sql: `(CASE WHEN @assignee = 'unassigned' THEN q.assignee_id IS NULL ELSE q.assignee_id = @assignee END)`,
    active: (query) => query.assignee !== null,
  },
  sla: {
    sql: `(CASE @sla WHEN 'overdue' THEN q.sla_due_ms < @now_ms
                     WHEN 'due_soon' THEN q.sla_due_ms >= @now_ms AND q.sla_due_ms < @now_ms + @due_soon_ms
                     ELSE q.sla_due_ms >= @now_ms + @due_soon_ms END)`,
    active: (query) => query.sla !== null,
  },
  batches: { sql: `q.batch_id = @batch`, active: (query) => query.importBatch !== null },
  sources: { sql: `q.source = @source`, active: (query) => query.source !== null },
  dates: {
    sql: `q.submitted_ms >= COALESCE(@from_ms, q.submitted_ms) AND q.submitted_ms < COALESCE(@to_ms, q.submitted_ms + 1)`,
    active: (query) => query.submittedFromMs !== null || query.submittedToMs !== null,
  },
  // Matched here, in main, on the clear values; only masked values leave (the service masks them).
  search: {
    sql: `q.applicant_id IN (SELECT id FROM applicants WHERE instr(name, @search) > 0 OR instr(id_number, upper(@search)) > 0 OR instr(phone, @search) > 0)`,
    active: (query) => query.search !== null,
  },
};
const FACETS = Object.keys(FILTERS) as FacetName[];

const COUNTED_FACETS = ['bands', 'statuses', 'reasons', 'assignees', 'sla', 'batches', 'sources'] as const;
type CountedFacet = (typeof COUNTED_FACETS)[number];
/** One facet's counts over `f` (the queue with the other facets' filters applied). */
const FACET_SELECT: Record<CountedFacet, string> = {
  bands: `SELECT 'bands' AS facet, band AS value, NULL AS label, count(*) AS count FROM f GROUP BY band`,
  statuses: `SELECT 'statuses' AS facet, status AS value, NULL AS label, count(*) AS count FROM f GROUP BY status`,
  reasons: `SELECT 'reasons' AS facet, value, NULL AS label, count(*) AS count
              FROM (SELECT r1 AS value FROM f UNION ALL SELECT r2 FROM f UNION ALL SELECT r3 FROM f) WHERE value IS NOT NULL GROUP BY value`,
  assignees: `SELECT 'assignees' AS facet, COALESCE(assignee_id, 'unassigned') AS value, (SELECT display_name FROM users WHERE id = assignee_id) AS label, count(*) AS count
                FROM f GROUP BY assignee_id`,
  sla: `SELECT 'sla' AS facet, CASE WHEN sla_due_ms < @now_ms THEN 'overdue' WHEN sla_due_ms < @now_ms + @due_soon_ms THEN 'due_soon' ELSE 'on_time' END AS value,
               NULL AS label, count(*) AS count FROM f GROUP BY 2`,
  batches: `SELECT 'batches' AS facet, batch_id AS value, NULL AS label, count(*) AS count FROM f GROUP BY batch_id`,
  sources: `SELECT 'sources' AS facet, source AS value, NULL AS label, count(*) AS count FROM f GROUP BY source`,
};

const ORDER: Record<QueueSortKey, string> = {
  score_desc: 'q.score IS NULL, q.score DESC, q.submitted_ms DESC, q.application_id',
  sla_asc: 'q.sla_due_ms ASC, q.score DESC, q.application_id',
  submitted_desc: 'q.submitted_ms DESC, q.application_id',
  submitted_asc: 'q.submitted_ms ASC, q.application_id',
};

function parameters(query: QueueQuery): Record<string, unknown> {
  return {
    sla_ms: query.slaMs,
    bands: JSON.stringify(query.bands),
    statuses: JSON.stringify(query.statuses),
    reasons: JSON.stringify(query.reasonCodes),
    assignee: query.assignee,
    sla: query.sla,
    now_ms: query.nowMs,
    due_soon_ms: query.dueSoonMs,
    batch: query.importBatch,
    source: query.source,
    from_ms: query.submittedFromMs,
    to_ms: query.submittedToMs,
    search: query.search,
  };
}

/** Only the parameters a statement names: better-sqlite3 refuses unknown named parameters. */
function bindFor(sql: string, all: Record<string, unknown>): Record<string, unknown> {
  const bound: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(all)) if (sql.includes(`@${name}`)) bound[name] = value;
  return bound;
}

function whereFor(active: readonly FacetName[]): string {
  return active.length === 0 ? '' : `WHERE ${active.map((name) => FILTERS[name].sql).join(' AND ')}`;
}

function topReasons(reasonsJson: string | null): string[] {
  if (reasonsJson === null) return [];
  try {
    const parsed = JSON.parse(reasonsJson) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed
      .map((entry) => (typeof entry === 'string' ? entry : typeof entry === 'object' && entry !== null ? (entry as { code?: unknown }).code : undefined))
      .filter((code): code is string => typeof code === 'string');
  } catch {
    return [];
  }
}

interface PageSql {
  application_id: string;
  applicant_id: string;
  name: string | null;
  id_number: string | null;
  phone: string | null;
  score: number | null;
  band: string | null;
  reasons_json: string | null;
  platform_reasons: string | null;
  status: CaseStatusValue;
  assignee_id: string | null;
  assignee_name: string | null;
  submitted_at: string;
  sla_due_ms: number;
  platform_decision: string | null;
  batch_id: number;
  appeals: number;
}

export function createCaseQueueRepository(db: Database): CaseQueueRepository {
  const statements = new Map<string, Statement>();
  const prepared = (sql: string): Statement => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const activeFacets = (query: QueueQuery, except?: FacetName): FacetName[] => FACETS.filter((name) => name !== except && FILTERS[name].active(query));

  const currentScore: Statement<[string], { score: number; band: string; reasons_json: string | null }> = db.prepare(
    `SELECT ${SCORE_COLUMNS} FROM analysis_applications s WHERE s.application_id = ?`,
  );

  const countWith = (query: QueueQuery, active: readonly FacetName[]): number => {
    const sql = `WITH q AS (${BASE}) SELECT count(*) AS n FROM q ${whereFor(active)}`;
    const row = prepared(sql).get(bindFor(sql, parameters(query))) as { n: number };
    return row.n;
  };

  /**
   * Facet counts: each facet counts as if its own choice were not made, so facets whose other filters
   * are the same share one pass over the queue (with the default view, two passes answer all of them).
   */
  const facetCounts = (query: QueueQuery): { total: number | null; facets: Map<CountedFacet, Facet[]> } => {
    const groups = new Map<string, { active: FacetName[]; names: CountedFacet[] }>();
    for (const name of COUNTED_FACETS) {
      if (name === 'reasons') continue;
      const active = activeFacets(query, name);
      const key = active.join(',');
      const group = groups.get(key) ?? { active, names: [] };
      group.names.push(name);
      groups.set(key, group);
    }
    const allActive = activeFacets(query).join(',');
    let total: number | null = null;
    const facets = new Map<CountedFacet, Facet[]>(COUNTED_FACETS.map((name) => [name, []]));
    for (const [key, group] of groups) {
      const selects = group.names.map((name) => FACET_SELECT[name]);
      if (key === allActive) selects.push(`SELECT 'total' AS facet, NULL AS value, NULL AS label, count(*) AS count FROM f`);
      const sql = `WITH q AS (${BASE}), f AS MATERIALIZED (SELECT q.band, q.status, q.assignee_id, q.sla_due_ms, q.batch_id, q.source FROM q ${whereFor(group.active)})
        ${selects.join(' UNION ALL ')}`;
      const rows = prepared(sql).all(bindFor(sql, parameters(query))) as Array<{ facet: CountedFacet | 'total'; value: string | number | null; label: string | null; count: number }>;
      for (const row of rows) {
        if (row.facet === 'total') total = row.count;
        else if (row.value !== null) facets.get(row.facet)?.push(row.label === null ? { value: String(row.value), count: row.count } : { value: String(row.value), label: row.label, count: row.count });
      }
    }
    const reasonSql = `WITH q AS (${SCORED_BASE}), f AS MATERIALIZED (SELECT q.r1, q.r2, q.r3 FROM q ${whereFor(activeFacets(query, 'reasons'))})
      ${FACET_SELECT.reasons}`;
    for (const row of prepared(reasonSql).all(bindFor(reasonSql, parameters(query))) as Array<{ value: string | null; count: number }>) {
      if (row.value !== null) facets.get('reasons')?.push({ value: row.value, count: row.count });
    }
    for (const list of facets.values()) list.sort((x, y) => y.count - x.count);
    return { total, facets };
  };

  return {
    page(query, sort, offset, limit) {
      const active = activeFacets(query);
      const total = countWith(query, active);
      // The window is chosen on index columns alone; names, reasons and appeals are read for its rows only.
      const sql = `WITH q AS (${BASE}),
        win AS MATERIALIZED (SELECT q.application_id, q.applicant_id, q.submitted_ms, q.platform_decision, q.batch_id, q.score, q.band, q.status, q.assignee_id, q.sla_due_ms FROM q ${whereFor(active)} ORDER BY ${ORDER[sort]} LIMIT @limit OFFSET @offset)
        SELECT q.application_id, q.applicant_id, p.name, p.id_number, p.phone, q.score, q.band, s.reasons_json,
               json_extract(a.raw, '$.platform_reasons') AS platform_reasons, q.status, q.assignee_id, u.display_name AS assignee_name,
               a.submitted_at, q.sla_due_ms, q.platform_decision, q.batch_id,
               (SELECT count(*) FROM appeals ap WHERE ap.application_id = q.application_id) AS appeals
          FROM win q
          CROSS JOIN applications a ON a.id = q.application_id
          LEFT JOIN analysis_applications s ON s.application_id = q.application_id
          LEFT JOIN applicants p ON p.id = q.applicant_id
          LEFT JOIN users u ON u.id = q.assignee_id
         ORDER BY ${ORDER[sort]}`;
      const rows = prepared(sql).all({ ...bindFor(sql, parameters(query)), limit, offset }) as PageSql[];
      return {
        total,
        rows: rows.map((row) => ({
          applicationId: row.application_id,
          applicantId: row.applicant_id,
          name: row.name ?? '',
          idNumber: row.id_number ?? '',
          phone: row.phone ?? '',
          score: row.score,
          band: row.band,
          // The engines' reasons when scored; otherwise the rules the platform itself reported.
          topReasons: (row.reasons_json === null ? topReasons(row.platform_reasons) : topReasons(row.reasons_json)).slice(0, 5),
          status: row.status,
          assigneeId: row.assignee_id,
          assigneeName: row.assignee_name,
          submittedAt: row.submitted_at,
          slaDueMs: row.sla_due_ms,
          platformDecision: row.platform_decision,
          batchId: row.batch_id,
          appeals: row.appeals,
        })),
      };
    },

    counts(query) {
      const { total, facets } = facetCounts(query);
      return {
        total: total ?? countWith(query, activeFacets(query)),
        bands: facets.get('bands') ?? [],
        statuses: facets.get('statuses') ?? [],
        reasons: facets.get('reasons') ?? [],
        assignees: facets.get('assignees') ?? [],
        sla: facets.get('sla') ?? [],
        batches: facets.get('batches') ?? [],
        sources: facets.get('sources') ?? [],
      };
    },

    currentScore(applicationId) {
      const row = currentScore.get(applicationId);
      if (row === undefined) return undefined;
      const band = SCORE_BANDS.find((candidate) => candidate === row.band) ?? null;
      return { score: row.score, band, reasons: topReasons(row.reasons_json) };
    },
  };
}
