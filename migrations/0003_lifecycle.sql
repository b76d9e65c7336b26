-- The report lifecycle (functions/store/lifecycle.ts): how often a report was handed to the work
-- queue and when last, so the sweeper re-dispatches what got lost and gives up after a few tries.
ALTER TABLE reports ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN dispatched_at TEXT;
CREATE INDEX reports_status_updated ON reports (status, updated_at, id);

-- Where each sweep left off, so a backlog is walked through instead of re-reading its oldest rows.
CREATE TABLE sweep_cursors (
  name TEXT PRIMARY KEY,
  updated_at TEXT NOT NULL,
  id TEXT NOT NULL
);

-- A site's results by task and date (GET /v1/results, the site-wide export).
CREATE INDEX reports_site_task_created ON reports (site_id, task, created_at, id);
