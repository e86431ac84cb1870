/**
 * Durable jobs in SQLite (better-sqlite3, WAL). Every state change is one synchronous
 * transaction, so a process killed with SIGKILL leaves either the old or the new state, and
 * start-up can resume every unfinished job. Also holds prepared media (until no longer
 * needed), saved faces, de-duplication keys and learned render speed.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorCode } from './errors.js';
import type { JobState, JobView, PreparedMedia, TaskStatus } from './ports.js';

/** A job row with the fields only the core sees. */
export interface JobRecord extends JobView {
  webhookToken: string | null;
  submitStartedAt: number | null;
  nextPollAt: number | null;
  pollCount: number;
  deadlineAt: number | null;
  deliveredAt: number | null;
  retryOf: string | null;
}

interface JobRow {
  id: string;
  platform: string;
  requester_id: string;
  group_id: string;
  reply_to: string;
  reply_state: string | null;
  state: JobState;
  task_id: string | null;
  task_status: TaskStatus | null;
  file_url: string | null;
  output_duration: number | null;
  audio_seconds: number;
  error_code: ErrorCode | null;
  error_message: string | null;
  created_at: number;
  updated_at: number;
  submitted_at: number | null;
  finished_at: number | null;
  eta_at: number | null;
  delivered: number;
  delivered_at: number | null;
  preview: number;
  webhook_token: string | null;
  submit_started_at: number | null;
  next_poll_at: number | null;
  poll_count: number;
  deadline_at: number | null;
  retry_of: string | null;
}

