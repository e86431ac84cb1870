/**
 * The SQLite schema as of SCHEMA_VERSION, with every column. A new file gets it at once; a file
 * written by an older build reaches the same shape through `migrations.ts` (a test compares
 * the two). Changing the schema means: bump SCHEMA_VERSION, edit this text, add the step.
 */

/** Kept in `PRAGMA user_version`. 0: a file from before versions (or a new, empty one). */
export const SCHEMA_VERSION = 5;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  platform TEXT NOT NULL,
  requester_id TEXT NOT NULL,
  group_id TEXT NOT NULL DEFAULT '',
  reply_to TEXT NOT NULL,
  reply_state TEXT,
  state TEXT NOT NULL,
  task_id TEXT,
  task_status TEXT,
  file_url TEXT,
  output_duration REAL,
  audio_seconds REAL NOT NULL,
  error_code TEXT,
  error_message TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  submitted_at INTEGER,
  finished_at INTEGER,
  eta_at INTEGER,
  delivered INTEGER NOT NULL DEFAULT 0,
  delivered_at INTEGER,
  preview INTEGER NOT NULL DEFAULT 0,
  webhook_token TEXT,
  submit_started_at INTEGER,
  next_poll_at INTEGER,
  poll_count INTEGER NOT NULL DEFAULT 0,
  deadline_at INTEGER,
  retry_of TEXT,
  claim_owner TEXT,
  delivery_started_at INTEGER,
  error_facts TEXT,
  render_started_at INTEGER,
  spoken_text TEXT,
  discarded_at INTEGER,
  captions TEXT
);
CREATE INDEX IF NOT EXISTS jobs_unfinished ON jobs(state, created_at) WHERE delivered = 0 OR state IN ('queued','submitted');
CREATE INDEX IF NOT EXISTS jobs_requester ON jobs(platform, requester_id, created_at);
CREATE INDEX IF NOT EXISTS jobs_group ON jobs(platform, group_id, created_at);
CREATE TABLE IF NOT EXISTS media (
  job_id TEXT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
  image BLOB NOT NULL,
  image_type TEXT NOT NULL,
  audio BLOB NOT NULL,
  audio_type TEXT NOT NULL,
  audio_seconds REAL NOT NULL,
  keep_until INTEGER
);
CREATE TABLE IF NOT EXISTS faces (
  platform TEXT NOT NULL,
  user_id TEXT NOT NULL,
  image BLOB NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (platform, user_id)
);
CREATE TABLE IF NOT EXISTS voices (
  platform TEXT NOT NULL,
  user_id TEXT NOT NULL,
  voice_id TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (platform, user_id)
);
CREATE TABLE IF NOT EXISTS consents (
  platform TEXT NOT NULL,
  user_id TEXT NOT NULL,
  given_at INTEGER NOT NULL,
  PRIMARY KEY (platform, user_id)
);
CREATE TABLE IF NOT EXISTS dedupe (
  key TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS kv (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
-- The sealed installations (see SealedInstallations). The table kept the name it was created
-- with, so that files already written need no rename.
CREATE TABLE IF NOT EXISTS secrets (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;
