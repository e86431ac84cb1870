/**
 * "Forget me" in the playground over real HTTP (POST /api/forget), against the real core, job
 * store and local avatar server: this browser's face, videos and files go; another's stay.
 */
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPlayground, type Playground, type PublicJob } from '../../../src/bots/playground/index.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { Browser, form } from './helpers/client.js';
import { makeFaceJpeg, makeToneWav } from './helpers/media.js';

let h: Harness;
let playground: Playground;
let base: string;

beforeAll(async () => {
  h = await startHarness();
  playground = createPlayground({ enabled: true, token: undefined }, { core: h.core, logger: pino({ level: 'silent' }), router: h.http });
  await h.startCore();
  base = h.http.url();
});

afterAll(async () => {
  await playground?.stop();
  await h?.stop();
});

async function video(b: Browser): Promise<string> {
  await b.fetch('/api/jobs');
  const body = form({
    image: { data: await makeFaceJpeg(), name: 'face.jpg', type: 'image/jpeg' },
    audio: { data: await makeToneWav(1), name: 'hello.wav', type: 'audio/wav' },
  });
  const created = await b.json('/api/jobs', { method: 'POST', body });
  expect(created.status).toBe(201);
  const id = (created.body as { job: PublicJob }).job.id;
  await expect.poll(async () => (await h.core.jobs.get(id))?.delivered, { timeout: 20_000 }).toBe(true);
  return id;
}

it('POST /api/forget deletes this browser’s face, videos and files, answers with counts and words; another browser keeps its own', async () => {
  const alice = new Browser(base);
  const bob = new Browser(base);
  const mine = await video(alice);
  const theirs = await video(bob);
  const aliceId = alice.cookie('pg_browser') ?? '';
  expect(await h.core.faces.get('playground', aliceId)).not.toBeNull();

  // Another site cannot make a browser forget itself.
  const forged = await alice.json('/api/forget', { method: 'POST', headers: { Origin: 'http://evil.example' } });
  expect(forged.status).toBe(403);
  expect(await h.core.jobs.get(mine)).not.toBeNull();

  const { status, body } = await alice.json('/api/forget', { method: 'POST' });
  expect(status).toBe(200);
  expect(body).toEqual({
    forgotten: { canceled: 0, face: true, jobs: 1, media: 0, voice: false, consent: false },
    message: 'Deleted your saved face, 1 video. Nothing else of yours is kept.',
  });
  expect(await h.core.jobs.get(mine)).toBeNull();
  expect(await h.core.faces.get('playground', aliceId)).toBeNull();
  expect((await alice.json('/api/jobs')).body).toEqual({ jobs: [] });
  expect(((await bob.json('/api/jobs')).body as { jobs: PublicJob[] }).jobs.map((j) => j.id)).toEqual([theirs]);

  const again = await alice.json('/api/forget', { method: 'POST' });
  expect((again.body as { forgotten: unknown }).forgotten).toEqual({
    canceled: 0,
    face: false,
    jobs: 0,
    media: 0,
    voice: false,
    consent: false,
  });
});

it('the page has the Forget me button and the script that calls /api/forget', async () => {
  const b = new Browser(base);
  expect(await (await b.fetch('/')).text()).toContain('id="forget-btn"');
  expect(await (await b.fetch('/static/app.js')).text()).toContain("api('POST', '/api/forget')");
});
