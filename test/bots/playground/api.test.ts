/**
 * The playground's HTTP endpoints over real HTTP, against the real core, the real job store and
 * the local avatar server (test/helpers/harness.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { createPlayground, type Playground, type PublicJob } from '../../../src/bots/playground/index.js';
import { Browser, form } from './helpers/client.js';
import { makeFaceJpeg, makeToneWav } from './helpers/media.js';
import { rawExchange } from './helpers/raw.js';

let h: Harness;
let playground: Playground;
let base: string;
let port: number;
let jpeg: Buffer;
let wav: Buffer;

const errorOf = (body: unknown): { code: string; message: string } => (body as { error: { code: string; message: string } }).error;
const jobsOf = (body: unknown): PublicJob[] => (body as { jobs: PublicJob[] }).jobs;
const jobOf = (body: unknown): PublicJob => (body as { job: PublicJob }).job;
const upload = () =>
  form({
    image: { data: jpeg, name: 'face.jpg', type: 'image/jpeg' },
    audio: { data: wav, name: 'hello.wav', type: 'audio/wav' },
  });

beforeAll(async () => {
  // Small limits so an oversized body is cheap to send.
  h = await startHarness({ env: { MAX_IMAGE_MB: '0.5', MAX_AUDIO_MB: '0.5' } });
  playground = createPlayground({ enabled: true, token: undefined }, { core: h.core, logger: pino({ level: 'silent' }), router: h.http });
  await h.startCore();
  base = h.http.url();
  port = Number(new URL(base).port);
  [jpeg, wav] = await Promise.all([makeFaceJpeg(), makeToneWav(1.5)]);
});

afterAll(async () => {
  await playground?.stop();
  await h?.stop();
});

describe('playground page and assets', () => {
  it('serves the page with a strict CSP, nosniff and an HttpOnly SameSite=Strict browser cookie', async () => {
    const b = new Browser(base);
    const res = await b.fetch('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/media-src [^;]*http:\/\/127\.0\.0\.1:\*/);
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('pg_browser='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(await res.text()).toContain('<script type="module" src="/static/app.js"');
  });

  it('serves only the known static files, the script and every module it imports', async () => {
    const b = new Browser(base);
    const js = await b.fetch('/static/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    // A module the page imports but the fixed list misses would break the page: follow them all.
    const seen = new Set<string>(['app.js']);
    const queue = [await js.text()];
    while (queue.length > 0) {
      for (const [, name] of (queue.pop() ?? '').matchAll(/from '\.\/([\w-]+\.js)'/g)) {
        if (name === undefined || seen.has(name)) continue;
        seen.add(name);
        const mod = await b.fetch(`/static/${name}`);
        expect(mod.status, name).toBe(200);
        expect(mod.headers.get('content-type'), name).toMatch(/javascript/);
        queue.push(await mod.text());
      }
    }
    expect([...seen]).toEqual(expect.arrayContaining(['dom.js', 'typing.js', 'thread.js']));
    expect((await b.fetch('/static/../../package.json')).status).toBe(404);
    expect((await b.fetch('/static/nope.js')).status).toBe(404);
  });

  it('reports preview mode and the core limits', async () => {
    const { status, body } = await new Browser(base).json('/api/info');
    expect(status).toBe(200);
    expect(body).toMatchObject({ preview: h.core.preview, limits: h.core.limits });
  });
});

