import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { createMockAvatarServer, type MockAvatarServer } from '../../src/mock-avatar/index.js';
import { call, pollUntil, statusPath, SUBMIT } from './helpers.js';

const KEY = 'k-secret';
// Rendering off: these tests are about the API surface, not ffmpeg.
const body = JSON.stringify({ image: Buffer.from('img').toString('base64'), audio: Buffer.from('aud').toString('base64') });
let mock: MockAvatarServer;

beforeAll(async () => {
  mock = createMockAvatarServer({ apiKey: KEY, render: false, queueMs: 10, renderMs: () => 30, maxBodyBytes: 4096 });
  await mock.start();
});
afterAll(async () => {
  await mock.close();
});

async function submitOk(): Promise<string> {
  const res = await call(mock.url + SUBMIT, { body, key: KEY });
  expect(res.status).toBe(200);
  return (JSON.parse(res.text) as { data: { task_id: string } }).data.task_id;
}

async function statusData(taskId: string): Promise<Record<string, unknown>> {
  const res = await call(mock.url + statusPath(taskId), { key: KEY });
  expect(res.status).toBe(200);
  return (JSON.parse(res.text) as { data: Record<string, unknown> }).data;
}

function problem(text: string): { title: string; status: number; detail: string; errors?: Array<{ location: string; message: string }> } {
  return JSON.parse(text) as ReturnType<typeof problem>;
}

