// What the analysis engines concluded, kept so a run only recomputes what changed: device identities
// and their observations' flags, behaviour sessions, each applicant's link keys (as keyed digests,
// never clear phones or addresses), rings, per-application features and scores with their history,
// the model and behaviour baseline in use, and a log of runs. Records themselves stay in 002's tables;
// rows here refer to them by interchange id without foreign keys (a re-import may replace a record row).
import type { Migration } from './types.js';

export const migration: Migration = {
  id: 4,
  name: 'analysis',
  up(db) {
    db.exec(`
      -- One row per device observation: the identity it was linked to and its flags.
      CREATE TABLE analysis_observations (
        observation_id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        applicant_id TEXT,
        application_id TEXT,
        observed_ms INTEGER NOT NULL,
        flags_json TEXT NOT NULL CHECK (json_valid(flags_json)),
        evidence_json TEXT NOT NULL CHECK (json_valid(evidence_json)),
        ip_province TEXT,
        ip_city TEXT,
        ip_isp TEXT
      ) STRICT;
      CREATE INDEX analysis_observations_device ON analysis_observations(device_id, observed_ms);
      CREATE INDEX analysis_observations_applicant ON analysis_observations(applicant_id);
      CREATE INDEX analysis_observations_application ON analysis_observations(application_id);

      -- Blocking keys (digests of hardware IDs and fingerprint hashes): new observations are compared
      -- only with observations sharing one, which keeps linking near-linear.
      CREATE TABLE analysis_device_keys (
        key TEXT NOT NULL,
        observation_id TEXT NOT NULL,
        PRIMARY KEY (key, observation_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX analysis_device_keys_observation ON analysis_device_keys(observation_id);

      CREATE TABLE analysis_device_identities (
        device_id TEXT PRIMARY KEY,
        anchor_observation_id TEXT NOT NULL,
        first_seen_ms INTEGER NOT NULL,
        last_seen_ms INTEGER NOT NULL,
        observations INTEGER NOT NULL,
        applicants INTEGER NOT NULL,
        applications INTEGER NOT NULL,
        flags_json TEXT NOT NULL CHECK (json_valid(flags_json)),
        traits_json TEXT NOT NULL CHECK (json_valid(traits_json)),
        hardware_id_resets INTEGER NOT NULL,
        run_id INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE analysis_sessions (
        session_id TEXT PRIMARY KEY,
        application_id TEXT NOT NULL,
        bot INTEGER NOT NULL CHECK (bot IN (0, 1)),
        coached INTEGER NOT NULL CHECK (coached IN (0, 1)),
        features_json TEXT NOT NULL CHECK (json_valid(features_json)),
        assessment_json TEXT NOT NULL CHECK (json_valid(assessment_json))
      ) STRICT;
      CREATE INDEX analysis_sessions_application ON analysis_sessions(application_id);

      -- Each applicant's link keys: (kind, digest) pairs two applicants share when linked.
      CREATE TABLE analysis_link_keys (
        applicant_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        PRIMARY KEY (applicant_id, kind, key)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX analysis_link_keys_key ON analysis_link_keys(key, kind, applicant_id);
      -- How many applicants hold each key, kept in step with analysis_link_keys: hub weights and shared-phone
      -- counts are lookups, not counts over a big employer's thousands of holders.
      CREATE TABLE analysis_link_counts (
        key TEXT NOT NULL,
        kind TEXT NOT NULL,
        holders INTEGER NOT NULL CHECK (holders >= 0),
        PRIMARY KEY (key, kind)
      ) STRICT, WITHOUT ROWID;

      -- Per applicant: household keys (digests), first-pass risk (rules only, no ring, no model) for ring
      -- scores, and the PF cohort as last counted (a new colleague re-scores only those whose cohort moved).
      CREATE TABLE analysis_applicants (
        applicant_id TEXT PRIMARY KEY,
        first_pass_risk REAL NOT NULL,
        household_json TEXT NOT NULL CHECK (json_valid(household_json)),
        cohort_size INTEGER NOT NULL DEFAULT 0,
        cohort_suspicious INTEGER NOT NULL DEFAULT 0 CHECK (cohort_suspicious IN (0, 1)),
        run_id INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE analysis_rings (
        ring_id TEXT PRIMARY KEY,
        score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 1000),
        base_score INTEGER NOT NULL CHECK (base_score BETWEEN 0 AND 1000),
        size INTEGER NOT NULL,
        household_share REAL NOT NULL,
        strong_kinds_json TEXT NOT NULL CHECK (json_valid(strong_kinds_json)),
        -- [{kind, value_hash, members}] and [{a, b, weight, kinds}]: what the members share.
        links_json TEXT NOT NULL CHECK (json_valid(links_json)),
        edges_json TEXT NOT NULL CHECK (json_valid(edges_json)),
        confirmed_json TEXT NOT NULL CHECK (json_valid(confirmed_json)),
        run_id INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE analysis_ring_members (
        ring_id TEXT NOT NULL REFERENCES analysis_rings(ring_id) ON DELETE CASCADE,
        applicant_id TEXT NOT NULL,
        PRIMARY KEY (ring_id, applicant_id)
      ) STRICT, WITHOUT ROWID;
      CREATE UNIQUE INDEX analysis_ring_members_applicant ON analysis_ring_members(applicant_id);

      -- The latest analysis of each application: features, the evidence words, findings and the score.
      CREATE TABLE analysis_applications (
        application_id TEXT PRIMARY KEY,
        applicant_id TEXT NOT NULL,
        score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 1000),
        band TEXT NOT NULL CHECK (band IN ('low', 'medium', 'high', 'critical')),
        reasons_json TEXT NOT NULL CHECK (json_valid(reasons_json)),
        features_json TEXT NOT NULL CHECK (json_valid(features_json)),
        evidence_json TEXT NOT NULL CHECK (json_valid(evidence_json)),
        findings_json TEXT NOT NULL CHECK (json_valid(findings_json)),
        ring_id TEXT,
        rule_set TEXT NOT NULL,
        model_version TEXT,
        -- Digest of everything the score rests on (features, rule set, model): equal digest, no new history row.
        inputs_hash TEXT NOT NULL,
        run_id INTEGER NOT NULL,
        scored_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX analysis_applications_applicant ON analysis_applications(applicant_id);
      CREATE INDEX analysis_applications_band ON analysis_applications(band, score);

      -- Every distinct score an application has had: a new row when its data or the rules change.
      CREATE TABLE analysis_score_history (
        id INTEGER PRIMARY KEY,
        application_id TEXT NOT NULL,
        run_id INTEGER NOT NULL,
        score INTEGER NOT NULL,
        band TEXT NOT NULL,
        reasons_json TEXT NOT NULL CHECK (json_valid(reasons_json)),
        rule_set TEXT NOT NULL,
        model_version TEXT,
        inputs_hash TEXT NOT NULL,
        scored_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX analysis_score_history_application ON analysis_score_history(application_id, id);

      -- Fitted models and behaviour baselines: versioned parameters a run uses and records.
      CREATE TABLE analysis_parameters (
        version TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('model', 'baseline')),
        body_json TEXT NOT NULL CHECK (json_valid(body_json)),
        -- What the parameters were built from (applications, labels), to decide when to refresh them.
        basis INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1))
      ) STRICT;
      CREATE UNIQUE INDEX analysis_parameters_active ON analysis_parameters(kind) WHERE active = 1;

      CREATE TABLE analysis_runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
        mode TEXT NOT NULL CHECK (mode IN ('full', 'incremental')),
        actor TEXT NOT NULL,
        from_seq INTEGER NOT NULL,
        to_seq INTEGER NOT NULL,
        rule_set TEXT NOT NULL,
        model_version TEXT,
        baseline_version TEXT,
        summary_json TEXT CHECK (summary_json IS NULL OR json_valid(summary_json))
      ) STRICT;

      -- PF cohorts count an employer's applicants (and read small employers whole) from the index alone.
      CREATE INDEX analysis_pf_employer_code ON pf_records(employer_code, first_month, applicant_id, id);
      CREATE INDEX analysis_pf_employer_name ON pf_records(employer, employer_code, first_month, applicant_id, id);

      -- 'watermark': the change_seq analysed up to; 'value_key': the random key of value digests.
      CREATE TABLE analysis_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
      INSERT INTO analysis_state (key, value) VALUES ('watermark', '0');
    `);
  },
};