describe('creating jobs', () => {
  it('creates a job from a real JPEG and WAV and streams queued -> rendering -> completed to its browser only', async () => {
    const alice = new Browser(base);
    const bob = new Browser(base);
    await alice.fetch('/api/jobs');
    await bob.fetch('/api/jobs');
    const aliceEvents = alice.events();
    const bobEvents = bob.events();
    try {
      await Promise.all([aliceEvents.opened, bobEvents.opened]);
      expect(aliceEvents.status).toBe(200);

      const { status, body } = await alice.json('/api/jobs', { method: 'POST', body: upload() });
      expect(status).toBe(201);
      const created = jobOf(body);
      expect(['queued', 'rendering']).toContain(created.phase);
      expect(created).not.toHaveProperty('requesterId');
      expect(created).not.toHaveProperty('replyTo');

      const mine = () =>
        aliceEvents.events
          .filter((e) => e.event === 'job')
          .map((e) => JSON.parse(e.data) as PublicJob)
          .filter((j) => j.id === created.id);
      await aliceEvents.waitFor(() => mine().some((j) => j.phase === 'completed'));
      const phases = mine().map((j) => j.phase);
      const firstQueued = phases.indexOf('queued');
      const firstRendering = phases.indexOf('rendering');
      const completed = phases.indexOf('completed');
      expect(firstQueued).toBeGreaterThanOrEqual(0);
      expect(firstRendering).toBeGreaterThan(firstQueued);
      expect(completed).toBeGreaterThan(firstRendering);
      const done = mine()[completed];
      expect(done?.fileUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\//);
      expect(done?.error).toBeNull();

      // Bob's stream is open on the same server and saw nothing of Alice's job.
      expect(bobEvents.events.some((e) => e.data.includes(created.id))).toBe(false);

      // "Reload": a new request with the same cookie lists the job from the store.
      const list = await alice.json('/api/jobs');
      const listed = jobsOf(list.body).find((j) => j.id === created.id);
      expect(listed?.phase).toBe('completed');
      expect(listed?.fileUrl).toBe(done?.fileUrl);
      expect(jobsOf((await bob.json('/api/jobs')).body)).toEqual([]);
      // The store agrees on who asked and where to answer.
      const stored = await h.core.jobs.get(created.id);
      expect(stored?.replyTo).toBe(`playground:${alice.cookie('pg_browser')}`);
      expect(stored?.platform).toBe('playground');
    } finally {
      aliceEvents.close();
      bobEvents.close();
    }
  });

  it('refuses a text file given as the image with the media message, and stores no job', async () => {
    const b = new Browser(base);
    const { status, body } = await b.json('/api/jobs', {
      method: 'POST',
      body: form({
        image: { data: Buffer.from('hello, I am not a picture\n'.repeat(20)), name: 'face.jpg', type: 'image/jpeg' },
        audio: { data: wav, name: 'hello.wav', type: 'audio/wav' },
      }),
    });
    expect(status).toBe(400);
    expect(errorOf(body).code).toBe('INVALID_MEDIA');
    expect(errorOf(body).message).toMatch(/image/i);
    expect(jobsOf((await b.json('/api/jobs')).body)).toEqual([]);
  });

  it('asks for the missing file when a part is absent or empty', async () => {
    const b = new Browser(base);
    const noAudio = await b.json('/api/jobs', { method: 'POST', body: form({ image: { data: jpeg, name: 'f.jpg', type: 'image/jpeg' } }) });
    expect(noAudio.status).toBe(400);
    expect(errorOf(noAudio.body)).toEqual({ code: 'MISSING_FILE', message: 'Please record or choose a voice note, or type what to say.' });
    const emptyImage = await b.json('/api/jobs', {
      method: 'POST',
      body: form({
        image: { data: new Uint8Array(0), name: '', type: 'application/octet-stream' },
        audio: { data: wav, name: 'a.wav', type: 'audio/wav' },
      }),
    });
    expect(emptyImage.status).toBe(400);
    expect(errorOf(emptyImage.body).message).toBe('Please choose a face image.');
  });

  it('answers 415 to anything but multipart/form-data', async () => {
    const { status, body } = await new Browser(base).json('/api/jobs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ image: 'x', audio: 'y' }),
    });
    expect(status).toBe(415);
    expect(errorOf(body).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 413 to a declared oversized body before it is sent', async () => {
    const limit = h.core.limits.imageBytes + h.core.limits.audioBytes;
    const declared = limit * 10;
    const head =
      `POST /api/jobs HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
      `Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: ${declared}\r\n\r\n`;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const r = await rawExchange(
      port,
      head,
      Array.from({ length: 4 }, () => chunk),
    );
    expect(r.status).toBe(413);
    expect(r.text).toMatch(/"code":"TOO_LARGE"/);
    expect(r.text).toMatch(/too large/i);
    expect(r.bytesSent).toBeLessThan(declared);
  });

  it('answers 413 to a chunked body once it passes the cap, without reading the rest', async () => {
    const limit = h.core.limits.imageBytes + h.core.limits.audioBytes;
    const head =
      `POST /api/jobs HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
      `Content-Type: multipart/form-data; boundary=xyz\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const size = 64 * 1024;
    const piece = Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), Buffer.alloc(size, 0x62), Buffer.from('\r\n')]);
    const pieces = Math.ceil((limit * 3) / size);
    const r = await rawExchange(
      port,
      head,
      Array.from({ length: pieces }, () => piece),
    );
    expect(r.status).toBe(413);
    expect(r.bytesSent).toBeLessThan(pieces * piece.length);
  });

  it('reads a file name with a quote, and refuses forms that are malformed or have too many parts', async () => {
    const b = new Browser(base);
    const quoted = await b.json('/api/jobs', {
      method: 'POST',
      body: form({
        image: { data: jpeg, name: 'fa"ce.jpg', type: 'image/jpeg' },
        audio: { data: wav, name: 'hello.wav', type: 'audio/wav' },
      }),
    });
    expect(quoted.status).toBe(201);
    await h.core.jobs.cancel(jobOf(quoted.body).id, b.cookie('pg_browser') ?? '');

    const post = (body: string) =>
      b.json('/api/jobs', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=b' }, body });
    const part = (name: string) => `--b\r\nContent-Disposition: form-data; name="${name}"; filename="x.bin"\r\n\r\ny\r\n`;
    const unterminated = await post('--b\r\nContent-Disposition: form-data; name="image"; filename="f.jpg"\r\n\r\nno closing boundary');
    expect(unterminated.status).toBe(400);
    expect(errorOf(unterminated.body).code).toBe('BAD_FORM');
    const many = await post(`${Array.from({ length: 20 }, (_, i) => part(`x${i}`)).join('')}--b--\r\n`);
    expect(many.status).toBe(400);
    expect(errorOf(many.body).code).toBe('BAD_FORM');
    // A form whose files are not named image and audio asks for them.
    const other = await post(`${part('x')}--b--\r\n`);
    expect(other.status).toBe(400);
    expect(errorOf(other.body).code).toBe('MISSING_FILE');
  });

  it('refuses a POST from another site (Origin) and a non-loopback Host', async () => {
    const b = new Browser(base);
    const cross = await b.json('/api/jobs', { method: 'POST', body: upload(), headers: { origin: 'https://evil.example' } });
    expect(cross.status).toBe(403);
    const rebound = await rawExchange(port, `GET /api/jobs HTTP/1.1\r\nHost: evil.example:${port}\r\nConnection: close\r\n\r\n`, []);
    expect(rebound.status).toBe(403);
  });
});

describe('cancel and retry', () => {
  it('cancels a job of this browser, retries it as a new job, and hides it from other browsers', async () => {
    const alice = new Browser(base);
    const created = jobOf((await alice.json('/api/jobs', { method: 'POST', body: upload() })).body);

    const other = await new Browser(base).json(`/api/jobs/${created.id}/cancel`, { method: 'POST' });
    expect(other.status).toBe(404);

    const canceled = await alice.json(`/api/jobs/${created.id}/cancel`, { method: 'POST' });
    expect(canceled.status).toBe(200);
    expect(jobOf(canceled.body).phase).toBe('canceled');
    expect((await h.core.jobs.get(created.id))?.state).toBe('canceled');

    const retried = await alice.json(`/api/jobs/${created.id}/retry`, { method: 'POST' });
    expect(retried.status).toBe(201);
    expect(jobOf(retried.body).id).not.toBe(created.id);
    const ids = jobsOf((await alice.json('/api/jobs')).body).map((j) => j.id);
    expect(ids).toEqual(expect.arrayContaining([created.id, jobOf(retried.body).id]));

    expect((await alice.json('/api/jobs/nope/frobnicate', { method: 'POST' })).status).toBe(404);
  });
});