describe('mock avatar: API errors', () => {
  it('answers 401 problem+json without a key and with a wrong key, without echoing it', async () => {
    const none = await call(mock.url + SUBMIT, { body });
    expect(none.status).toBe(401);
    expect(none.headers['content-type']).toBe('application/problem+json');
    expect(problem(none.text).status).toBe(401);
    const wrong = await call(mock.url + statusPath('abc'), { key: 'nope-wrong-key' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain('nope-wrong-key');
    expect(wrong.text).not.toContain(KEY);
    expect(mock.stats().accepted).toBe(0);
  });

  it('answers 400 naming the missing image field, and 400 for bad JSON, base64 or data: prefix', async () => {
    const missing = await call(mock.url + SUBMIT, { body: JSON.stringify({ audio: 'AAAA' }), key: KEY });
    expect(missing.status).toBe(400);
    expect(missing.headers['content-type']).toBe('application/problem+json');
    const p = problem(missing.text);
    expect(p.title).toBe('Bad Request');
    expect(p.errors?.map((e) => e.location)).toEqual(['body.image']);

    const badJson = await call(mock.url + SUBMIT, { body: '{"image":', key: KEY });
    expect(badJson.status).toBe(400);

    const prefixed = await call(mock.url + SUBMIT, {
      body: JSON.stringify({ image: 'data:image/png;base64,AAAA', audio: '!!!' }),
      key: KEY,
    });
    expect(prefixed.status).toBe(400);
    expect(problem(prefixed.text).errors?.map((e) => e.location)).toEqual(['body.image', 'body.audio']);
  });

  it('answers 413 problem+json beyond the body cap', async () => {
    const big = JSON.stringify({ image: 'A'.repeat(6000), audio: 'AAAA' });
    const res = await call(mock.url + SUBMIT, { body: big, key: KEY });
    expect(res.status).toBe(413);
    expect(problem(res.text).status).toBe(413);
  });

  it('answers 404 problem+json for an unknown task', async () => {
    const res = await call(mock.url + statusPath('doesnotexist123'), { key: KEY });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(problem(res.text).status).toBe(404);
  });
});

describe('mock avatar: scripted faults', () => {
  it('plays a scripted 429 with Retry-After, then serves normally', async () => {
    mock.failNext('submit', { kind: 'status', status: 429, headers: { 'Retry-After': '7' } });
    const limited = await call(mock.url + SUBMIT, { body, key: KEY });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('7');
    expect(limited.headers['content-type']).toBe('application/problem+json');
    const ok = await call(mock.url + SUBMIT, { body, key: KEY });
    expect(ok.status).toBe(200);
  });

  it('plays a scripted 200 without a task id', async () => {
    mock.failNext('submit', { kind: 'status', status: 200, body: { data: {} } });
    const res = await call(mock.url + SUBMIT, { body, key: KEY });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(res.text)).toEqual({ data: {} });
  });

  it('plays a malformed 200 on status', async () => {
    const taskId = await submitOk();
    mock.failNext('status', { kind: 'malformed' });
    const res = await call(mock.url + statusPath(taskId), { key: KEY });
    expect(res.status).toBe(200);
    expect(() => JSON.parse(res.text)).toThrow();
  });

  it('resets the socket: the client sees a socket error, not an answer', async () => {
    mock.failNext('submit', { kind: 'reset' });
    await expect(
      request(mock.url + SUBMIT, { method: 'POST', body, headers: { authorization: `Bearer ${KEY}` } }),
    ).rejects.toThrow();
    mock.failNext('status', { kind: 'stall', ms: 50 });
    await expect(request(mock.url + statusPath('x1'), { headers: { authorization: `Bearer ${KEY}` } })).rejects.toThrow();
  });

  it('surfaces a scripted FAILED with its error text, and TIMED_OUT', async () => {
    // Its own server: scripted outcomes are per-server state, kept apart from the other tests.
    const own = createMockAvatarServer({ apiKey: KEY, render: false, queueMs: 10, renderMs: () => 30 });
    await own.start();
    try {
      const submit = async (): Promise<string> => {
        const res = await call(own.url + SUBMIT, { body, key: KEY });
        expect(res.status).toBe(200);
        return (JSON.parse(res.text) as { data: { task_id: string } }).data.task_id;
      };
      const status = async (taskId: string): Promise<Record<string, unknown>> => {
        const res = await call(own.url + statusPath(taskId), { key: KEY });
        return (JSON.parse(res.text) as { data: Record<string, unknown> }).data;
      };
      own.nextOutcome({ status: 'FAILED', error: 'face not found' });
      own.nextOutcome({ status: 'TIMED_OUT' });
      const failed = await submit();
      const timedOut = await submit();
      const seen = async (): Promise<string> => JSON.stringify({ failed: await status(failed), timedOut: await status(timedOut), tasks: own.tasks() });
      const f = await pollUntil(async () => {
        const d = await status(failed);
        return d['status'] === 'IN_PROGRESS' || d['status'] === 'IN_QUEUE' ? undefined : d;
      }, 600, 50, seen);
      expect(f['status']).toBe('FAILED');
      expect(f['error']).toBe('face not found');
      expect(f['file_url']).toBeUndefined();
      const t = await pollUntil(async () => {
        const d = await status(timedOut);
        return d['status'] === 'IN_PROGRESS' || d['status'] === 'IN_QUEUE' ? undefined : d;
      }, 600, 50, seen);
      expect(t['status']).toBe('TIMED_OUT');
    } finally {
      await own.close();
    }
  });

  it('keeps a STUCK task IN_PROGRESS until completeNow, then serves the placeholder file', async () => {
    mock.nextOutcome({ status: 'STUCK' });
    const taskId = await submitOk();
    // Well past renderMs (30 ms): still not done.
    await pollUntil(async () => (Date.now() - (mock.tasks().find((t) => t.taskId === taskId)?.createdAt ?? 0) > 150 ? true : undefined));
    expect((await statusData(taskId))['status']).toBe('IN_PROGRESS');
    mock.completeNow(taskId);
    const d = await statusData(taskId);
    expect(d['status']).toBe('COMPLETED');
    const file = await call(String(d['file_url']));
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('video/mp4');
  });

  it('counts status calls per task', async () => {
    const a = await submitOk();
    const b = await submitOk();
    for (let i = 0; i < 3; i++) await statusData(a);
    await statusData(b);
    const stats = mock.stats();
    expect(stats.statusCallsByTask[a]).toBe(3);
    expect(stats.statusCallsByTask[b]).toBe(1);
    expect(stats.submits).toBeGreaterThan(stats.accepted);
  });
});

describe('mock avatar: credits, dead webhooks, random faults', () => {
  it('answers 402 once credits run out', async () => {
    const m = createMockAvatarServer({ render: false, credits: 1 });
    await m.start();
    try {
      expect((await call(m.url + SUBMIT, { body })).status).toBe(200);
      const res = await call(m.url + SUBMIT, { body });
      expect(res.status).toBe(402);
      expect(problem(res.text).status).toBe(402);
      expect(m.stats().accepted).toBe(1);
    } finally {
      await m.close();
    }
  });

  it('retries a dead webhook a bounded number of times without crashing', async () => {
    const m = createMockAvatarServer({ render: false, queueMs: 0, renderMs: () => 0, webhookRetryDelaysMs: [10, 10] });
    await m.start();
    try {
      // Port 9 on loopback: nothing listens (connection refused).
      const withHook = JSON.stringify({ ...JSON.parse(body), webhook: { url: 'http://127.0.0.1:9/hook' } });
      expect((await call(m.url + SUBMIT, { body: withHook })).status).toBe(200);
      await pollUntil(async () => (m.stats().webhookFailures >= 3 ? true : undefined));
      await new Promise((r) => setTimeout(r, 50));
      expect(m.stats().webhookFailures).toBe(3);
      expect(m.stats().webhooksSent).toBe(0);
      expect((await call(m.url + '/')).status).toBe(200);
    } finally {
      await m.close();
    }
  });

  it('makes random faults reproducible with a seed', async () => {
    const run = async (): Promise<number[]> => {
      const m = createMockAvatarServer({ render: false, seed: 42, faults: { error5xx: 0.3, rateLimit: 0.3 } });
      await m.start();
      try {
        const codes: number[] = [];
        for (let i = 0; i < 12; i++) codes.push((await call(m.url + SUBMIT, { body })).status);
        return codes;
      } finally {
        await m.close();
      }
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first.some((c) => c === 200)).toBe(true);
    expect(first.some((c) => c === 429 || c >= 500)).toBe(true);
  });

  it('close() cancels a webhook retry that would otherwise wait a minute', async () => {
    const m = createMockAvatarServer({ render: false, queueMs: 0, renderMs: () => 0, webhookRetryDelaysMs: [60_000] });
    await m.start();
    const withHook = JSON.stringify({ ...JSON.parse(body), webhook: { url: 'http://127.0.0.1:9/hook' } });
    expect((await call(m.url + SUBMIT, { body: withHook })).status).toBe(200);
    await pollUntil(async () => (m.stats().webhookFailures >= 1 ? true : undefined));
    // A hang here fails the test by its timeout; close must not wait for the retry.
    await m.close();
    expect(m.stats().webhookFailures).toBe(1);
    expect(m.tasks()).toEqual([]);
  });
});
