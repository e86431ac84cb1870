/**
 * Brings a SQLite file to SCHEMA_VERSION, counted in `PRAGMA user_version`. A new file gets the
 * whole schema at once; an older one runs each missing step, in one transaction with the
 * version bump, so a crash mid-upgrade leaves the old version to retry from.
 */
import type Database from 'better-sqlite3';
import { keepAlive } from './keep-alive.js';
import { SCHEMA, SCHEMA_VERSION } from './schema.js';

type Step = (db: Database.Database) => void;

function columnsOf(db: Database.Database, table: string): Set<string> {
  return new Set(
    keepAlive(db.prepare<[], { name: string }>(`PRAGMA table_info(${table})`))
      .all()
      .map((c) => c.name),
  );
}

/** STEPS[v] takes a file from version v to v + 1. */
const STEPS: Step[] = [
  // 0 -> 1. Files from before versions: the first build wrote jobs, media, faces, dedupe and kv;
  // scale-out added the secrets table and two job columns (who holds the submit slot, when the
  // answer was last being sent), created on start-up when missing.
  (db) => {
    db.exec('CREATE TABLE IF NOT EXISTS secrets (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const columns = columnsOf(db, 'jobs');
    if (!columns.has('claim_owner')) db.exec('ALTER TABLE jobs ADD COLUMN claim_owner TEXT');
    if (!columns.has('delivery_started_at')) db.exec('ALTER TABLE jobs ADD COLUMN delivery_started_at INTEGER');
  },
  // 1 -> 2. A failed job keeps the facts of its error (JSON), so its answer can name them.
  (db) => {
    db.exec('ALTER TABLE jobs ADD COLUMN error_facts TEXT');
  },
  // 2 -> 3. Each person's chosen voice for typed text, kept as the face is.
  (db) => {
    db.exec(
      'CREATE TABLE voices (platform TEXT NOT NULL, user_id TEXT NOT NULL, voice_id TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (platform, user_id))',
    );
  },
  // 3 -> 4. When rendering really started (the service's IN_PROGRESS), the typed text a video
  // speaks, and when its person deleted the result.
  (db) => {
    db.exec('ALTER TABLE jobs ADD COLUMN render_started_at INTEGER');
    db.exec('ALTER TABLE jobs ADD COLUMN spoken_text TEXT');
    db.exec('ALTER TABLE jobs ADD COLUMN discarded_at INTEGER');
  },
  // 4 -> 5. A video's captions (JSON), and each person's consent to use a face (FACE_CONSENT).
  (db) => {
    db.exec('ALTER TABLE jobs ADD COLUMN captions TEXT');
    db.exec(
      'CREATE TABLE consents (platform TEXT NOT NULL, user_id TEXT NOT NULL, given_at INTEGER NOT NULL, PRIMARY KEY (platform, user_id))',
    );
  },
];

if (STEPS.length !== SCHEMA_VERSION) throw new Error('sqlite migrations: one step per schema version');

function userVersion(db: Database.Database): number {
  return keepAlive(db.prepare<[], number>('PRAGMA user_version').pluck()).get() ?? 0;
}

export function migrate(db: Database.Database): void {
  const from = userVersion(db);
  if (from === SCHEMA_VERSION) return;
  if (from > SCHEMA_VERSION) {
    throw new Error(`The database was written by a newer version (schema ${from}; this one knows up to ${SCHEMA_VERSION}).`);
  }
  const isNew =
    from === 0 && keepAlive(db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'jobs'")).get() === undefined;
  db.transaction(() => {
    if (isNew) db.exec(SCHEMA);
    else for (const step of STEPS.slice(from)) step(db);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
  })();
}
