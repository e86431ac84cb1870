/**
 * The real bot (src/main.ts in a child process) stops cleanly on SIGTERM with a job pending:
 * no new work, an in-flight HTTP request still answered, exit code 0 (main exits 1 if it does
 * not stop within 10 s); started again on the same DATA_DIR, the job resumes and completes,
 * without a second submit. The avatar server runs here, in the test, so its task survives.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { PublicJob } from '../../src/bots/playground/index.js';
import { createFakeAvatarServer, type FakeAvatarServer } from '../fakes/avatar/index.js';
import { Browser, form } from '../bots/playground/helpers/client.js';
import { makeJpeg, makeTone } from '../helpers/media.js';
import { spawnTs, waitForLine } from '../helpers/spawn.js';

let mock: FakeAvatarServer;
const dir = mkdtempSync(join(tmpdir(), 'tab-stop-'));
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  mock = createFakeAvatarServer({ render: false, renderMs: () => 200, queueMs: 20 });
  await mock.start();
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await mock?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startBot(): Promise<{
  child: ChildProcessWithoutNullStreams;
  url: string;
  exited: Promise<number | null>;
  out: () => string;
}> {
  const child = spawnTs('src/main.ts', [], {
    cwd: dir,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, 'data'),
      AVATAR_API_URL: mock.url,
      AVATAR_API_KEY: 'test-key',
      PLAYGROUND: 'on',
      LOG_LEVEL: 'info',
      AVATAR_POLL_FIRST_SECONDS: '0.1',
      AVATAR_POLL_MAX_INTERVAL_SECONDS: '0.3',
    },
  });
  children.push(child);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const line = await waitForLine(child, /listening on/, 30_000);
  const url = (JSON.parse(line) as { url: string }).url;
  return { child, url, exited, out: () => out };
}

async function until<T>(what: string, get: () => Promise<T | undefined> | T | undefined, tries = 400): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await get();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function myJob(b: Browser, id: string): Promise<PublicJob | undefined> {
  const { body } = await b.json('/api/jobs');
  return (body as { jobs: PublicJob[] }).jobs.find((j) => j.id === id);
}

test('SIGTERM with a job pending: clean exit 0; the next start on the same data finishes the job', async () => {
  const first = await startBot();
  const browser = new Browser(first.url);
  mock.nextOutcome({ status: 'STUCK' });
  const body = form({
    image: { data: await makeJpeg(), name: 'face.jpg', type: 'image/jpeg' },
    audio: { data: await makeTone(1, 'wav'), name: 'hi.wav', type: 'audio/wav' },
  });
  // The consent box ticked: the bot runs with its defaults here (FACE_CONSENT=once).
  body.append('faceConsent', 'yes');
  const created = await browser.json('/api/jobs', { method: 'POST', body });
  expect(created.status).toBe(201);
  const jobId = (created.body as { job: PublicJob }).job.id;
  await until('job rendering', async () => ((await myJob(browser, jobId))?.phase === 'rendering' ? true : undefined));
  expect(mock.tasks()).toHaveLength(1);
  const taskId = mock.tasks()[0]?.taskId ?? '';

  // An HTTP request in flight at SIGTERM: headers and half its declared body sent.
  const u = new URL(first.url);
  const socket = connect(Number(u.port), u.hostname);
  let answer = '';
  socket.on('data', (d: Buffer) => (answer += d.toString()));
  socket.on('error', () => undefined);
  await new Promise<void>((r) => socket.once('connect', () => r()));
  socket.write(
    `POST /avatar/webhook/${jobId} HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{"a":`,
  );
  await new Promise((r) => setTimeout(r, 100));

  first.child.kill('SIGTERM');
  // No new work: fresh connections are refused (or refused by the stopping bot) soon after.
  const refused = await until('new requests refused', async () => {
    try {
      const res = await fetch(`${first.url}/healthz`, { signal: AbortSignal.timeout(2000) });
      await res.text();
      return undefined;
    } catch {
      return true;
    }
  });
  expect(refused).toBe(true);
  // The request in flight still gets its answer once its body arrives.
  socket.write('"b"} ');
  await until('in-flight answer', () => (answer.includes('\r\n\r\n') ? true : undefined));
  expect(answer, answer).toMatch(/^HTTP\/1\.1 401/);
  socket.destroy();

  expect(await first.exited).toBe(0);
  expect(first.out()).toContain('"msg":"stopped"');
  expect(mock.tasks()[0]?.status).toBe('IN_PROGRESS');

  // Started again on the same DATA_DIR: the job is still rendering, then completes once the task ends.
  const second = await startBot();
  expect(second.out()).toMatch(/resumed unfinished jobs/);
  const again = new Browser(second.url);
  mock.completeNow(taskId);
  const done = await until('job completed after restart', async () => {
    // The first browser's cookie: the playground lists that person's jobs.
    const res = await again.fetch('/api/jobs', { headers: { cookie: browser.cookieHeader() } });
    const jobs = ((await res.json()) as { jobs: PublicJob[] }).jobs;
    const j = jobs.find((x) => x.id === jobId);
    return j?.phase === 'completed' ? j : undefined;
  });
  expect(done.fileUrl).toContain(taskId);
  // Never submitted twice.
  expect(mock.stats().accepted).toBe(1);

  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
}, 60_000);
