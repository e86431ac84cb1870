/**
 * SQLite files written before schema versions existed open, upgrade to today's schema (the same
 * tables, columns and indexes as a new file) and keep their rows. The old schemas are written
 * here as the SQL those builds ran, not taken from src.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { SCHEMA_VERSION } from '../../../../src/core/store/sqlite/schema.js';
import { openJobStore } from '../../../../src/core/store/sqlite/store.js';
import { bytes, DAY, makeJob, makeMedia, OPEN_RULES } from '../store-contract.js';
import { openRawSqlite } from '../../../helpers/sqlite.js';

const FILE = 'talking-avatar.sqlite';

/** The first build: no installations table; jobs without claim_owner and delivery_started_at. */
const FIRST_BUILD = `
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
  retry_of TEXT
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
CREATE TABLE IF NOT EXISTS dedupe (
  key TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS kv (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

/** The scale-out build: the same CREATE TABLEs plus secrets, and the two columns added on start-up. */
const SCALE_OUT_BUILD = `${FIRST_BUILD}
CREATE TABLE IF NOT EXISTS secrets (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
ALTER TABLE jobs ADD COLUMN claim_owner TEXT;
ALTER TABLE jobs ADD COLUMN delivery_started_at INTEGER;
`;

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tab-migrate-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Tables, their columns (in order, with type, NOT NULL, default and key) and the indexes. */
function shapeOf(dir: string): { version: number; tables: Record<string, unknown[]>; indexes: string[] } {
  const db = openRawSqlite(join(dir, FILE), { readonly: true });
  try {
    const names = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => r.name);
    const tables: Record<string, unknown[]> = {};
    for (const name of names) tables[name] = db.prepare(`PRAGMA table_info(${name})`).all();
    const indexes = db
      .prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
      .all()
      .map((r) => r.sql);
    return { version: db.prepare<[], number>('PRAGMA user_version').pluck().get() ?? -1, tables, indexes };
  } finally {
    db.close();
  }
}

/** A file as an old build left it: one job in flight with its media, a face, a value, a key. */
function writeOldFile(dir: string, schema: string): void {
  const db = openRawSqlite(join(dir, FILE));
  db.exec(schema);
  db.prepare(
    `INSERT INTO jobs (id, platform, requester_id, group_id, reply_to, reply_state, state, task_id, task_status, audio_seconds,
       created_at, updated_at, submitted_at, eta_at, webhook_token, submit_started_at, next_poll_at, poll_count, deadline_at, preview)
     VALUES ('old-1', 'discord', 'alice', 'guild-1', 'discord:chan:1', '{"m":"9"}', 'submitted', 'task-9', 'IN_PROGRESS', 4.5,
       ${DAY + 10}, ${DAY + 20}, ${DAY + 15}, ${DAY + 90}, 'tok', ${DAY + 12}, ${DAY + 30}, 2, ${DAY + 600}, 1)`,
  ).run();
  const media = makeMedia('old');
  db.prepare('INSERT INTO media (job_id, image, image_type, audio, audio_type, audio_seconds) VALUES (?, ?, ?, ?, ?, ?)').run(
    'old-1',
    Buffer.from(media.image),
    media.imageType,
    Buffer.from(media.audio),
    media.audioType,
    4.5,
  );
  const face = Buffer.from(bytes('face'));
  db.prepare('INSERT INTO faces (platform, user_id, image, updated_at) VALUES (?, ?, ?, ?)').run('discord', 'alice', face, DAY);
  db.prepare('INSERT INTO kv (key, value) VALUES (?, ?)').run('render_ratio', '1.75');
  db.prepare('INSERT INTO dedupe (key, expires_at) VALUES (?, ?)').run('ev-1', Date.now() + 3_600_000);
  db.close();
}

const hex = (b: Uint8Array | null | undefined) => (b === null || b === undefined ? null : Buffer.from(b).toString('hex'));

describe('SQLite schema versions', () => {
  test('a new file gets today’s schema and its version', async () => {
    const dir = freshDir();
    await openJobStore(dir).close();
    const shape = shapeOf(dir);
    expect(shape.version).toBe(SCHEMA_VERSION);
    expect(Object.keys(shape.tables)).toEqual(['consents', 'dedupe', 'faces', 'jobs', 'kv', 'media', 'secrets', 'voices']);
  });

  for (const [name, schema] of [
    ['the first build', FIRST_BUILD],
    ['the scale-out build', SCALE_OUT_BUILD],
  ] as const) {
    test(`a file from ${name} upgrades to the shape of a new file and keeps its rows`, async () => {
      const fresh = freshDir();
      await openJobStore(fresh).close();
      const dir = freshDir();
      writeOldFile(dir, schema);
      expect(shapeOf(dir).version).toBe(0);

      const store = openJobStore(dir);
      try {
        expect(await store.getJob('old-1')).toEqual({
          ...makeJob({ id: 'old-1' }),
          platform: 'discord',
          requesterId: 'alice',
          groupId: 'guild-1',
          replyTo: 'discord:chan:1',
          replyState: '{"m":"9"}',
          state: 'submitted',
          taskId: 'task-9',
          taskStatus: 'IN_PROGRESS',
          audioSeconds: 4.5,
          createdAt: DAY + 10,
          updatedAt: DAY + 20,
          submittedAt: DAY + 15,
          etaAt: DAY + 90,
          preview: true,
          webhookToken: 'tok',
          submitStartedAt: DAY + 12,
          nextPollAt: DAY + 30,
          pollCount: 2,
          deadlineAt: DAY + 600,
          deliveryStartedAt: null,
        });
        expect(hex((await store.getMedia('old-1'))?.image)).toBe(hex(makeMedia('old').image));
        expect(hex(await store.getFace('discord', 'alice'))).toBe(hex(bytes('face')));
        expect(await store.getValue('render_ratio')).toBe('1.75');
        expect(await store.claimKey('ev-1', 60_000, Date.now())).toBe(false);
        expect((await store.countActive()).total).toBe(1);
        // The upgraded columns work: a slot claim records its owner, delivery its start.
        const next = makeJob({ platform: 'discord', requesterId: 'bob' });
        expect(await store.insertJob(next, makeMedia(), OPEN_RULES)).toBe('ok');
        expect(await store.claimSubmit(next.id, { inFlight: 5, perPerson: 5, perGroup: 5 }, DAY, 'me')).toBe('ok');
        expect(await store.claimSubmit(next.id, { inFlight: 5, perPerson: 5, perGroup: 5 }, DAY, 'me')).toBe('mine');
        expect(await store.updateJob('old-1', { deliveryStartedAt: DAY + 700 })).toMatchObject({ deliveryStartedAt: DAY + 700 });
        await store.installations.put('slack:installation:team:T1', 'sealed');
      } finally {
        await store.close();
      }

      expect(shapeOf(dir)).toEqual(shapeOf(fresh));
      // Opening again changes nothing and loses nothing.
      const again = openJobStore(dir);
      try {
        expect(await again.getJob('old-1')).toMatchObject({ state: 'submitted', deliveryStartedAt: DAY + 700 });
        expect(await again.installations.get('slack:installation:team:T1')).toBe('sealed');
      } finally {
        await again.close();
      }
      expect(shapeOf(dir)).toEqual(shapeOf(fresh));
    });
  }

  test('a file from a newer version is refused, untouched', () => {
    const dir = freshDir();
    const db = openRawSqlite(join(dir, FILE));
    db.exec(FIRST_BUILD);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openJobStore(dir)).toThrow(/newer version/);
    expect(shapeOf(dir).version).toBe(SCHEMA_VERSION + 1);
  });
});
