/**
 * The store contract (every port of src/core/store/port.ts), run against every implementation
 * by store-contract.test.ts. Each test opens a fresh, empty store.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { JobState, PreparedMedia } from '../../../src/core/ports.js';
import type { InsertRules, JobRecord, JobStore, SlotCaps } from '../../../src/core/store/port.js';
import { retentionContract } from './retention-contract.js';

export interface OpenedStore {
  store: JobStore;
  /** Closes the store and whatever the test opened for it (idempotent). */
  close(): Promise<void>;
}

/** Midnight UTC of the day the tests live in; jobs are created an hour later. */
export const DAY = Date.UTC(2025, 0, 15);
const T0 = DAY + 3_600_000;

let counter = 0;

export function makeJob(over: Partial<JobRecord> = {}): JobRecord {
  counter += 1;
  const createdAt = over.createdAt ?? T0 + counter;
  return {
    id: `job-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    platform: 'test',
    requesterId: 'alice',
    groupId: 'g1',
    replyTo: 'test:chan:1',
    replyState: null,
    state: 'queued',
    taskId: null,
    taskStatus: null,
    fileUrl: null,
    outputDuration: null,
    audioSeconds: 2.5,
    errorCode: null,
    errorMessage: null,
    errorFacts: null,
    createdAt,
    updatedAt: createdAt,
    submittedAt: null,
    finishedAt: null,
    etaAt: null,
    renderStartedAt: null,
    spokenText: null,
    discardedAt: null,
    captions: null,
    delivered: false,
    deliveredAt: null,
    preview: false,
    webhookToken: null,
    submitStartedAt: null,
    nextPollAt: null,
    pollCount: 0,
    deadlineAt: null,
    deliveryStartedAt: null,
    retryOf: null,
    ...over,
  };
}

/** Every byte value (zeros, invalid UTF-8) plus a marker, so binary safety and identity are both checked. */
export function bytes(marker: string): Uint8Array {
  const all = Buffer.alloc(256);
  for (let i = 0; i < 256; i++) all[i] = i;
  return new Uint8Array(Buffer.concat([all, Buffer.from(marker), Buffer.from([0, 0xff, 0xfe, 0])]));
}

export function makeMedia(marker = 'm'): PreparedMedia {
  return {
    image: bytes(`img-${marker}`),
    imageType: 'image/jpeg',
    audio: bytes(`aud-${marker}`),
    audioType: 'audio/ogg',
    audioSeconds: 2.5,
  };
}

const hex = (b: Uint8Array | null | undefined): string | null => (b === null || b === undefined ? null : Buffer.from(b).toString('hex'));

export const OPEN_RULES: InsertRules = { dayStart: DAY, quotaPerPerson: 0, quotaPerGroup: 0, queueMax: 1000 };
const CAPS: SlotCaps = { inFlight: 100, perPerson: 100, perGroup: 100 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function storeContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`store contract: ${name}`, () => {
    let opened: OpenedStore;
    let store: JobStore;

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(async () => {
      await opened.close();
    });

    async function insert(over: Partial<JobRecord> = {}, rules: InsertRules = OPEN_RULES): Promise<JobRecord> {
      const job = makeJob(over);
      expect(await store.insertJob(job, makeMedia(job.id), rules)).toBe('ok');
      return job;
    }

    /** Sorted ids, for set comparisons. */
    const ids = (jobs: JobRecord[]) => jobs.map((j) => j.id);

    describe('insertJob / getJob', () => {
      test('round-trips every field, nulls, booleans, fractions and unicode', async () => {
        const full = makeJob({
          groupId: 'g-ü',
          replyTo: 'test:chan:ünï:😀',
          replyState: '{"msg":"1"}',
          state: 'submitted',
          taskId: 'task-1',
          taskStatus: 'IN_PROGRESS',
          fileUrl: 'https://example.invalid/v.mp4',
          outputDuration: 3.25,
          audioSeconds: 7.125,
          errorCode: 'JOB_FAILED',
          errorMessage: 'a | b: c',
          errorFacts: { seconds: 600, reason: 'late ü' },
          submittedAt: T0 + 10,
          finishedAt: T0 + 20,
          etaAt: T0 + 30,
          delivered: true,
          deliveredAt: T0 + 40,
          preview: true,
          webhookToken: 'tok',
          submitStartedAt: T0 + 5,
          nextPollAt: T0 + 50,
          pollCount: 3,
          deadlineAt: T0 + 60,
          retryOf: 'job-0',
        });
        const empty = makeJob({ groupId: '', replyState: '' });
        expect(await store.insertJob(full, makeMedia(), OPEN_RULES)).toBe('ok');
        expect(await store.insertJob(empty, makeMedia(), OPEN_RULES)).toBe('ok');
        expect(await store.getJob(full.id)).toEqual(full);
        expect(await store.getJob(empty.id)).toEqual(empty);
        expect(await store.getJob('nope')).toBeNull();
      });

      test('an error’s facts are kept through an update and cleared by null', async () => {
        const job = await insert();
        const failed = await store.updateJob(job.id, { state: 'timed_out', errorCode: 'JOB_TIMEOUT', errorFacts: { seconds: 30 } });
        expect(failed?.errorFacts).toEqual({ seconds: 30 });
        expect((await store.getJob(job.id))?.errorFacts).toEqual({ seconds: 30 });
        await store.updateJob(job.id, { errorFacts: null });
        expect((await store.getJob(job.id))?.errorFacts).toBeNull();
      });

      test('a video’s captions are kept through an update, read back whole, and cleared by null', async () => {
        const job = await insert();
        const captions = {
          source: 'speech-to-text' as const,
          cues: [
            { start: 0, end: 1.25, text: 'Hello ü' },
            { start: 1.25, end: 3, text: 'two\nlines' },
          ],
          text: 'Hello ü two lines',
        };
        expect((await store.updateJob(job.id, { captions }))?.captions).toEqual(captions);
        expect((await store.getJob(job.id))?.captions).toEqual(captions);
        await store.updateJob(job.id, { captions: null });
        expect((await store.getJob(job.id))?.captions).toBeNull();
      });

      test('stores the media, and only the media: the person’s face is saved by its own call', async () => {
        const job = makeJob();
        const media = makeMedia('x');
        await store.insertJob(job, media, OPEN_RULES);
        const got = await store.getMedia(job.id);
        expect(got).not.toBeNull();
        expect(hex(got?.image)).toBe(hex(media.image));
        expect(hex(got?.audio)).toBe(hex(media.audio));
        expect(got?.imageType).toBe('image/jpeg');
        expect(got?.audioType).toBe('audio/ogg');
        expect(got?.audioSeconds).toBe(2.5);
        expect(await store.getFace('test', 'alice')).toBeNull();
        await store.saveFace('test', 'alice', media.image, job.createdAt);
        expect(hex(await store.getFace('test', 'alice'))).toBe(hex(media.image));
        expect(await store.getFace('test', 'bob')).toBeNull();
      });

      test('a later insert leaves a saved face as it was', async () => {
        await store.saveFace('test', 'alice', bytes('saved'), T0);
        await insert();
        expect(hex(await store.getFace('test', 'alice'))).toBe(hex(bytes('saved')));
      });

      test('an existing id is refused with an error', async () => {
        const job = await insert();
        await expect(store.insertJob({ ...job, requesterId: 'bob' }, makeMedia(), OPEN_RULES)).rejects.toThrow();
        expect((await store.getJob(job.id))?.requesterId).toBe('alice');
        expect(await store.countWaiting()).toBe(1);
      });

      test('person quota: counts the person’s jobs since dayStart on this platform; 0 is off', async () => {
        const rules = { ...OPEN_RULES, quotaPerPerson: 2 };
        await insert({ createdAt: DAY - 3_600_000 }, rules); // yesterday: not counted
        await insert({}, rules);
        await insert({ state: 'failed' }, rules); // every job counts, whatever its state
        const refused = makeJob();
        expect(await store.insertJob(refused, makeMedia('r'), rules)).toBe('PERSON_QUOTA');
        await insert({ requesterId: 'bob' }, rules);
        await insert({ platform: 'other' }, rules);
        await insert({}, { ...rules, quotaPerPerson: 0 });
        await insert({}, { ...rules, quotaPerPerson: 4 });
        expect(await store.insertJob(makeJob(), makeMedia(), { ...rules, quotaPerPerson: 4 })).toBe('PERSON_QUOTA');
      });

      test('a refused insert stores nothing (job, media, counts)', async () => {
        const first = await insert({}, { ...OPEN_RULES, quotaPerPerson: 1 });
        const refused = makeJob();
        expect(await store.insertJob(refused, makeMedia('refused'), { ...OPEN_RULES, quotaPerPerson: 1 })).toBe('PERSON_QUOTA');
        expect(await store.getJob(refused.id)).toBeNull();
        expect(await store.getMedia(refused.id)).toBeNull();
        expect(await store.countWaiting()).toBe(1);
        expect(await store.countCreatedSince(DAY, 'test', 'alice', 'g1')).toEqual({ person: 1, group: 1 });
        expect(ids(await store.unfinishedJobs())).toEqual([first.id]);
        expect(await store.countByStateAndPlatform()).toEqual([{ platform: 'test', state: 'queued', n: 1 }]);
      });

      test('group quota: per platform and group, never for jobs without a group', async () => {
        const rules = { ...OPEN_RULES, quotaPerGroup: 2 };
        await insert({ requesterId: 'alice', groupId: 'g1' }, rules);
        await insert({ requesterId: 'bob', groupId: 'g1' }, rules);
        expect(await store.insertJob(makeJob({ requesterId: 'carol', groupId: 'g1' }), makeMedia(), rules)).toBe('GROUP_QUOTA');
        await insert({ requesterId: 'carol', groupId: 'g2' }, rules);
        await insert({ requesterId: 'carol', groupId: 'g1', platform: 'other' }, rules);
        await insert({ requesterId: 'carol', groupId: '' }, rules);
        await insert({ requesterId: 'dave', groupId: '' }, rules);
        await insert({ requesterId: 'erin', groupId: '' }, rules);
      });

      test('refusals are checked in order: person, group, queue', async () => {
        await insert();
        const all = { dayStart: DAY, quotaPerPerson: 1, quotaPerGroup: 1, queueMax: 1 };
        expect(await store.insertJob(makeJob(), makeMedia(), all)).toBe('PERSON_QUOTA');
        expect(await store.insertJob(makeJob({ requesterId: 'bob' }), makeMedia(), all)).toBe('GROUP_QUOTA');
        expect(await store.insertJob(makeJob({ requesterId: 'bob', groupId: 'g2' }), makeMedia(), all)).toBe('QUEUE_FULL');
      });

      test('the queue limit counts only queued jobs with no slot claimed', async () => {
        const rules = { ...OPEN_RULES, queueMax: 2 };
        const a = await insert({}, rules);
        const b = await insert({}, rules);
        expect(await store.insertJob(makeJob(), makeMedia(), rules)).toBe('QUEUE_FULL');
        expect(await store.claimSubmit(a.id, CAPS, T0 + 100, 'o')).toBe('ok');
        const c = await insert({}, rules);
        expect(await store.insertJob(makeJob(), makeMedia(), rules)).toBe('QUEUE_FULL');
        expect(await store.updateJob(b.id, { state: 'canceled' })).not.toBeNull();
        await insert({}, rules);
        expect(await store.insertJob(makeJob(), makeMedia(), rules)).toBe('QUEUE_FULL');
        // a submitted job does not wait either
        expect(await store.updateJob(c.id, { state: 'submitted' })).not.toBeNull();
        await insert({}, rules);
        expect(await store.countWaiting()).toBe(2);
        expect(await store.insertJob(makeJob(), makeMedia(), { ...rules, queueMax: 0 })).toBe('QUEUE_FULL');
      });
    });

    describe('claimSubmit', () => {
      test('ok marks the slot: submitStartedAt and updatedAt = now, out of the waiting line', async () => {
        const a = await insert();
        const b = await insert();
        expect(await store.claimSubmit(a.id, CAPS, T0 + 500, 'owner-a')).toBe('ok');
        const got = await store.getJob(a.id);
        expect(got?.submitStartedAt).toBe(T0 + 500);
        expect(got?.updatedAt).toBe(T0 + 500);
        expect(got?.state).toBe('queued');
        expect(ids(await store.waitingJobs(10))).toEqual([b.id]);
        expect(await store.countWaiting()).toBe(1);
        expect(ids(await store.unfinishedJobs())).toEqual([a.id, b.id]);
      });

      test('mine for the same owner, gone for anyone else, unknown, submitted or final jobs', async () => {
        const a = await insert();
        expect(await store.claimSubmit(a.id, CAPS, T0, 'o1')).toBe('ok');
        expect(await store.claimSubmit(a.id, CAPS, T0, 'o1')).toBe('mine');
        expect(await store.claimSubmit(a.id, CAPS, T0, 'o2')).toBe('gone');
        expect(await store.claimSubmit('missing', CAPS, T0, 'o1')).toBe('gone');
        const s = await insert({ state: 'submitted' });
        expect(await store.claimSubmit(s.id, CAPS, T0, 'o1')).toBe('gone');
        const f = await insert();
        await store.updateJob(f.id, { state: 'canceled' });
        expect(await store.claimSubmit(f.id, CAPS, T0, 'o1')).toBe('gone');
        // a "mine" claim is not counted twice
        expect((await store.countActive()).total).toBe(2); // a (claimed) + s (submitted)
      });

      test('full at the global cap, and full wins over wait', async () => {
        const caps = { inFlight: 1, perPerson: 1, perGroup: 1 };
        const a = await insert();
        const b = await insert(); // same person and group
        const c = await insert({ requesterId: 'bob', groupId: 'g2' });
        expect(await store.claimSubmit(a.id, caps, T0, 'o')).toBe('ok');
        expect(await store.claimSubmit(b.id, caps, T0, 'o')).toBe('full');
        expect(await store.claimSubmit(c.id, caps, T0, 'o')).toBe('full');
        expect(await store.getJob(c.id)).toMatchObject({ submitStartedAt: null });
      });

      test('wait at the person cap and at the group cap; no group cap without a group', async () => {
        const caps = { inFlight: 100, perPerson: 1, perGroup: 1 };
        const a = await insert({ requesterId: 'alice', groupId: 'g1' });
        const a2 = await insert({ requesterId: 'alice', groupId: 'g2' });
        const b = await insert({ requesterId: 'bob', groupId: 'g1' });
        const c = await insert({ requesterId: 'carol', groupId: 'g2' });
        const d = await insert({ requesterId: 'dave', groupId: '' });
        const e = await insert({ requesterId: 'erin', groupId: 'g1', platform: 'other' });
        expect(await store.claimSubmit(a.id, caps, T0, 'o')).toBe('ok');
        expect(await store.claimSubmit(a2.id, caps, T0, 'o')).toBe('wait'); // person cap
        expect(await store.claimSubmit(b.id, caps, T0, 'o')).toBe('wait'); // group cap
        expect(await store.claimSubmit(c.id, caps, T0, 'o')).toBe('ok');
        expect(await store.claimSubmit(d.id, { ...caps, perGroup: 0 }, T0, 'o')).toBe('ok');
        expect(await store.claimSubmit(e.id, caps, T0, 'o')).toBe('ok'); // same group id, other platform
        expect(ids(await store.waitingJobs(10))).toEqual([a2.id, b.id]);
      });

      test('a claimed job that becomes final frees its slot; submitted keeps it', async () => {
        const caps = { inFlight: 1, perPerson: 5, perGroup: 5 };
        const a = await insert();
        const b = await insert();
        const c = await insert();
        expect(await store.claimSubmit(a.id, caps, T0, 'o')).toBe('ok');
        expect(await store.claimSubmit(b.id, caps, T0, 'o')).toBe('full');
        await store.updateJob(a.id, { state: 'failed', errorCode: 'SUBMIT_INTERRUPTED' }, 'queued');
        expect(await store.countActive()).toMatchObject({ total: 0 });
        expect(await store.claimSubmit(b.id, caps, T0, 'o')).toBe('ok');
        await store.updateJob(b.id, { state: 'submitted', taskId: 't' }, 'queued');
        expect(await store.claimSubmit(c.id, caps, T0, 'o')).toBe('full');
        await store.updateJob(b.id, { state: 'completed', delivered: true }, 'submitted');
        expect(await store.claimSubmit(c.id, caps, T0, 'o')).toBe('ok');
        // a job canceled before its claim never held a slot: nothing to free
        const d = await insert();
        await store.updateJob(d.id, { state: 'canceled' });
        expect((await store.countActive()).total).toBe(1);
      });

      test('person and group caps are freed by final states too', async () => {
        const caps = { inFlight: 100, perPerson: 1, perGroup: 1 };
        const a = await insert({ requesterId: 'alice' });
        const b = await insert({ requesterId: 'alice' });
        const c = await insert({ requesterId: 'bob' });
        expect(await store.claimSubmit(a.id, caps, T0, 'o')).toBe('ok');
        expect(await store.claimSubmit(b.id, caps, T0, 'o')).toBe('wait');
        expect(await store.claimSubmit(c.id, caps, T0, 'o')).toBe('wait');
        await store.updateJob(a.id, { state: 'timed_out' });
        expect(await store.claimSubmit(c.id, caps, T0, 'o')).toBe('ok');
        expect(await store.claimSubmit(b.id, caps, T0, 'o')).toBe('wait'); // group g1 held by bob now
        await store.updateJob(c.id, { state: 'canceled' });
        expect(await store.claimSubmit(b.id, caps, T0, 'o')).toBe('ok');
      });
    });

    describe('countActive', () => {
      test('counts claimed and submitted jobs, total, per person and per group', async () => {
        expect(await store.countActive()).toMatchObject({ total: 0 });
        const a = await insert({ requesterId: 'alice', groupId: 'g1' });
        const b = await insert({ requesterId: 'bob', groupId: 'g1' });
        const c = await insert({ requesterId: 'carol', groupId: '' });
        await insert({ requesterId: 'alice', groupId: 'g1' }); // waiting: not active
        await insert({ requesterId: 'dave', groupId: 'g1', state: 'submitted' });
        for (const j of [a, b, c]) expect(await store.claimSubmit(j.id, CAPS, T0, 'o')).toBe('ok');
        const active = await store.countActive();
        expect(active.total).toBe(4);
        expect(active.byRequester.get('test:alice')).toBe(1);
        expect(active.byRequester.get('test:bob')).toBe(1);
        expect(active.byRequester.get('test:carol')).toBe(1);
        expect(active.byRequester.get('test:dave')).toBe(1);
        expect(active.byGroup.get('test:g1')).toBe(3);
        await store.updateJob(a.id, { state: 'completed' });
        await store.updateJob(b.id, { state: 'failed' });
        const after = await store.countActive();
        expect(after.total).toBe(2);
        expect(after.byRequester.get('test:alice') ?? 0).toBe(0);
        expect(after.byGroup.get('test:g1')).toBe(1);
      });
    });

    describe('updateJob', () => {
      test('applies a patch and returns the new record; null clears a field', async () => {
        const a = await insert();
        const patch = { taskId: 'task-9', taskStatus: 'IN_QUEUE', pollCount: 2, preview: true, updatedAt: T0 + 99 } as const;
        const got = await store.updateJob(a.id, patch);
        expect(got).toEqual({ ...a, taskId: 'task-9', taskStatus: 'IN_QUEUE', pollCount: 2, preview: true, updatedAt: T0 + 99 });
        expect(await store.getJob(a.id)).toEqual(got);
        const cleared = await store.updateJob(a.id, { taskId: null, updatedAt: T0 + 100 });
        expect(cleared?.taskId).toBeNull();
        expect(cleared?.taskStatus).toBe('IN_QUEUE');
      });

      test('updatedAt defaults to the current time', async () => {
        const a = await insert();
        const before = Date.now();
        const got = await store.updateJob(a.id, { replyState: 'x' });
        expect(got?.updatedAt).toBeGreaterThanOrEqual(before);
        expect(got?.updatedAt).toBeLessThanOrEqual(Date.now());
      });

      test('null for an unknown job', async () => {
        expect(await store.updateJob('missing', { replyState: 'x' })).toBeNull();
        expect(await store.updateJob('missing', { state: 'failed' }, 'queued')).toBeNull();
        expect(await store.getJob('missing')).toBeNull();
      });

      test('expectState guards: no change when the job moved on', async () => {
        const a = await insert();
        expect(await store.updateJob(a.id, { state: 'completed', fileUrl: 'u' }, 'submitted')).toBeNull();
        expect(await store.getJob(a.id)).toEqual(a);
        const ok = await store.updateJob(a.id, { state: 'submitted', taskId: 't' }, 'queued');
        expect(ok?.state).toBe('submitted');
        // two paths finishing the same job: only the first wins
        const first = await store.updateJob(a.id, { state: 'completed', fileUrl: 'u1' }, 'submitted');
        const second = await store.updateJob(a.id, { state: 'failed', errorCode: 'JOB_FAILED' }, 'submitted');
        expect(first?.state).toBe('completed');
        expect(second).toBeNull();
        expect(await store.getJob(a.id)).toMatchObject({ state: 'completed', fileUrl: 'u1', errorCode: null });
      });

      test('a final state is final: no non-final state afterwards, with or without a guard', async () => {
        const a = await insert();
        await store.updateJob(a.id, { state: 'canceled' });
        expect(await store.updateJob(a.id, { state: 'submitted', taskId: 'late' })).toBeNull();
        expect(await store.updateJob(a.id, { state: 'queued' }, 'canceled')).toBeNull();
        expect(await store.getJob(a.id)).toMatchObject({ state: 'canceled', taskId: null });
        // other fields of a final job still change (delivery)
        const delivered = await store.updateJob(a.id, { delivered: true, deliveredAt: T0 + 5 });
        expect(delivered).toMatchObject({ state: 'canceled', delivered: true, deliveredAt: T0 + 5 });
        expect(await store.countWaiting()).toBe(0);
      });

      test('a state change moves the job between the per-state counts', async () => {
        const a = await insert();
        await store.updateJob(a.id, { state: 'submitted' });
        expect(await store.countByStateAndPlatform()).toEqual([{ platform: 'test', state: 'submitted', n: 1 }]);
        await store.updateJob(a.id, { state: 'completed' });
        expect(await store.countByStateAndPlatform()).toEqual([{ platform: 'test', state: 'completed', n: 1 }]);
      });
    });

    describe('waitingJobs / countWaiting / unfinishedJobs', () => {
      test('waitingJobs: queued with no slot, oldest first, equal times in insertion order, limited', async () => {
        const c = await insert({ createdAt: T0 + 30 });
        const a = await insert({ createdAt: T0 + 10 });
        const b = await insert({ createdAt: T0 + 20 });
        const x = await insert({ createdAt: T0 + 50, id: 'zzz-first' });
        const y = await insert({ createdAt: T0 + 50, id: 'aaa-second' });
        const claimed = await insert({ createdAt: T0 + 1 });
        await store.claimSubmit(claimed.id, CAPS, T0, 'o');
        await insert({ createdAt: T0 + 2, state: 'submitted' });
        await insert({ createdAt: T0 + 3, state: 'failed' });
        expect(ids(await store.waitingJobs(100))).toEqual([a.id, b.id, c.id, x.id, y.id]);
        expect(ids(await store.waitingJobs(2))).toEqual([a.id, b.id]);
        expect(await store.waitingJobs(0)).toEqual([]);
        expect(await store.countWaiting()).toBe(5);
        expect((await store.waitingJobs(1))[0]).toEqual(a);
      });

      test('unfinishedJobs: queued, submitted, final-not-delivered, oldest first; delivered final jobs leave', async () => {
        const c = await insert({ createdAt: T0 + 30 }); // failed, not delivered
        const a = await insert({ createdAt: T0 + 10 }); // queued
        const b = await insert({ createdAt: T0 + 20 }); // submitted
        const d = await insert({ createdAt: T0 + 40 }); // completed, delivered
        const e = await insert({ createdAt: T0 + 5, delivered: true }); // queued: stays however delivered reads
        await store.claimSubmit(b.id, CAPS, T0, 'o');
        await store.updateJob(b.id, { state: 'submitted' }, 'queued');
        await store.updateJob(c.id, { state: 'failed' });
        await store.updateJob(d.id, { state: 'completed' });
        await store.updateJob(d.id, { delivered: true, deliveredAt: T0 + 41 });
        expect(ids(await store.unfinishedJobs())).toEqual([e.id, a.id, b.id, c.id]);
        await store.updateJob(c.id, { delivered: true, deliveredAt: T0 + 42 });
        expect(ids(await store.unfinishedJobs())).toEqual([e.id, a.id, b.id]);
        const unfinished = await store.unfinishedJobs();
        expect(unfinished[2]).toMatchObject({ id: b.id, state: 'submitted' });
      });

      test('a final job inserted already delivered is not unfinished', async () => {
        await insert({ state: 'completed', delivered: true });
        const f = await insert({ state: 'failed' });
        expect(ids(await store.unfinishedJobs())).toEqual([f.id]);
      });
    });

    describe('listForRequester / countCreatedSince', () => {
      test('newest first, one person on one platform, limited', async () => {
        const jobs: JobRecord[] = [];
        for (let i = 1; i <= 5; i++) jobs.push(await insert({ createdAt: T0 + i * 10 }));
        const tieA = await insert({ createdAt: T0 + 100, id: 'b-tie-first' });
        const tieB = await insert({ createdAt: T0 + 100, id: 'a-tie-second' });
        await insert({ requesterId: 'bob', createdAt: T0 + 200 });
        await insert({ platform: 'other', createdAt: T0 + 300 });
        const three = await store.listForRequester('test', 'alice', 3);
        expect(ids(three)).toEqual([tieB.id, tieA.id, jobs[4]?.id]);
        expect(three[2]).toEqual(jobs[4]);
        expect(ids(await store.listForRequester('test', 'alice', 100))).toEqual([tieB.id, tieA.id, ...ids(jobs).reverse()]);
        expect(await store.listForRequester('test', 'nobody', 10)).toEqual([]);
        expect(await store.listForRequester('test', 'alice', 0)).toEqual([]);
      });

      test('deleted results are left out of the list (also past a page of them), and still counted for the quotas', async () => {
        const kept = await insert({ createdAt: DAY + 1, state: 'completed', delivered: true });
        const gone: JobRecord[] = [];
        for (let i = 2; i <= 5; i++) gone.push(await insert({ createdAt: DAY + i, state: 'completed', delivered: true }));
        const newest = await insert({ createdAt: DAY + 10 });
        for (const j of gone) await store.updateJob(j.id, { discardedAt: DAY + 20, fileUrl: null });
        expect(ids(await store.listForRequester('test', 'alice', 2))).toEqual([newest.id, kept.id]);
        expect(ids(await store.listForRequester('test', 'alice', -1))).toEqual([newest.id, kept.id]);
        expect((await store.getJob(gone[0]?.id ?? ''))?.discardedAt).toBe(DAY + 20);
        expect(await store.countCreatedSince(DAY, 'test', 'alice', 'g1')).toEqual({ person: 6, group: 6 });
      });

      test('counts jobs created since (inclusive), per person and per group', async () => {
        await insert({ createdAt: DAY - 1 });
        await insert({ createdAt: DAY });
        await insert({ createdAt: DAY + 2 });
        await insert({ requesterId: 'bob', createdAt: DAY + 3 });
        await insert({ requesterId: 'bob', groupId: 'g2', createdAt: DAY + 4 });
        await insert({ platform: 'other', createdAt: DAY + 5 });
        expect(await store.countCreatedSince(DAY, 'test', 'alice', 'g1')).toEqual({ person: 2, group: 3 });
        expect(await store.countCreatedSince(DAY + 2, 'test', 'alice', 'g1')).toEqual({ person: 1, group: 2 });
        expect(await store.countCreatedSince(DAY - 1, 'test', 'alice', '')).toEqual({ person: 3, group: 0 });
        expect(await store.countCreatedSince(DAY, 'test', 'nobody', 'none')).toEqual({ person: 0, group: 0 });
      });
    });

    describe('media', () => {
      test('releaseMedia drops it now', async () => {
        const a = await insert();
        await store.releaseMedia(a.id);
        expect(await store.getMedia(a.id)).toBeNull();
        expect(await store.getMedia('missing')).toBeNull();
        await store.releaseMedia('missing'); // harmless
      });

      test('releaseMedia(keepUntil) keeps it until then, then it is gone', async () => {
        const a = await insert();
        const b = await insert();
        await store.releaseMedia(a.id, Date.now() + 60_000);
        await store.releaseMedia(b.id, Date.now() + 150);
        expect(typeof (await store.purgeExpiredMedia(Date.now()))).toBe('number');
        expect(hex((await store.getMedia(a.id))?.image)).toBe(hex(makeMedia(a.id).image));
        const deadline = Date.now() + 5000;
        let gone = false;
        while (!gone && Date.now() < deadline) {
          await sleep(100);
          await store.purgeExpiredMedia(Date.now());
          gone = (await store.getMedia(b.id)) === null;
        }
        expect(gone).toBe(true);
        expect(await store.getMedia(a.id)).not.toBeNull();
        expect(await store.getJob(b.id)).not.toBeNull(); // only the files go
      });
    });

    describe('faces', () => {
      test('save, overwrite, per platform and person, clear', async () => {
        expect(await store.getFace('test', 'alice')).toBeNull();
        await store.saveFace('test', 'alice', bytes('one'), T0);
        expect(hex(await store.getFace('test', 'alice'))).toBe(hex(bytes('one')));
        await store.saveFace('test', 'alice', bytes('two'), T0 + 1);
        expect(hex(await store.getFace('test', 'alice'))).toBe(hex(bytes('two')));
        expect(await store.getFace('other', 'alice')).toBeNull();
        expect(await store.getFace('test', 'bob')).toBeNull();
        expect(await store.clearFace('test', 'alice')).toBe(true);
        expect(await store.getFace('test', 'alice')).toBeNull();
        expect(await store.clearFace('test', 'alice')).toBe(false);
      });
    });

    describe('consents', () => {
      test('none until saved; saved per platform and person; saving again moves the time', async () => {
        expect(await store.getConsent('test', 'alice')).toBeNull();
        await store.saveConsent('test', 'alice', T0);
        expect(await store.getConsent('test', 'alice')).toBe(T0);
        expect(await store.getConsent('other', 'alice')).toBeNull();
        expect(await store.getConsent('test', 'bob')).toBeNull();
        await store.saveConsent('test', 'alice', T0 + 5);
        expect(await store.getConsent('test', 'alice')).toBe(T0 + 5);
      });
    });

    describe('claimKey / kv / installations', () => {
      test('claimKey: true once, false while it lasts, true again after it expires', async () => {
        expect(await store.claimKey('ev-1', 60_000, Date.now())).toBe(true);
        expect(await store.claimKey('ev-1', 60_000, Date.now())).toBe(false);
        expect(await store.claimKey('ev-2', 60_000, Date.now())).toBe(true);
        expect(await store.claimKey('short', 150, Date.now())).toBe(true);
        expect(await store.claimKey('short', 150, Date.now())).toBe(false);
        const deadline = Date.now() + 5000;
        let again = false;
        while (!again && Date.now() < deadline) {
          await sleep(100);
          again = await store.claimKey('short', 60_000, Date.now());
        }
        expect(again).toBe(true);
        expect(await store.claimKey('short', 60_000, Date.now())).toBe(false);
      });

      test('kv: get, set, overwrite', async () => {
        expect(await store.getValue('render_ratio')).toBeNull();
        await store.setValue('render_ratio', '1.5');
        expect(await store.getValue('render_ratio')).toBe('1.5');
        await store.setValue('render_ratio', '');
        expect(await store.getValue('render_ratio')).toBe('');
        expect(await store.getValue('other')).toBeNull();
      });

      test('installations: put, get, overwrite, delete', async () => {
        expect(await store.installations.get('install:T1')).toBeNull();
        await store.installations.put('install:T1', 'v1');
        await store.installations.put('install:T2', 'w');
        expect(await store.installations.get('install:T1')).toBe('v1');
        await store.installations.put('install:T1', 'v2');
        expect(await store.installations.get('install:T1')).toBe('v2');
        expect(await store.installations.delete('install:T1')).toBe(true);
        expect(await store.installations.get('install:T1')).toBeNull();
        expect(await store.installations.delete('install:T1')).toBe(false);
        expect(await store.installations.get('install:T2')).toBe('w');
        // installations and kv are separate
        expect(await store.getValue('install:T2')).toBeNull();
      });
    });

    describe('metrics and health', () => {
      test('countByStateAndPlatform: one row per platform and state with jobs', async () => {
        expect(await store.countByStateAndPlatform()).toEqual([]);
        const a = await insert();
        await insert();
        await insert({ platform: 'other', groupId: '' });
        const d = await insert({ state: 'submitted' });
        await store.updateJob(a.id, { state: 'failed' });
        const sorted = (rows: Array<{ platform: string; state: JobState; n: number }>) =>
          [...rows].sort((x, y) => `${x.platform}|${x.state}`.localeCompare(`${y.platform}|${y.state}`));
        expect(sorted(await store.countByStateAndPlatform())).toEqual([
          { platform: 'other', state: 'queued', n: 1 },
          { platform: 'test', state: 'failed', n: 1 },
          { platform: 'test', state: 'queued', n: 1 },
          { platform: 'test', state: 'submitted', n: 1 },
        ]);
        await store.updateJob(d.id, { state: 'failed' });
        expect(sorted(await store.countByStateAndPlatform())).toEqual([
          { platform: 'other', state: 'queued', n: 1 },
          { platform: 'test', state: 'failed', n: 2 },
          { platform: 'test', state: 'queued', n: 1 },
        ]);
      });

      test('ping: true while open, false once closed', async () => {
        expect(await store.ping()).toBe(true);
        await store.close();
        expect(await store.ping()).toBe(false);
      });
    });

    retentionContract(() => store);

    describe('concurrency (the atomic operations)', () => {
      test('20 concurrent claims of one person’s jobs: exactly perPerson get a slot', async () => {
        const jobs: JobRecord[] = [];
        for (let i = 0; i < 20; i++) jobs.push(await insert());
        const caps = { inFlight: 5, perPerson: 2, perGroup: 100 };
        const outcomes = await Promise.all(jobs.map((j, i) => store.claimSubmit(j.id, caps, T0 + i, `owner-${i}`)));
        expect(outcomes.filter((o) => o === 'ok')).toHaveLength(2);
        expect(outcomes.filter((o) => o === 'wait')).toHaveLength(18);
        const active = await store.countActive();
        expect(active.total).toBe(2);
        expect(active.byRequester.get('test:alice')).toBe(2);
        expect(await store.countWaiting()).toBe(18);
      });

      test('concurrent claims across people: exactly inFlight, and exactly perGroup in one group', async () => {
        const spread: JobRecord[] = [];
        for (let i = 0; i < 20; i++) spread.push(await insert({ requesterId: `p${i}`, groupId: `g${i}` }));
        const caps = { inFlight: 5, perPerson: 2, perGroup: 2 };
        const outcomes = await Promise.all(spread.map((j) => store.claimSubmit(j.id, caps, T0, 'o')));
        expect(outcomes.filter((o) => o === 'ok')).toHaveLength(5);
        expect(outcomes.filter((o) => o === 'full')).toHaveLength(15);

        const grouped: JobRecord[] = [];
        for (let i = 0; i < 20; i++) grouped.push(await insert({ requesterId: `q${i}`, groupId: 'shared' }));
        const groupCaps = { inFlight: 100, perPerson: 1, perGroup: 3 };
        const groupOutcomes = await Promise.all(grouped.map((j) => store.claimSubmit(j.id, groupCaps, T0, 'o')));
        expect(groupOutcomes.filter((o) => o === 'ok')).toHaveLength(3);
        expect((await store.countActive()).byGroup.get('test:shared')).toBe(3);
      });

      test('30 concurrent inserts against queueMax=10: exactly 10 ok', async () => {
        const rules = { ...OPEN_RULES, queueMax: 10 };
        const jobs = Array.from({ length: 30 }, (_, i) => makeJob({ requesterId: `p${i}` }));
        const outcomes = await Promise.all(jobs.map((j) => store.insertJob(j, makeMedia(j.id), rules)));
        expect(outcomes.filter((o) => o === 'ok')).toHaveLength(10);
        expect(outcomes.filter((o) => o === 'QUEUE_FULL')).toHaveLength(20);
        expect(await store.countWaiting()).toBe(10);
        const stored = await Promise.all(jobs.map((j) => store.getJob(j.id)));
        expect(stored.filter((j) => j !== null)).toHaveLength(10);
      });

      test('30 concurrent inserts by one person against a quota of 7: exactly 7 ok', async () => {
        const rules = { ...OPEN_RULES, quotaPerPerson: 7 };
        const jobs = Array.from({ length: 30 }, () => makeJob());
        const outcomes = await Promise.all(jobs.map((j) => store.insertJob(j, makeMedia(j.id), rules)));
        expect(outcomes.filter((o) => o === 'ok')).toHaveLength(7);
        expect(outcomes.filter((o) => o === 'PERSON_QUOTA')).toHaveLength(23);
        expect(await store.countCreatedSince(DAY, 'test', 'alice', 'g1')).toEqual({ person: 7, group: 7 });
      });

      test('concurrent guarded updates: exactly one path finishes a job', async () => {
        const a = await insert({ state: 'submitted' });
        const outcomes = await Promise.all(
          (['completed', 'failed', 'timed_out', 'canceled', 'completed', 'failed'] as const).map((state) =>
            store.updateJob(a.id, { state }, 'submitted'),
          ),
        );
        expect(outcomes.filter((o) => o !== null)).toHaveLength(1);
      });
    });
  });
}
