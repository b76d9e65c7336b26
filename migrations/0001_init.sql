-- radstruct edge state (D1). Report text never lives here: raw reports are in R2, results in S3/R2.

CREATE TABLE sites (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  -- what to do with a report in which the de-identification screen finds an identifier
  deid_policy TEXT NOT NULL DEFAULT 'reject' CHECK (deid_policy IN ('reject', 'redact')),
  created_at TEXT NOT NULL
);

-- API keys are stored as SHA-256 hashes; the key itself is shown once, at creation
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites (id),
  key_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);

CREATE TABLE batches (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites (id),
  task TEXT NOT NULL,
  -- raw reports as accepted (after redaction), one NDJSON object per batch in R2
  raw_key TEXT NOT NULL,
  accepted INTEGER NOT NULL,
  rejected INTEGER NOT NULL,
  -- POST /v1/extract: where the result goes when ready
  callback_url TEXT,
  callback_secret TEXT,
  created_at TEXT NOT NULL,
  completed_at TEXT
);
CREATE INDEX batches_site ON batches (site_id, created_at);

-- one row per distinct report of a site: the same id and content again is the same report
CREATE TABLE reports (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites (id),
  task TEXT NOT NULL,
  external_id TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  first_batch_id TEXT NOT NULL,
  raw_key TEXT NOT NULL,
  raw_offset INTEGER NOT NULL,
  raw_length INTEGER NOT NULL,
  redacted TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending', 'queued', 'done', 'failed')),
  result_key TEXT NOT NULL UNIQUE,
  flagged INTEGER,
  failure TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX reports_dedup ON reports (site_id, task, external_id, content_hash);
CREATE INDEX reports_batch_status ON reports (first_batch_id, status);

CREATE TABLE batch_reports (
  batch_id TEXT NOT NULL REFERENCES batches (id),
  report_id TEXT NOT NULL REFERENCES reports (id),
  position INTEGER NOT NULL,
  PRIMARY KEY (batch_id, report_id)
);
CREATE INDEX batch_reports_report ON batch_reports (report_id);

-- reports refused at intake: line, id if it had one, and why (never the text)
CREATE TABLE rejections (
  batch_id TEXT NOT NULL REFERENCES batches (id),
  line INTEGER NOT NULL,
  external_id TEXT,
  reason TEXT NOT NULL,
  PRIMARY KEY (batch_id, line)
);

-- IETF Idempotency-Key draft: one row per site and key
CREATE TABLE idempotency_keys (
  site_id TEXT NOT NULL,
  key TEXT NOT NULL,
  fingerprint TEXT,
  state TEXT NOT NULL CHECK (state IN ('running', 'done')),
  status INTEGER,
  response TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (site_id, key)
);

CREATE TABLE webhook_endpoints (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites (id),
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  events TEXT NOT NULL,
  created_at TEXT NOT NULL,
  disabled_at TEXT
);

-- every event happens once (unique subject per type), whatever re-deliveries of results arrive
CREATE TABLE events (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL,
  type TEXT NOT NULL,
  subject TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (type, subject)
);

CREATE TABLE webhook_attempts (
  event_id TEXT NOT NULL,
  target TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  status INTEGER,
  error TEXT,
  at TEXT NOT NULL,
  PRIMARY KEY (event_id, target, attempt)
);
