/**
 * DELETE /api/jobs/:id over real HTTP, against the real core, job store and local avatar server:
 * a browser deletes its own videos (running ones are canceled first), every open tab of that
 * browser is told, and nothing of another browser's is touched or even admitted to exist.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlayground, type Playground, type PublicJob } from '../../../src/bots/playground/index.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { Browser, form, type EventStream } from './helpers/client.js';
import { makeFaceJpeg, makeToneWav } from './helpers/media.js';

let h: Harness;
let playground: Playground;
let base: string;
let jpeg: Buffer;
let wav: Buffer;

const jobOf = (body: unknown): PublicJob => (body as { job: PublicJob }).job;
const jobsOf = (body: unknown): PublicJob[] => (body as { jobs: PublicJob[] }).jobs;
const errorOf = (body: unknown): { code: string; message: string } => (body as { error: { code: string; message: string } }).error;
const eventsOf = (stream: EventStream, id: string): PublicJob[] =>
  stream.events
    .filter((e) => e.event === 'job')
    .map((e) => JSON.parse(e.data) as PublicJob)
    .filter((j) => j.id === id);

beforeAll(async () => {
  h = await startHarness();
  playground = createPlayground({ enabled: true, token: undefined }, { core: h.core, logger: pino({ level: 'silent' }), router: h.http });
  await h.startCore();
  base = h.http.url();
  [jpeg, wav] = await Promise.all([makeFaceJpeg(), makeToneWav(1)]);
});

afterAll(async () => {
  await playground?.stop();
  await h?.stop();
});

async function create(b: Browser): Promise<string> {
  await b.fetch('/api/jobs');
  const body = form({
    image: { data: jpeg, name: 'face.jpg', type: 'image/jpeg' },
    audio: { data: wav, name: 'hello.wav', type: 'audio/wav' },
  });
  const created = await b.json('/api/jobs', { method: 'POST', body });
  expect(created.status).toBe(201);
  return jobOf(created.body).id;
}

async function finished(b: Browser): Promise<string> {
  const id = await create(b);
  await expect.poll(async () => (await h.core.jobs.get(id))?.delivered, { timeout: 20_000 }).toBe(true);
  return id;
}

describe('DELETE /api/jobs/:id', () => {
  it('deletes a finished video: 200 with discardedAt, gone from the list and its link cleared, every tab told', async () => {
    const alice = new Browser(base);
    const id = await finished(alice);
    // Two tabs of the same browser (same cookie) have the page open.
    const tabs = [alice.events(), alice.events()];
    try {
      await Promise.all(tabs.map((t) => t.opened));
      const gone = await alice.json(`/api/jobs/${id}`, { method: 'DELETE' });
      expect(gone.status).toBe(200);
      const answered = jobOf(gone.body);
      expect(answered).toMatchObject({ id, phase: 'completed', fileUrl: null, aiLabel: null });
      expect(answered.discardedAt).toEqual(expect.any(Number));
      for (const tab of tabs) {
        await tab.waitFor(() => eventsOf(tab, id).some((j) => j.discardedAt !== null));
      }
      expect(jobsOf((await alice.json('/api/jobs')).body).map((j) => j.id)).not.toContain(id);
      expect((await h.core.jobs.get(id))?.fileUrl).toBeNull();
    } finally {
      for (const tab of tabs) tab.close();
    }
  });

  it('deletes a failed video with the files kept for its Retry: they are dropped, and Retry has nothing left', async () => {
    const alice = new Browser(base);
    h.mock.nextOutcome({ status: 'FAILED', error: 'No face detected in image' });
    const id = await create(alice);
    await expect.poll(async () => (await h.core.jobs.get(id))?.state, { timeout: 20_000 }).toBe('failed');
    expect(await h.store.getMedia(id)).not.toBeNull();
    expect((await alice.json(`/api/jobs/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect(await h.store.getMedia(id)).toBeNull();
    expect(jobsOf((await alice.json('/api/jobs')).body).map((j) => j.id)).not.toContain(id);
    const retry = await alice.json(`/api/jobs/${id}/retry`, { method: 'POST' });
    expect(retry.status).toBe(410);
    expect(errorOf(retry.body).code).toBe('MEDIA_GONE');
  });

  it('deleting twice is harmless: the same answer, nothing else changes', async () => {
    const alice = new Browser(base);
    const id = await finished(alice);
    const first = await alice.json(`/api/jobs/${id}`, { method: 'DELETE' });
    const second = await alice.json(`/api/jobs/${id}`, { method: 'DELETE' });
    expect(second.status).toBe(200);
    expect(jobOf(second.body).discardedAt).toBe(jobOf(first.body).discardedAt);
  });

  it('answers another browser as if the video did not exist (404 in the shared words), and leaves it alone', async () => {
    const alice = new Browser(base);
    const mallory = new Browser(base);
    await mallory.fetch('/api/jobs');
    const id = await finished(alice);
    const refused = await mallory.json(`/api/jobs/${id}`, { method: 'DELETE' });
    expect(refused.status).toBe(404);
    expect(errorOf(refused.body)).toEqual({ code: 'NOT_FOUND', message: 'I cannot find that video any more.' });
    const unknown = await mallory.json('/api/jobs/no-such-job', { method: 'DELETE' });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown.body)).toEqual(errorOf(refused.body));
    const kept = jobsOf((await alice.json('/api/jobs')).body).find((j) => j.id === id);
    expect(kept?.fileUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\//);
    expect((await h.core.jobs.get(id))?.discardedAt).toBeNull();
  });

  it('refuses a DELETE sent from another site (Origin), before touching the job', async () => {
    const alice = new Browser(base);
    const id = await finished(alice);
    const cross = await alice.json(`/api/jobs/${id}`, { method: 'DELETE', headers: { origin: 'https://evil.example' } });
    expect(cross.status).toBe(403);
    expect((await h.core.jobs.get(id))?.discardedAt).toBeNull();
  });

  it('cancels a video still being made, then deletes it: the tab sees canceled, then discarded', async () => {
    const alice = new Browser(base);
    await alice.fetch('/api/jobs');
    const tab = alice.events();
    try {
      await tab.opened;
      // The service never finishes this one.
      h.mock.nextOutcome({ status: 'STUCK' });
      const id = await create(alice);
      await tab.waitFor(() => eventsOf(tab, id).some((j) => j.phase === 'rendering'));
      const gone = await alice.json(`/api/jobs/${id}`, { method: 'DELETE' });
      expect(gone.status).toBe(200);
      expect(jobOf(gone.body)).toMatchObject({ id, phase: 'canceled' });
      expect(jobOf(gone.body).discardedAt).toEqual(expect.any(Number));
      await tab.waitFor(() => eventsOf(tab, id).some((j) => j.discardedAt !== null));
      const seen = eventsOf(tab, id);
      const canceled = seen.findIndex((j) => j.phase === 'canceled' && j.discardedAt === null);
      expect(canceled).toBeGreaterThanOrEqual(0);
      expect(seen.findIndex((j) => j.discardedAt !== null)).toBeGreaterThan(canceled);
      expect((await h.core.jobs.get(id))?.state).toBe('canceled');
      expect(jobsOf((await alice.json('/api/jobs')).body).map((j) => j.id)).not.toContain(id);
    } finally {
      tab.close();
    }
  });
});

describe('what a finished or failed video says', () => {
  it('a finished video carries the AI-generated line', async () => {
    const alice = new Browser(base);
    const id = await finished(alice);
    const listed = jobsOf((await alice.json('/api/jobs')).body).find((j) => j.id === id);
    expect(listed?.aiLabel).toMatch(/^AI-generated/);
  });

  it("a failed render shows the service's own reason in the shared error words, live and after a reload", async () => {
    const alice = new Browser(base);
    await alice.fetch('/api/jobs');
    const tab = alice.events();
    try {
      await tab.opened;
      h.mock.nextOutcome({ status: 'FAILED', error: 'No face detected in image' });
      const id = await create(alice);
      await tab.waitFor(() => eventsOf(tab, id).some((j) => j.phase === 'failed'));
      const live = eventsOf(tab, id).find((j) => j.phase === 'failed');
      const listed = jobsOf((await alice.json('/api/jobs')).body).find((j) => j.id === id);
      for (const job of [live, listed]) {
        expect(job?.error?.code).toBe('JOB_FAILED');
        expect(job?.error?.message).toContain('The avatar service said: No face detected in image.');
        expect(job?.error?.retryable).toBe(true);
        expect(job?.aiLabel).toBeNull();
      }
    } finally {
      tab.close();
    }
  });
});
