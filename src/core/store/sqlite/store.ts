/**
 * Durable jobs in SQLite (better-sqlite3, WAL). Every state change is one synchronous
 * transaction, so a process killed with SIGKILL leaves either the old or the new state, and
 * start-up can resume every unfinished job. Also holds prepared media (until no longer
 * needed), saved faces, voices and consents, de-duplication keys, learned render speed and sealed installations.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isFinal, type JobState, type PreparedMedia } from '../../ports.js';
import { decideInsert, type InsertOutcome, type InsertRules } from '../insert-rules.js';
import type { ClaimOutcome, JobPatch, JobRecord, JobStore, SlotCaps } from '../port.js';
import { COLUMNS, fromRow, insertParams, mediaFromRow, patchParams } from './codec.js';
import { migrate } from './migrations.js';
import { keepAlive } from './keep-alive.js';
import { prepareStatements } from './statements.js';

/** Opens (creating if needed) `<dataDir>/talking-avatar.sqlite`, or an in-memory DB for ':memory:'. */
export function openJobStore(dataDir: string): JobStore {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true });
    file = join(dataDir, 'talking-avatar.sqlite');
  }
  const db = keepAlive(new Database(file));
  db.exec('PRAGMA journal_mode = WAL');
  // NORMAL in WAL mode survives a process crash (SIGKILL); only an OS crash can lose the last commit.
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA busy_timeout = 5000');
  // Deleted faces and media are overwritten, not left in free pages (they are biometric data).
  db.exec('PRAGMA secure_delete = ON');
  migrate(db);
  const q = prepareStatements(db);
  const updateCache = new Map<string, Database.Statement>();

  // better-sqlite3 transactions are synchronous: nothing else runs between the checks and the insert.
  const insertTx = db.transaction((job: JobRecord, media: PreparedMedia, rules: InsertRules): InsertOutcome => {
    const counts = {
      person: q.createdByPerson.get(job.platform, job.requesterId, rules.dayStart)?.n ?? 0,
      group: job.groupId === '' ? 0 : (q.createdByGroup.get(job.platform, job.groupId, rules.dayStart)?.n ?? 0),
      waiting: q.countWaiting.get()?.n ?? 0,
    };
    const outcome = decideInsert(rules, counts, job.groupId);
    if (outcome !== 'ok') return outcome;
    q.insertJob.run(insertParams(job));
    q.insertMedia.run(job.id, Buffer.from(media.image), media.imageType, Buffer.from(media.audio), media.audioType, media.audioSeconds);
    return 'ok';
  });

  const claimTx = db.transaction((id: string, caps: SlotCaps, now: number, owner: string): ClaimOutcome => {
    const job = q.getJob.get(id);
    if (job === undefined || job.state !== 'queued') return 'gone';
    if (job.submit_started_at !== null) return job.claim_owner === owner ? 'mine' : 'gone';
    if ((q.activeTotal.get()?.n ?? 0) >= caps.inFlight) return 'full';
    if ((q.activeByPerson.get(job.platform, job.requester_id)?.n ?? 0) >= caps.perPerson) return 'wait';
    if (job.group_id !== '' && (q.activeByGroup.get(job.platform, job.group_id)?.n ?? 0) >= caps.perGroup) return 'wait';
    q.claimSlot.run(now, owner, now, id);
    return 'ok';
  });

  // Media first: files from before the foreign key was enforced may not cascade.
  const expireTx = db.transaction((before: number): number => {
    q.expireMedia.run(before);
    return q.expireJobs.run(before).changes;
  });

  const forgetTx = db.transaction((platform: string, requesterId: string) => {
    const media = q.personMedia.get(platform, requesterId)?.n ?? 0;
    q.forgetMedia.run(platform, requesterId);
    const jobs = q.forgetJobs.run(platform, requesterId).changes;
    const face = q.clearFace.run(platform, requesterId).changes > 0;
    const voice = q.clearVoice.run(platform, requesterId).changes > 0;
    const consent = q.clearConsent.run(platform, requesterId).changes > 0;
    return { face, voice, consent, jobs, media };
  });

  /** One prepared UPDATE per set of patched columns (and guard), built on first use. */
  function updateStatement(patch: JobPatch, guarded: boolean): Database.Statement {
    const cols = (Object.keys(patch) as Array<keyof JobPatch>).map((f) => COLUMNS[f]);
    const key = cols.join(',') + (guarded ? '|guard' : '');
    let stmt = updateCache.get(key);
    if (stmt === undefined) {
      const sets = [...cols.map((c) => `${c} = @${c}`), 'updated_at = @updated_at'];
      stmt = keepAlive(
        db.prepare(`UPDATE jobs SET ${[...new Set(sets)].join(', ')} WHERE id = @id${guarded ? ' AND state = @expect' : ''}`),
      );
      updateCache.set(key, stmt);
    }
    return stmt;
  }

  function updateJobSync(id: string, patch: JobPatch, expectState?: JobState): JobRecord | null {
    const stmt = updateStatement(patch, expectState !== undefined);
    const params: Record<string, unknown> = { ...patchParams(patch), id, updated_at: patch.updatedAt ?? Date.now() };
    if (expectState !== undefined) params.expect = expectState;
    // A final state is final, whatever the caller expected: a late poll cannot undo a cancel.
    if (patch.state !== undefined && !isFinal(patch.state)) {
      const current = q.getJob.get(id);
      if (current !== undefined && isFinal(current.state)) return null;
    }
    if (stmt.run(params).changes === 0) return null;
    const r = q.getJob.get(id);
    return r === undefined ? null : fromRow(r);
  }

  return {
    async insertJob(job, media, rules) {
      return insertTx(job, media, rules);
    },
    async getJob(id) {
      const r = q.getJob.get(id);
      return r === undefined ? null : fromRow(r);
    },
    async updateJob(id, patch, expectState) {
      return updateJobSync(id, patch, expectState);
    },
    async claimSubmit(id, caps, now, owner) {
      return claimTx(id, caps, now, owner);
    },
    async unfinishedJobs() {
      return q.unfinished.all().map(fromRow);
    },
    async waitingJobs(limit) {
      return q.waiting.all(limit).map(fromRow);
    },
    async countActive() {
      const byRequester = new Map<string, number>();
      const byGroup = new Map<string, number>();
      let total = 0;
      for (const row of q.active.all()) {
        total += row.n;
        byRequester.set(row.requester, (byRequester.get(row.requester) ?? 0) + row.n);
        byGroup.set(row.grp, (byGroup.get(row.grp) ?? 0) + row.n);
      }
      return { total, byRequester, byGroup };
    },
    async countCreatedSince(since, platform, requesterId, groupId) {
      return {
        person: q.createdByPerson.get(platform, requesterId, since)?.n ?? 0,
        group: groupId === '' ? 0 : (q.createdByGroup.get(platform, groupId, since)?.n ?? 0),
      };
    },
    async listForRequester(platform, requesterId, limit) {
      return q.listForRequester.all(platform, requesterId, limit).map(fromRow);
    },
    async countWaiting() {
      return q.countWaiting.get()?.n ?? 0;
    },
    async getMedia(jobId) {
      const r = q.getMedia.get(jobId);
      return r === undefined ? null : mediaFromRow(r);
    },
    async releaseMedia(jobId, keepUntil) {
      if (keepUntil === undefined) q.deleteMedia.run(jobId);
      else q.keepMedia.run(keepUntil, jobId);
    },
    async purgeExpiredMedia(now) {
      return q.purgeMedia.run(now).changes;
    },
    async getFace(platform, userId) {
      return q.getFace.get(platform, userId)?.image ?? null;
    },
    async saveFace(platform, userId, image, now) {
      q.saveFace.run(platform, userId, Buffer.from(image), now);
    },
    async clearFace(platform, userId) {
      return q.clearFace.run(platform, userId).changes > 0;
    },

    async getVoice(platform, userId) {
      return q.getVoice.get(platform, userId)?.voice_id ?? null;
    },
    async saveVoice(platform, userId, voiceId, now) {
      q.saveVoice.run(platform, userId, voiceId, now);
    },
    async clearVoice(platform, userId) {
      return q.clearVoice.run(platform, userId).changes > 0;
    },
    async getConsent(platform, userId) {
      return q.getConsent.get(platform, userId)?.given_at ?? null;
    },
    async saveConsent(platform, userId, now) {
      q.saveConsent.run(platform, userId, now);
    },
    async expireJobsBefore(before) {
      return expireTx(before);
    },
    async forgetPerson(platform, requesterId) {
      return forgetTx(platform, requesterId);
    },
    async claimKey(key, ttlMs, now) {
      q.purgeKeys.run(now);
      return q.claimKey.run(key, now + ttlMs).changes === 1;
    },
    async getValue(key) {
      return q.getValue.get(key)?.value ?? null;
    },
    async setValue(key, value) {
      q.setValue.run(key, value);
    },
    installations: {
      async get(key) {
        return q.getInstallation.get(key)?.value ?? null;
      },
      async put(key, value) {
        q.putInstallation.run(key, value);
      },
      async delete(key) {
        return q.deleteInstallation.run(key).changes > 0;
      },
    },
    async countByStateAndPlatform() {
      return q.byStateAndPlatform.all();
    },
    async ping() {
      try {
        q.countWaiting.get();
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
