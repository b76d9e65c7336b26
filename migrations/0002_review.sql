-- Human review: reviewer accounts, the flagged fields of each result, claims, and decisions.

-- reviewers sign in with a token (shown once, stored hashed), separate from the sites' upload keys
CREATE TABLE reviewers (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites (id),
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('site_admin', 'reviewer')),
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  disabled_at TEXT
);

-- the fields a result flagged (confidence under the task threshold), copied from the result when it arrives
CREATE TABLE review_items (
  report_id TEXT NOT NULL REFERENCES reports (id),
  field TEXT NOT NULL,
  model_value TEXT NOT NULL,
  confidence REAL NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (report_id, field)
);
CREATE INDEX review_items_confidence ON review_items (confidence);

-- one reviewer works on a report at a time, for a while
CREATE TABLE claims (
  report_id TEXT PRIMARY KEY REFERENCES reports (id),
  reviewer_id TEXT NOT NULL REFERENCES reviewers (id),
  expires_at TEXT NOT NULL
);

-- the audit trail: every decision, never changed or deleted (the triggers refuse it)
CREATE TABLE decisions (
  id TEXT PRIMARY KEY,
  report_id TEXT NOT NULL REFERENCES reports (id),
  field TEXT NOT NULL,
  reviewer_id TEXT NOT NULL REFERENCES reviewers (id),
  action TEXT NOT NULL CHECK (action IN ('accept', 'correct', 'not_stated')),
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL,
  confidence REAL,
  reason TEXT,
  at TEXT NOT NULL
);
CREATE INDEX decisions_report ON decisions (report_id, field, at);
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are an audit trail: append a new decision instead'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are an audit trail: they are never deleted'); END;
