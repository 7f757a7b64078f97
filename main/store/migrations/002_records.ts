// Imported interchange records (spec/interchange.md), one table per record type: the columns the
// engines and screens filter on, plus `raw`, the record's JSON as received with unknown fields kept.
//
// Change log: every record row carries `change_seq`, taken from one store-wide counter
// (import_state 'change_seq') when the row is inserted or its content changes; an unchanged re-import
// leaves it alone. "What changed since the last analysis run" = rows with change_seq > the run's
// watermark; the `record_changes` view lists them across all types. Bookkeeping columns
// (batch_id, created_batch_id, source_file, source_line, change_seq) are not part of the record.
import type { Migration } from './types.js';

const BOOKKEEPING = `
        raw TEXT NOT NULL CHECK (json_valid(raw)),
        batch_id INTEGER NOT NULL,
        created_batch_id INTEGER NOT NULL,
        source_file TEXT NOT NULL,
        source_line INTEGER NOT NULL,
        change_seq INTEGER NOT NULL`;

export const migration: Migration = {
  id: 2,
  name: 'records',
  up(db) {
    db.exec(`
      CREATE TABLE applicants (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        id_number TEXT NOT NULL,
        phone TEXT NOT NULL,
        -- From the ID number when digits 7-14 are a date (YYYY-MM-DD), for the age check and screens.
        birth_date TEXT,
        province TEXT,
        city TEXT,
        employer TEXT,
        declared_income_monthly REAL,
        registered_at TEXT,${BOOKKEEPING}
      ) STRICT;
      CREATE INDEX applicants_id_number ON applicants(id_number);
      CREATE INDEX applicants_phone ON applicants(phone);
      CREATE INDEX applicants_change ON applicants(change_seq);

      CREATE TABLE applications (
        id TEXT PRIMARY KEY,
        applicant_id TEXT NOT NULL,
        submitted_at TEXT NOT NULL,
        -- Epoch milliseconds of submitted_at: timestamps arrive with different offsets, so text does not sort.
        submitted_ms INTEGER NOT NULL,
        product TEXT,
        channel TEXT,
        requested_limit REAL,
        platform_score REAL,
        platform_decision TEXT,${BOOKKEEPING}
      ) STRICT;
      CREATE INDEX applications_applicant ON applications(applicant_id);
      CREATE INDEX applications_submitted ON applications(submitted_ms);
      CREATE INDEX applications_change ON applications(change_seq);

      -- One row per observation of a device (the spec's \`device\` record), not per physical device.
      CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        observed_at TEXT NOT NULL,
        observed_ms INTEGER NOT NULL,
        platform TEXT NOT NULL,
        applicant_id TEXT,
        application_id TEXT,
        session_id TEXT,
        ip TEXT,
        model TEXT,${BOOKKEEPING}
      ) STRICT;
      CREATE INDEX devices_applicant ON devices(applicant_id);
      CREATE INDEX devices_application ON devices(application_id);
      CREATE INDEX devices_change ON devices(change_seq);

      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        application_id TEXT NOT NULL,
        ts TEXT NOT NULL,
        ts_ms INTEGER NOT NULL,
        kind TEXT NOT NULL,
        step INTEGER,
        session_id TEXT,
        device_id TEXT,
        ip TEXT,${BOOKKEEPING}
      ) STRICT;
      CREATE INDEX events_timeline ON events(application_id, ts_ms);
      CREATE INDEX events_change ON events(change_seq);

      CREATE TABLE bank_cards (
        id TEXT PRIMARY KEY,
        applicant_id TEXT NOT NULL,
        card_hash TEXT NOT NULL,
        bin TEXT NOT NULL,
        bank TEXT,
        bound_at TEXT,
        holder_name_match INTEGER,
        reserved_phone TEXT,${BOOKKEEPING}
      ) STRICT;
      CREATE INDEX bank_cards_applicant ON bank_cards(applicant_id);
      CREATE INDEX bank_cards_hash ON bank_cards(card_hash);
      CREATE INDEX bank_cards_change ON bank_cards(change_seq);

      CREATE TABLE pf_records (
        id TEXT PRIMARY KEY,
        applicant_id TEXT NOT NULL,
        city TEXT NOT NULL,
        employer TEXT NOT NULL,
        employer_code TEXT,
        status TEXT,
        contribution_base REAL,
        rate REAL,
        monthly_total REAL,
        first_month TEXT,
        last_month TEXT,
        months_paid INTEGER,${BOOKKEEPING}
      ) STRICT;
      CREATE INDEX pf_records_applicant ON pf_records(applicant_id);
      CREATE INDEX pf_records_employer ON pf_records(employer);
      CREATE INDEX pf_records_change ON pf_records(change_seq);

      CREATE TABLE bureau_reports (
        id TEXT PRIMARY KEY,
        applicant_id TEXT NOT NULL,
        reported_at TEXT NOT NULL,
        score REAL,
        inquiries_3m INTEGER,
        open_loans INTEGER,
        overdue_count INTEGER,
        max_overdue_days INTEGER,${BOOKKEEPING}
      ) STRICT;
      CREATE INDEX bureau_reports_applicant ON bureau_reports(applicant_id);
      CREATE INDEX bureau_reports_change ON bureau_reports(change_seq);

      -- The lender's platform decisions as imported (investigators' own are case_decisions, 003).
      CREATE TABLE decisions (
        id TEXT PRIMARY KEY,
        application_id TEXT NOT NULL,
        at TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        decided_by TEXT,
        limit_amount REAL,${BOOKKEEPING}
      ) STRICT;
      CREATE INDEX decisions_application ON decisions(application_id);
      CREATE INDEX decisions_change ON decisions(change_seq);

      -- Appeals as the platform received them (their handling is appeal_handling, 003).
      CREATE TABLE appeals (
        id TEXT PRIMARY KEY,
        application_id TEXT NOT NULL,
        filed_at TEXT NOT NULL,
        filed_ms INTEGER NOT NULL,
        channel TEXT,${BOOKKEEPING}
      ) STRICT;
      CREATE INDEX appeals_application ON appeals(application_id);
      CREATE INDEX appeals_change ON appeals(change_seq);

      -- Ground truth as lenders learn it; one per application. Never read while scoring.
      CREATE TABLE labels (
        application_id TEXT PRIMARY KEY,
        is_fraud INTEGER NOT NULL CHECK (is_fraud IN (0, 1)),
        pattern TEXT,
        source TEXT,${BOOKKEEPING}
      ) STRICT;
      CREATE INDEX labels_change ON labels(change_seq);

      -- Failed domain checks (bad ID checksum, unknown region, implausible age, phone format, BIN):
      -- stored with the record, never a rejection. Replaced whenever the record's content changes.
      CREATE TABLE record_findings (
        record_type TEXT NOT NULL,
        record_id TEXT NOT NULL,
        code TEXT NOT NULL,
        field TEXT NOT NULL,
        detail TEXT NOT NULL,
        batch_id INTEGER NOT NULL,
        PRIMARY KEY (record_type, record_id, code, field)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX record_findings_code ON record_findings(code);

      CREATE TABLE import_batches (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'cancelled', 'failed')),
        actor TEXT NOT NULL,
        strict INTEGER NOT NULL CHECK (strict IN (0, 1)),
        files_json TEXT NOT NULL CHECK (json_valid(files_json)),
        -- The import summary (counts per type, rejected and findings totals) once the batch ends.
        summary_json TEXT CHECK (summary_json IS NULL OR json_valid(summary_json)),
        first_change_seq INTEGER NOT NULL,
        last_change_seq INTEGER
      ) STRICT;

      -- Rejected lines, for the downloadable report (at most IMPORT_REPORT_LIMIT per batch are kept).
      CREATE TABLE import_rejections (
        batch_id INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        file TEXT NOT NULL,
        line INTEGER NOT NULL,
        message TEXT NOT NULL,
        PRIMARY KEY (batch_id, seq)
      ) STRICT;

      -- Counters: 'change_seq' (last one handed out) and 'checked_seq' (references checked up to).
      CREATE TABLE import_state (
        key TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) STRICT;
      INSERT INTO import_state (key, value) VALUES ('change_seq', 0), ('checked_seq', 0);

      CREATE VIEW record_changes (record_type, record_id, change_seq, batch_id) AS
        SELECT 'applicant', id, change_seq, batch_id FROM applicants
        UNION ALL SELECT 'application', id, change_seq, batch_id FROM applications
        UNION ALL SELECT 'device', id, change_seq, batch_id FROM devices
        UNION ALL SELECT 'event', id, change_seq, batch_id FROM events
        UNION ALL SELECT 'bank_card', id, change_seq, batch_id FROM bank_cards
        UNION ALL SELECT 'pf_record', id, change_seq, batch_id FROM pf_records
        UNION ALL SELECT 'bureau', id, change_seq, batch_id FROM bureau_reports
        UNION ALL SELECT 'decision', id, change_seq, batch_id FROM decisions
        UNION ALL SELECT 'appeal', id, change_seq, batch_id FROM appeals
        UNION ALL SELECT 'label', application_id, change_seq, batch_id FROM labels;
    `);
  },
};
