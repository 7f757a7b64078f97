// The investigator's work on top of imported records: cases, who holds them, notes, evidence, decisions,
// the four-eyes reviews, appeal handling and rule sets. Records (applications, applicants, the lender's
// own decisions and appeals) come from 002_records and are referenced by their interchange id without a
// foreign key, because a re-import may replace a record row while the case about it must stay.
import type { Migration } from './types.js';

export const migration: Migration = {
  id: 3,
  name: 'workflow',
  up(db) {
    db.exec(`
      -- status is owned by the case service (open, in_progress, awaiting_documents, escalated,
      -- pending_review, decided, closed); score and band are the latest analysis result, denormalised
      -- so the queue can filter 100,000 cases without a join.
      CREATE TABLE cases (
        id TEXT PRIMARY KEY,
        application_id TEXT NOT NULL UNIQUE,
        applicant_id TEXT,
        status TEXT NOT NULL DEFAULT 'open',
        score INTEGER CHECK (score IS NULL OR score BETWEEN 0 AND 1000),
        band TEXT CHECK (band IS NULL OR band IN ('low', 'medium', 'high', 'critical')),
        assignee_id TEXT REFERENCES users(id),
        sla_due_at TEXT,
        import_batch TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        closed_at TEXT
      ) STRICT;
      CREATE INDEX cases_queue ON cases(status, band, sla_due_at);
      CREATE INDEX cases_assignee ON cases(assignee_id, status);
      CREATE INDEX cases_applicant ON cases(applicant_id);

      CREATE TABLE case_assignments (
        id INTEGER PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        assignee_id TEXT NOT NULL REFERENCES users(id),
        assigned_by TEXT NOT NULL REFERENCES users(id),
        assigned_at TEXT NOT NULL,
        released_at TEXT
      ) STRICT;
      CREATE INDEX case_assignments_case ON case_assignments(case_id, assigned_at);

      CREATE TABLE case_notes (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        author_id TEXT NOT NULL REFERENCES users(id),
        format TEXT NOT NULL DEFAULT 'plain' CHECK (format IN ('plain', 'markdown')),
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        edited_at TEXT
      ) STRICT;
      CREATE INDEX case_notes_case ON case_notes(case_id, created_at);

      -- Evidence files live inside the encrypted database (never beside it), with their sha256 to prove
      -- the bytes shown are the bytes received.
      CREATE TABLE case_attachments (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        file_name TEXT NOT NULL,
        media_type TEXT NOT NULL,
        size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        content BLOB NOT NULL,
        added_by TEXT NOT NULL REFERENCES users(id),
        added_at TEXT NOT NULL,
        CHECK (length(content) = size_bytes)
      ) STRICT;
      CREATE INDEX case_attachments_case ON case_attachments(case_id);

      -- An investigator's decision. A reject at or above the review threshold needs a team lead's
      -- sign-off (decision_reviews) before it takes effect: effective = 0 until then.
      CREATE TABLE case_decisions (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        application_id TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('approve', 'reject', 'escalate', 'request_documents')),
        reason_codes_json TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(reason_codes_json)),
        comment TEXT,
        score_at_decision INTEGER,
        decided_by TEXT NOT NULL REFERENCES users(id),
        decided_at TEXT NOT NULL,
        requires_review INTEGER NOT NULL DEFAULT 0 CHECK (requires_review IN (0, 1)),
        effective INTEGER NOT NULL DEFAULT 1 CHECK (effective IN (0, 1)),
        superseded_by TEXT REFERENCES case_decisions(id),
        CHECK (outcome <> 'reject' OR reason_codes_json <> '[]')
      ) STRICT;
      CREATE INDEX case_decisions_case ON case_decisions(case_id, decided_at);
      CREATE INDEX case_decisions_application ON case_decisions(application_id);

      -- Four-eyes review of a decision (also reviews made offline from a bundle and imported back).
      CREATE TABLE decision_reviews (
        id TEXT PRIMARY KEY,
        decision_id TEXT NOT NULL REFERENCES case_decisions(id),
        reviewer_id TEXT REFERENCES users(id),
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'signed_off', 'sent_back')),
        comment TEXT,
        source TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'bundle')),
        requested_at TEXT NOT NULL,
        reviewed_at TEXT,
        CHECK (status = 'pending' OR (reviewer_id IS NOT NULL AND reviewed_at IS NOT NULL))
      ) STRICT;
      CREATE INDEX decision_reviews_pending ON decision_reviews(status, requested_at);
      CREATE INDEX decision_reviews_decision ON decision_reviews(decision_id);
      CREATE TRIGGER decision_reviews_four_eyes_insert BEFORE INSERT ON decision_reviews
        WHEN NEW.reviewer_id IS NOT NULL AND NEW.reviewer_id = (SELECT decided_by FROM case_decisions WHERE id = NEW.decision_id)
        BEGIN SELECT RAISE(ABORT, 'four-eyes: a decision cannot be reviewed by the person who made it'); END;
      CREATE TRIGGER decision_reviews_four_eyes_update BEFORE UPDATE OF reviewer_id ON decision_reviews
        WHEN NEW.reviewer_id IS NOT NULL AND NEW.reviewer_id = (SELECT decided_by FROM case_decisions WHERE id = NEW.decision_id)
        BEGIN SELECT RAISE(ABORT, 'four-eyes: a decision cannot be reviewed by the person who made it'); END;

      -- The workflow side of an appeal (the appeal itself, as filed, is an imported record): it must be
      -- handled by someone other than the original decider, by a deadline, and ends upheld or overturned.
      CREATE TABLE appeal_handling (
        appeal_id TEXT PRIMARY KEY,
        application_id TEXT NOT NULL,
        case_id TEXT REFERENCES cases(id),
        original_decision_id TEXT REFERENCES case_decisions(id),
        original_decider_id TEXT,
        status TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'in_review', 'upheld', 'overturned', 'withdrawn')),
        reviewer_id TEXT REFERENCES users(id),
        deadline_at TEXT NOT NULL,
        outcome TEXT CHECK (outcome IS NULL OR outcome IN ('upheld', 'overturned')),
        outcome_reason TEXT,
        reply_text TEXT,
        received_at TEXT NOT NULL,
        decided_at TEXT,
        updated_at TEXT NOT NULL,
        CHECK (reviewer_id IS NULL OR original_decider_id IS NULL OR reviewer_id <> original_decider_id),
        CHECK ((status IN ('upheld', 'overturned')) = (outcome IS NOT NULL)),
        CHECK (outcome IS NULL OR outcome = status)
      ) STRICT;
      CREATE INDEX appeal_handling_queue ON appeal_handling(status, deadline_at);
      CREATE INDEX appeal_handling_application ON appeal_handling(application_id);

      -- Versioned rule sets: a version is never edited, tuning makes the next one; one is active.
      CREATE TABLE rule_sets (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        definition_json TEXT NOT NULL CHECK (json_valid(definition_json)),
        created_by TEXT,
        created_at TEXT NOT NULL,
        activated_at TEXT,
        is_active INTEGER NOT NULL DEFAULT 0 CHECK (is_active IN (0, 1)),
        UNIQUE (name, version)
      ) STRICT;
      CREATE UNIQUE INDEX rule_sets_one_active ON rule_sets(is_active) WHERE is_active = 1;
    `);
  },
};
