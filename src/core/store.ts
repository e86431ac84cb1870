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
import type { ClaimOutcome, InsertOutcome, InsertRules, JobPatch, JobRecord, JobStore, SlotCaps } from './job-store.js';
import type { PreparedMedia } from './ports.js';
import { isFinal, type JobState, type TaskStatus } from './ports.js';

export type { JobPatch, JobRecord, JobStore } from './job-store.js';

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
  delivery_started_at: number | null;
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
CREATE TABLE IF NOT EXISTS secrets (
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
  deliveryStartedAt: 'delivery_started_at',
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
    deliveryStartedAt: r.delivery_started_at,
    retryOf: r.retry_of,
  };
}

function toDb(value: unknown): unknown {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
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
  // Added with scale-out: who holds a job's submit slot, and when its answer was last being sent.
  // Files from before lack them.
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(jobs)').all();
  if (!columns.some((c) => c.name === 'claim_owner')) db.exec('ALTER TABLE jobs ADD COLUMN claim_owner TEXT');
  if (!columns.some((c) => c.name === 'delivery_started_at')) db.exec('ALTER TABLE jobs ADD COLUMN delivery_started_at INTEGER');

  const insertJobStmt = db.prepare(
    `INSERT INTO jobs (${['id', ...Object.values(COLUMNS)].join(', ')}) VALUES (${['@id', ...Object.values(COLUMNS).map((c) => '@' + c)].join(', ')})`,
  );
  const insertMedia = db.prepare(
    'INSERT INTO media (job_id, image, image_type, audio, audio_type, audio_seconds) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const getJobStmt = db.prepare<[string], JobRow & { claim_owner: string | null }>('SELECT * FROM jobs WHERE id = ?');
  const unfinished = db.prepare<[], JobRow>(
    `SELECT * FROM jobs WHERE state IN ('queued','submitted') OR delivered = 0 ORDER BY created_at`,
  );
  const waitingStmt = db.prepare<[number], JobRow>(
    `SELECT * FROM jobs WHERE state = 'queued' AND submit_started_at IS NULL ORDER BY created_at, rowid LIMIT ?`,
  );
  const activeWhere = `(state = 'submitted' OR (state = 'queued' AND submit_started_at IS NOT NULL))`;
  const active = db.prepare<[], { requester: string; grp: string; n: number }>(
    `SELECT platform || ':' || requester_id AS requester, platform || ':' || group_id AS grp, COUNT(*) AS n
       FROM jobs WHERE ${activeWhere} GROUP BY requester, grp`,
  );
  const activeTotal = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM jobs WHERE ${activeWhere}`);
  const activeByPerson = db.prepare<[string, string], { n: number }>(
    `SELECT COUNT(*) AS n FROM jobs WHERE platform = ? AND requester_id = ? AND ${activeWhere}`,
  );
  const activeByGroup = db.prepare<[string, string], { n: number }>(
    `SELECT COUNT(*) AS n FROM jobs WHERE platform = ? AND group_id = ? AND ${activeWhere}`,
  );
  const claimStmtJob = db.prepare(
    `UPDATE jobs SET submit_started_at = ?, claim_owner = ?, updated_at = ? WHERE id = ? AND state = 'queued' AND submit_started_at IS NULL`,
  );
  const createdByPerson = db.prepare<[string, string, number], { n: number }>(
    'SELECT COUNT(*) AS n FROM jobs WHERE platform = ? AND requester_id = ? AND created_at >= ?',
  );
  const createdByGroup = db.prepare<[string, string, number], { n: number }>(
    'SELECT COUNT(*) AS n FROM jobs WHERE platform = ? AND group_id = ? AND created_at >= ?',
  );
  const listReq = db.prepare<[string, string, number], JobRow>(
    'SELECT * FROM jobs WHERE platform = ? AND requester_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
  );
  const getMediaStmt = db.prepare<
    [string],
    { image: Buffer; image_type: string; audio: Buffer; audio_type: string; audio_seconds: number }
  >('SELECT image, image_type, audio, audio_type, audio_seconds FROM media WHERE job_id = ?');
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
  const claimKeyStmt = db.prepare('INSERT OR IGNORE INTO dedupe (key, expires_at) VALUES (?, ?)');
  const getKv = db.prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?');
  const setKv = db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  const getSecret = db.prepare<[string], { value: string }>('SELECT value FROM secrets WHERE key = ?');
  const putSecret = db.prepare(
    'INSERT INTO secrets (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  const deleteSecret = db.prepare('DELETE FROM secrets WHERE key = ?');
  const updateCache = new Map<string, Database.Statement>();
  const byStatePlatform = db.prepare<[], { platform: string; state: JobState; n: number }>(
    'SELECT platform, state, COUNT(*) AS n FROM jobs GROUP BY platform, state',
  );
  const countWaitingStmt = db.prepare<[], { n: number }>(
    "SELECT COUNT(*) AS n FROM jobs WHERE state = 'queued' AND submit_started_at IS NULL",
  );

  // better-sqlite3 transactions are synchronous: nothing else runs between the checks and the insert.
  const insertTx = db.transaction((job: JobRecord, media: PreparedMedia, rules: InsertRules): InsertOutcome => {
    if (rules.quotaPerPerson > 0 && (createdByPerson.get(job.platform, job.requesterId, rules.dayStart)?.n ?? 0) >= rules.quotaPerPerson) {
      return 'PERSON_QUOTA';
    }
    if (
      rules.quotaPerGroup > 0 &&
      job.groupId !== '' &&
      (createdByGroup.get(job.platform, job.groupId, rules.dayStart)?.n ?? 0) >= rules.quotaPerGroup
    ) {
      return 'GROUP_QUOTA';
    }
    if ((countWaitingStmt.get()?.n ?? 0) >= rules.queueMax) return 'QUEUE_FULL';
    const params: Record<string, unknown> = { id: job.id };
    for (const [field, column] of Object.entries(COLUMNS)) params[column] = toDb(job[field as keyof JobRecord]);
    insertJobStmt.run(params);
    insertMedia.run(job.id, Buffer.from(media.image), media.imageType, Buffer.from(media.audio), media.audioType, media.audioSeconds);
    saveFaceStmt.run(job.platform, job.requesterId, Buffer.from(media.image), job.createdAt);
    return 'ok';
  });

  const claimTx = db.transaction((id: string, caps: SlotCaps, now: number, owner: string): ClaimOutcome => {
    const job = getJobStmt.get(id);
    if (job === undefined || job.state !== 'queued') return 'gone';
    if (job.submit_started_at !== null) return job.claim_owner === owner ? 'mine' : 'gone';
    if ((activeTotal.get()?.n ?? 0) >= caps.inFlight) return 'full';
    if ((activeByPerson.get(job.platform, job.requester_id)?.n ?? 0) >= caps.perPerson) return 'wait';
    if (job.group_id !== '' && (activeByGroup.get(job.platform, job.group_id)?.n ?? 0) >= caps.perGroup) return 'wait';
    claimStmtJob.run(now, owner, now, id);
    return 'ok';
  });

  function updateJobSync(id: string, patch: JobPatch, expectState?: JobState): JobRecord | null {
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
    // A final state is final, whatever the caller expected: a late poll cannot undo a cancel.
    if (patch.state !== undefined && !isFinal(patch.state)) {
      const current = getJobStmt.get(id);
      if (current !== undefined && isFinal(current.state)) return null;
    }
    const info = stmt.run(params);
    if (info.changes === 0) return null;
    const r = getJobStmt.get(id);
    return r === undefined ? null : fromRow(r);
  }

  return {
    async insertJob(job, media, rules) {
      return insertTx(job, media, rules);
    },
    async getJob(id) {
      const r = getJobStmt.get(id);
      return r === undefined ? null : fromRow(r);
    },
    async updateJob(id, patch, expectState) {
      return updateJobSync(id, patch, expectState);
    },
    async claimSubmit(id, caps, now, owner) {
      return claimTx(id, caps, now, owner);
    },
    async unfinishedJobs() {
      return unfinished.all().map(fromRow);
    },
    async waitingJobs(limit) {
      return waitingStmt.all(limit).map(fromRow);
    },
    async countActive() {
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
    async countCreatedSince(since, platform, requesterId, groupId) {
      return {
        person: createdByPerson.get(platform, requesterId, since)?.n ?? 0,
        group: groupId === '' ? 0 : (createdByGroup.get(platform, groupId, since)?.n ?? 0),
      };
    },
    async listForRequester(platform, requesterId, limit) {
      return listReq.all(platform, requesterId, limit).map(fromRow);
    },
    async getMedia(jobId) {
      const r = getMediaStmt.get(jobId);
      return r === undefined
        ? null
        : { image: r.image, imageType: r.image_type, audio: r.audio, audioType: r.audio_type, audioSeconds: r.audio_seconds };
    },
    async releaseMedia(jobId, keepUntil) {
      if (keepUntil === undefined) deleteMedia.run(jobId);
      else keepMedia.run(keepUntil, jobId);
    },
    async purgeExpiredMedia(now) {
      return purgeMedia.run(now).changes;
    },
    async getFace(platform, userId) {
      return getFaceStmt.get(platform, userId)?.image ?? null;
    },
    async saveFace(platform, userId, image, now) {
      saveFaceStmt.run(platform, userId, Buffer.from(image), now);
    },
    async clearFace(platform, userId) {
      return clearFaceStmt.run(platform, userId).changes > 0;
    },
    async claimKey(key, ttlMs, now) {
      purgeKeys.run(now);
      return claimKeyStmt.run(key, now + ttlMs).changes === 1;
    },
    async getValue(key) {
      return getKv.get(key)?.value ?? null;
    },
    async setValue(key, value) {
      setKv.run(key, value);
    },
    secrets: {
      async get(key) {
        return getSecret.get(key)?.value ?? null;
      },
      async put(key, value) {
        putSecret.run(key, value);
      },
      async delete(key) {
        return deleteSecret.run(key).changes > 0;
      },
    },
    async countByStateAndPlatform() {
      return byStatePlatform.all();
    },
    async countWaiting() {
      return countWaitingStmt.get()?.n ?? 0;
    },
    async ping() {
      try {
        countWaitingStmt.get();
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
