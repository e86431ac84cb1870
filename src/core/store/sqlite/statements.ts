/** Every statement the SQLite store runs, prepared once per open file. */
import type Database from 'better-sqlite3';
import type { JobState } from '../../ports.js';
import { COLUMNS, type JobRow, type MediaRow } from './codec.js';
import { keepAlive } from './keep-alive.js';

/** A job holds a submit slot: sent, or claimed for sending. */
const ACTIVE = `(state = 'submitted' OR (state = 'queued' AND submit_started_at IS NOT NULL))`;
/** A job waits in line: queued, no slot claimed. */
const WAITING = `state = 'queued' AND submit_started_at IS NULL`;

/** A job retention may delete: created before the bound (?), final, and its answer delivered. */
const EXPIRABLE = `created_at < ? AND state IN ('completed','failed','timed_out','canceled') AND delivered = 1`;

type Count = { n: number };

export function prepareStatements(db: Database.Database) {
  const columns = ['id', ...Object.values(COLUMNS)];
  const statements = {
    insertJob: db.prepare(`INSERT INTO jobs (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`),
    getJob: db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE id = ?'),
    unfinished: db.prepare<[], JobRow>(`SELECT * FROM jobs WHERE state IN ('queued','submitted') OR delivered = 0 ORDER BY created_at`),
    waiting: db.prepare<[number], JobRow>(`SELECT * FROM jobs WHERE ${WAITING} ORDER BY created_at, rowid LIMIT ?`),
    countWaiting: db.prepare<[], Count>(`SELECT COUNT(*) AS n FROM jobs WHERE ${WAITING}`),
    listForRequester: db.prepare<[string, string, number], JobRow>(
      'SELECT * FROM jobs WHERE platform = ? AND requester_id = ? AND discarded_at IS NULL ORDER BY created_at DESC, rowid DESC LIMIT ?',
    ),
    createdByPerson: db.prepare<[string, string, number], Count>(
      'SELECT COUNT(*) AS n FROM jobs WHERE platform = ? AND requester_id = ? AND created_at >= ?',
    ),
    createdByGroup: db.prepare<[string, string, number], Count>(
      'SELECT COUNT(*) AS n FROM jobs WHERE platform = ? AND group_id = ? AND created_at >= ?',
    ),
    byStateAndPlatform: db.prepare<[], { platform: string; state: JobState; n: number }>(
      'SELECT platform, state, COUNT(*) AS n FROM jobs GROUP BY platform, state',
    ),

    active: db.prepare<[], { requester: string; grp: string; n: number }>(
      `SELECT platform || ':' || requester_id AS requester, platform || ':' || group_id AS grp, COUNT(*) AS n
         FROM jobs WHERE ${ACTIVE} GROUP BY requester, grp`,
    ),
    activeTotal: db.prepare<[], Count>(`SELECT COUNT(*) AS n FROM jobs WHERE ${ACTIVE}`),
    activeByPerson: db.prepare<[string, string], Count>(
      `SELECT COUNT(*) AS n FROM jobs WHERE platform = ? AND requester_id = ? AND ${ACTIVE}`,
    ),
    activeByGroup: db.prepare<[string, string], Count>(`SELECT COUNT(*) AS n FROM jobs WHERE platform = ? AND group_id = ? AND ${ACTIVE}`),
    claimSlot: db.prepare<[number, string, number, string]>(
      `UPDATE jobs SET submit_started_at = ?, claim_owner = ?, updated_at = ? WHERE id = ? AND ${WAITING}`,
    ),

    insertMedia: db.prepare<[string, Buffer, string, Buffer, string, number]>(
      'INSERT INTO media (job_id, image, image_type, audio, audio_type, audio_seconds) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    getMedia: db.prepare<[string], MediaRow>('SELECT image, image_type, audio, audio_type, audio_seconds FROM media WHERE job_id = ?'),
    deleteMedia: db.prepare<[string]>('DELETE FROM media WHERE job_id = ?'),
    keepMedia: db.prepare<[number, string]>('UPDATE media SET keep_until = ? WHERE job_id = ?'),
    purgeMedia: db.prepare<[number]>('DELETE FROM media WHERE keep_until IS NOT NULL AND keep_until <= ?'),

    getFace: db.prepare<[string, string], { image: Buffer }>('SELECT image FROM faces WHERE platform = ? AND user_id = ?'),
    saveFace: db.prepare<[string, string, Buffer, number]>(
      `INSERT INTO faces (platform, user_id, image, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(platform, user_id) DO UPDATE SET image = excluded.image, updated_at = excluded.updated_at`,
    ),
    clearFace: db.prepare<[string, string]>('DELETE FROM faces WHERE platform = ? AND user_id = ?'),
    getVoice: db.prepare<[string, string], { voice_id: string }>('SELECT voice_id FROM voices WHERE platform = ? AND user_id = ?'),
    saveVoice: db.prepare<[string, string, string, number]>(
      `INSERT INTO voices (platform, user_id, voice_id, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (platform, user_id) DO UPDATE SET voice_id = excluded.voice_id, updated_at = excluded.updated_at`,
    ),
    clearVoice: db.prepare<[string, string]>('DELETE FROM voices WHERE platform = ? AND user_id = ?'),
    getConsent: db.prepare<[string, string], { given_at: number }>('SELECT given_at FROM consents WHERE platform = ? AND user_id = ?'),
    saveConsent: db.prepare<[string, string, number]>(
      `INSERT INTO consents (platform, user_id, given_at) VALUES (?, ?, ?)
       ON CONFLICT (platform, user_id) DO UPDATE SET given_at = excluded.given_at`,
    ),
    clearConsent: db.prepare<[string, string]>('DELETE FROM consents WHERE platform = ? AND user_id = ?'),

    // Retention: final, delivered jobs only (see Retention.expireJobsBefore).
    expireMedia: db.prepare<[number]>(`DELETE FROM media WHERE job_id IN (SELECT id FROM jobs WHERE ${EXPIRABLE})`),
    expireJobs: db.prepare<[number]>(`DELETE FROM jobs WHERE ${EXPIRABLE}`),
    personMedia: db.prepare<[string, string], Count>(
      'SELECT COUNT(*) AS n FROM media WHERE job_id IN (SELECT id FROM jobs WHERE platform = ? AND requester_id = ?)',
    ),
    forgetMedia: db.prepare<[string, string]>(
      'DELETE FROM media WHERE job_id IN (SELECT id FROM jobs WHERE platform = ? AND requester_id = ?)',
    ),
    forgetJobs: db.prepare<[string, string]>('DELETE FROM jobs WHERE platform = ? AND requester_id = ?'),

    purgeKeys: db.prepare<[number]>('DELETE FROM dedupe WHERE expires_at <= ?'),
    claimKey: db.prepare<[string, number]>('INSERT OR IGNORE INTO dedupe (key, expires_at) VALUES (?, ?)'),
    getValue: db.prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?'),
    setValue: db.prepare<[string, string]>(
      'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ),
    getInstallation: db.prepare<[string], { value: string }>('SELECT value FROM secrets WHERE key = ?'),
    putInstallation: db.prepare<[string, string]>(
      'INSERT INTO secrets (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ),
    deleteInstallation: db.prepare<[string]>('DELETE FROM secrets WHERE key = ?'),
  };
  for (const statement of Object.values(statements)) keepAlive(statement);
  return statements;
}
