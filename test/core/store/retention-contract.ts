/**
 * The Retention port's part of the store contract (expiring old jobs, forgetting a person),
 * run by storeContract against every store.
 */
import { describe, expect, test } from 'vitest';
import type { InsertRules, JobRecord, JobStore } from '../../../src/core/store/port.js';
import { bytes, DAY, makeJob, makeMedia, OPEN_RULES } from './store-contract.js';

export function retentionContract(current: () => JobStore): void {
  async function insert(over: Partial<JobRecord> = {}, rules: InsertRules = OPEN_RULES): Promise<JobRecord> {
    const store = current();
    const job = makeJob(over);
    expect(await store.insertJob(job, makeMedia(job.id), rules)).toBe('ok');
    return job;
  }

  describe('expireJobsBefore', () => {
    test('deletes final, delivered jobs created before the bound, with their media; never one with work left', async () => {
      const store = current();
      const old = DAY - 40 * 86_400_000;
      const done = await insert({ createdAt: old, state: 'completed', delivered: true });
      const failed = await insert({ createdAt: old + 1, state: 'failed', delivered: true });
      const undelivered = await insert({ createdAt: old + 2, state: 'failed' });
      const queued = await insert({ createdAt: old + 3 });
      const submitted = await insert({ createdAt: old + 4, state: 'submitted' });
      const recent = await insert({ createdAt: DAY + 5, state: 'completed', delivered: true });
      await store.releaseMedia(failed.id, Date.now() + 60_000);

      expect(await store.expireJobsBefore(DAY)).toBe(2);
      for (const gone of [done, failed]) {
        expect(await store.getJob(gone.id)).toBeNull();
        expect(await store.getMedia(gone.id)).toBeNull();
      }
      for (const kept of [undelivered, queued, submitted, recent]) expect(await store.getJob(kept.id)).not.toBeNull();
      expect(await store.getMedia(queued.id)).not.toBeNull();
      // The indexes follow: lists, counts and the unfinished line no longer name the expired jobs.
      const listed = (await store.listForRequester('test', 'alice', 100)).map((j) => j.id);
      expect(listed.sort()).toEqual([undelivered.id, queued.id, submitted.id, recent.id].sort());
      expect((await store.unfinishedJobs()).map((j) => j.id).sort()).toEqual([undelivered.id, queued.id, submitted.id].sort());
      expect(await store.countWaiting()).toBe(1);
      const rows = await store.countByStateAndPlatform();
      expect(rows.find((r) => r.state === 'completed')?.n).toBe(1);
      expect(rows.find((r) => r.state === 'failed')?.n).toBe(1);
      expect(await store.expireJobsBefore(DAY)).toBe(0);

      // Once delivered, the old failed job goes too.
      await store.updateJob(undelivered.id, { delivered: true, deliveredAt: DAY });
      expect(await store.expireJobsBefore(DAY)).toBe(1);
      expect(await store.getJob(undelivered.id)).toBeNull();
    });

    test('the bound is exclusive, and today’s quota counts stay when the bound is the start of today', async () => {
      const store = current();
      const atBound = await insert({ createdAt: DAY, state: 'completed', delivered: true });
      await insert({ createdAt: DAY + 10, state: 'completed', delivered: true });
      await insert({ createdAt: DAY - 1, state: 'completed', delivered: true });
      expect(await store.expireJobsBefore(DAY)).toBe(1);
      expect(await store.getJob(atBound.id)).not.toBeNull();
      expect(await store.countCreatedSince(DAY, 'test', 'alice', 'g1')).toEqual({ person: 2, group: 2 });
      const rules = { ...OPEN_RULES, quotaPerPerson: 2 };
      expect(await store.insertJob(makeJob(), makeMedia(), rules)).toBe('PERSON_QUOTA');
    });

    test('many jobs, mixed with unfinished ones, all expire in one call', async () => {
      const store = current();
      const old = DAY - 40 * 86_400_000;
      for (let i = 0; i < 30; i++) await insert({ createdAt: old + i, state: i % 3 === 0 ? 'queued' : 'canceled', delivered: i % 3 !== 0 });
      expect(await store.expireJobsBefore(DAY)).toBe(20);
      expect(await store.listForRequester('test', 'alice', 100)).toHaveLength(10);
    });
  });

  describe('forgetPerson', () => {
    test('deletes the face, every job in any state and their files; counts them; others are untouched', async () => {
      const store = current();
      await store.saveFace('test', 'alice', bytes('alice'), DAY);
      await store.saveFace('test', 'bob', bytes('bob'), DAY);
      await store.saveFace('other', 'alice', bytes('alice-other'), DAY);
      await store.saveVoice('test', 'alice', 'v-alice', DAY);
      await store.saveVoice('test', 'bob', 'v-bob', DAY);
      await store.saveConsent('test', 'alice', DAY);
      await store.saveConsent('test', 'bob', DAY);
      const mine = [
        await insert({ createdAt: DAY - 10 * 86_400_000, state: 'completed', delivered: true }),
        await insert({ state: 'failed', delivered: true }),
        await insert({}),
        await insert({ state: 'submitted', groupId: '' }),
      ];
      await store.releaseMedia(mine[0]?.id ?? '');
      const bobs = await insert({ requesterId: 'bob' });
      const elsewhere = await insert({ platform: 'other' });

      expect(await store.forgetPerson('test', 'alice')).toEqual({ face: true, voice: true, consent: true, jobs: 4, media: 3 });
      for (const j of mine) {
        expect(await store.getJob(j.id)).toBeNull();
        expect(await store.getMedia(j.id)).toBeNull();
      }
      expect(await store.getFace('test', 'alice')).toBeNull();
      expect(await store.listForRequester('test', 'alice', 100)).toEqual([]);
      expect(await store.countCreatedSince(DAY, 'test', 'alice', 'g1')).toEqual({ person: 0, group: 1 });
      expect((await store.unfinishedJobs()).map((j) => j.id).sort()).toEqual([bobs.id, elsewhere.id].sort());
      expect(await store.countWaiting()).toBe(2);
      expect((await store.countActive()).total).toBe(0);

      expect(await store.getVoice('test', 'alice')).toBeNull();
      expect(await store.getFace('test', 'bob')).not.toBeNull();
      expect(await store.getVoice('test', 'bob')).toBe('v-bob');
      expect(await store.getConsent('test', 'alice')).toBeNull();
      expect(await store.getConsent('test', 'bob')).toBe(DAY);
      expect(await store.getFace('other', 'alice')).not.toBeNull();
      expect(await store.getJob(bobs.id)).not.toBeNull();
      expect(await store.getMedia(elsewhere.id)).not.toBeNull();

      expect(await store.forgetPerson('test', 'alice')).toEqual({ face: false, voice: false, consent: false, jobs: 0, media: 0 });
    });

    test('frees the submit slots the person held', async () => {
      const store = current();
      const a = await insert();
      expect(await store.claimSubmit(a.id, { inFlight: 5, perPerson: 5, perGroup: 5 }, DAY, 'o')).toBe('ok');
      expect((await store.countActive()).total).toBe(1);
      await store.forgetPerson('test', 'alice');
      const active = await store.countActive();
      expect(active.total).toBe(0);
      expect(active.byRequester.get('test:alice') ?? 0).toBe(0);
    });
  });
}