const SCHEMA = `
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

const COLUMNS: Record<keyof Omit<JobRecord, 'id'>, keyof JobRow> = {
  platform: 'platform',
  requesterId: 'requester_id',
  groupId: 'group_id',
  replyTo: 'reply_to',
  replyState: 'reply_state',
  state: 'state',
  taskId: 'task_id',
  taskStatus: 'task_status',
  fileUrl: 'file_url',
  outputDuration: 'output_duration',
  audioSeconds: 'audio_seconds',
  errorCode: 'error_code',
  errorMessage: 'error_message',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  submittedAt: 'submitted_at',
  finishedAt: 'finished_at',
  etaAt: 'eta_at',
  delivered: 'delivered',
  deliveredAt: 'delivered_at',
  preview: 'preview',
  webhookToken: 'webhook_token',
  submitStartedAt: 'submit_started_at',
  nextPollAt: 'next_poll_at',
  pollCount: 'poll_count',
  deadlineAt: 'deadline_at',
  retryOf: 'retry_of',
};

function fromRow(r: JobRow): JobRecord {
  return {
    id: r.id,
    platform: r.platform,
    requesterId: r.requester_id,
    groupId: r.group_id,
    replyTo: r.reply_to,
    replyState: r.reply_state,
    state: r.state,
    taskId: r.task_id,
    taskStatus: r.task_status,
    fileUrl: r.file_url,
    outputDuration: r.output_duration,
    audioSeconds: r.audio_seconds,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    submittedAt: r.submitted_at,
    finishedAt: r.finished_at,
    etaAt: r.eta_at,
    delivered: r.delivered === 1,
    deliveredAt: r.delivered_at,
    preview: r.preview === 1,
    webhookToken: r.webhook_token,
    submitStartedAt: r.submit_started_at,
    nextPollAt: r.next_poll_at,
    pollCount: r.poll_count,
    deadlineAt: r.deadline_at,
    retryOf: r.retry_of,
  };
}

function toDb(value: unknown): unknown {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

export type JobPatch = Partial<Omit<JobRecord, 'id' | 'createdAt'>>;

export interface JobStore {
  insertJob(job: JobRecord, media: PreparedMedia): void;
  getJob(id: string): JobRecord | null;
  /**
   * Applies a patch; with `expectState`, only when the job is still in that state (a guard
   * against two paths, e.g. a webhook and a poll, finishing the same job). Returns the new
   * record, or null when the guard failed or the job does not exist.
   */
  updateJob(id: string, patch: JobPatch, expectState?: JobState): JobRecord | null;
  /** Jobs that need work after a restart: queued, submitted, or final but not delivered. */
  unfinishedJobs(): JobRecord[];
  queuedJobs(): JobRecord[];
  countActive(): { total: number; byRequester: Map<string, number>; byGroup: Map<string, number> };
  countCreatedSince(since: number, by: { platform: string; requesterId?: string; groupId?: string }): number;
  listForRequester(platform: string, requesterId: string, limit: number): JobRecord[];
  getMedia(jobId: string): PreparedMedia | null;
  copyMedia(fromJobId: string, toJobId: string): boolean;
  /** Drops a job's media now (keepUntil undefined) or marks it for purge at `keepUntil`. */
  releaseMedia(jobId: string, keepUntil?: number): void;
  purgeExpiredMedia(now: number): number;
  getFace(platform: string, userId: string): Uint8Array | null;
  saveFace(platform: string, userId: string, image: Uint8Array, now: number): void;
  clearFace(platform: string, userId: string): boolean;
  claimKey(key: string, expiresAt: number, now: number): boolean;
  getValue(key: string): string | null;
  setValue(key: string, value: string): void;
  /** Read-only: how many jobs are in each state, per platform (for /metrics). */
  countByStateAndPlatform(): Array<{ platform: string; state: JobState; n: number }>;
  /** Read-only: queued jobs not yet being sent (the waiting line, for /metrics). */
  countWaiting(): number;
  close(): void;
}

/** Opens (creating if needed) `<dataDir>/talking-avatar.sqlite`, or an in-memory DB for ':memory:'. */
export function openJobStore(dataDir: string): JobStore {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true });
    file = join(dataDir, 'talking-avatar.sqlite');
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives a process crash (SIGKILL); only an OS crash can lose the last commit.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);

  const insertJobStmt = db.prepare(
    `INSERT INTO jobs (${['id', ...Object.values(COLUMNS)].join(', ')}) VALUES (${['@id', ...Object.values(COLUMNS).map((c) => '@' + c)].join(', ')})`,
  );
  const insertMedia = db.prepare(
    'INSERT INTO media (job_id, image, image_type, audio, audio_type, audio_seconds) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const getJobStmt = db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE id = ?');
  const unfinished = db.prepare<[], JobRow>(
    `SELECT * FROM jobs WHERE state IN ('queued','submitted') OR delivered = 0 ORDER BY created_at`,
  );
  const queued = db.prepare<[], JobRow>(`SELECT * FROM jobs WHERE state = 'queued' ORDER BY created_at, rowid`);
  const active = db.prepare<[], { requester: string; grp: string; n: number }>(
    `SELECT platform || ':' || requester_id AS requester, platform || ':' || group_id AS grp, COUNT(*) AS n
       FROM jobs WHERE state = 'submitted' OR (state = 'queued' AND submit_started_at IS NOT NULL)
      GROUP BY requester, grp`,
  );
  const listReq = db.prepare<[string, string, number], JobRow>(
    'SELECT * FROM jobs WHERE platform = ? AND requester_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
  );
  const getMediaStmt = db.prepare<
    [string],
    { image: Buffer; image_type: string; audio: Buffer; audio_type: string; audio_seconds: number }
  >('SELECT image, image_type, audio, audio_type, audio_seconds FROM media WHERE job_id = ?');
  const copyMediaStmt = db.prepare(
    `INSERT INTO media (job_id, image, image_type, audio, audio_type, audio_seconds)
     SELECT ?, image, image_type, audio, audio_type, audio_seconds FROM media WHERE job_id = ?`,
  );
  const deleteMedia = db.prepare('DELETE FROM media WHERE job_id = ?');
  const keepMedia = db.prepare('UPDATE media SET keep_until = ? WHERE job_id = ?');
  const purgeMedia = db.prepare('DELETE FROM media WHERE keep_until IS NOT NULL AND keep_until <= ?');
  const getFaceStmt = db.prepare<[string, string], { image: Buffer }>(
    'SELECT image FROM faces WHERE platform = ? AND user_id = ?',
  );
  const saveFaceStmt = db.prepare(
    `INSERT INTO faces (platform, user_id, image, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(platform, user_id) DO UPDATE SET image = excluded.image, updated_at = excluded.updated_at`,
  );
  const clearFaceStmt = db.prepare('DELETE FROM faces WHERE platform = ? AND user_id = ?');
  const purgeKeys = db.prepare('DELETE FROM dedupe WHERE expires_at <= ?');
  const claimStmt = db.prepare('INSERT OR IGNORE INTO dedupe (key, expires_at) VALUES (?, ?)');
  const getKv = db.prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?');
  const setKv = db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  const updateCache = new Map<string, Database.Statement>();
  const byStatePlatform = db.prepare<[], { platform: string; state: JobState; n: number }>(
    'SELECT platform, state, COUNT(*) AS n FROM jobs GROUP BY platform, state',
  );
  const waitingStmt = db.prepare<[], { n: number }>(
    "SELECT COUNT(*) AS n FROM jobs WHERE state = 'queued' AND submit_started_at IS NULL",
  );

  const insertTx = db.transaction((job: JobRecord, media: PreparedMedia) => {
    const params: Record<string, unknown> = { id: job.id };
    for (const [field, column] of Object.entries(COLUMNS)) params[column] = toDb(job[field as keyof JobRecord]);
    insertJobStmt.run(params);
    insertMedia.run(job.id, Buffer.from(media.image), media.imageType, Buffer.from(media.audio), media.audioType, media.audioSeconds);
  });

  return {
    insertJob(job, media) {
      insertTx(job, media);
    },
    getJob(id) {
      const r = getJobStmt.get(id);
      return r === undefined ? null : fromRow(r);
    },
    updateJob(id, patch, expectState) {
      const fields = Object.keys(patch) as Array<keyof JobPatch>;
      const cols = fields.map((f) => COLUMNS[f]);
      const key = cols.join(',') + (expectState === undefined ? '' : '|guard');
      let stmt = updateCache.get(key);
      if (stmt === undefined) {
        const sets = [...cols.map((c) => `${c} = @${c}`), 'updated_at = @updated_at'];
        stmt = db.prepare(
          `UPDATE jobs SET ${[...new Set(sets)].join(', ')} WHERE id = @id${expectState === undefined ? '' : ' AND state = @expect'}`,
        );
        updateCache.set(key, stmt);
      }
      const params: Record<string, unknown> = { id, updated_at: patch.updatedAt ?? Date.now() };
      for (const f of fields) params[COLUMNS[f]] = toDb(patch[f] ?? null);
      if (expectState !== undefined) params.expect = expectState;
      const info = stmt.run(params);
      if (info.changes === 0) return null;
      const r = getJobStmt.get(id);
      return r === undefined ? null : fromRow(r);
    },
    unfinishedJobs() {
      return unfinished.all().map(fromRow);
    },
    queuedJobs() {
      return queued.all().map(fromRow);
    },
    countActive() {
      const byRequester = new Map<string, number>();
      const byGroup = new Map<string, number>();
      let total = 0;
      for (const row of active.all()) {
        total += row.n;
        byRequester.set(row.requester, (byRequester.get(row.requester) ?? 0) + row.n);
        byGroup.set(row.grp, (byGroup.get(row.grp) ?? 0) + row.n);
      }
      return { total, byRequester, byGroup };
    },
    countCreatedSince(since, by) {
      const where = ['platform = ?', 'created_at >= ?'];
      const args: unknown[] = [by.platform, since];
      if (by.requesterId !== undefined) {
        where.push('requester_id = ?');
        args.push(by.requesterId);
      }
      if (by.groupId !== undefined) {
        where.push('group_id = ?');
        args.push(by.groupId);
      }
      const row = db.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE ${where.join(' AND ')}`).get(...args) as { n: number };
      return row.n;
    },
    listForRequester(platform, requesterId, limit) {
      return listReq.all(platform, requesterId, limit).map(fromRow);
    },
    getMedia(jobId) {
      const r = getMediaStmt.get(jobId);
      return r === undefined
        ? null
        : { image: r.image, imageType: r.image_type, audio: r.audio, audioType: r.audio_type, audioSeconds: r.audio_seconds };
    },
    copyMedia(from, to) {
      return copyMediaStmt.run(to, from).changes === 1;
    },
    releaseMedia(jobId, keepUntil) {
      if (keepUntil === undefined) deleteMedia.run(jobId);
      else keepMedia.run(keepUntil, jobId);
    },
    purgeExpiredMedia(now) {
      return purgeMedia.run(now).changes;
    },
    getFace(platform, userId) {
      return getFaceStmt.get(platform, userId)?.image ?? null;
    },
    saveFace(platform, userId, image, now) {
      saveFaceStmt.run(platform, userId, Buffer.from(image), now);
    },
    clearFace(platform, userId) {
      return clearFaceStmt.run(platform, userId).changes > 0;
    },
    claimKey(key, expiresAt, now) {
      purgeKeys.run(now);
      return claimStmt.run(key, expiresAt).changes === 1;
    },
    getValue(key) {
      return getKv.get(key)?.value ?? null;
    },
    setValue(key, value) {
      setKv.run(key, value);
    },
    countByStateAndPlatform() {
      return byStatePlatform.all();
    },
    countWaiting() {
      return waitingStmt.get()?.n ?? 0;
    },
    close() {
      if (db.open) db.close();
    },
  };
}
