import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { createFakeAvatarServer, type FakeAvatarServer } from './index.js';
import {
  API_KEY,
  API_TEST_OPTIONS,
  call,
  pollUntil,
  problem,
  statusData as statusDataAt,
  statusPath,
  SUBMIT,
  submitOk as submitOkAt,
  TINY_SUBMIT,
} from '../../preview-avatar/helpers.js';

let mock: FakeAvatarServer;

beforeAll(async () => {
  mock = createFakeAvatarServer({ ...API_TEST_OPTIONS });
  await mock.start();
});
afterAll(async () => {
  await mock.close();
});

const KEY = API_KEY;
const body = TINY_SUBMIT;
const submitOk = () => submitOkAt(mock.url);
const statusData = (taskId: string) => statusDataAt(mock.url, taskId);

describe('fake avatar: scripted faults and outcomes', () => {
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
    await expect(request(mock.url + SUBMIT, { method: 'POST', body, headers: { authorization: `Bearer ${KEY}` } })).rejects.toThrow();
    mock.failNext('status', { kind: 'stall', ms: 50 });
    await expect(request(mock.url + statusPath('x1'), { headers: { authorization: `Bearer ${KEY}` } })).rejects.toThrow();
  });

  it('surfaces a scripted FAILED with its error text, and TIMED_OUT', async () => {
    // Its own server: scripted outcomes are per-server state, kept apart from the other tests.
    const own = createFakeAvatarServer({ apiKey: KEY, render: false, queueMs: 10, renderMs: () => 30 });
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
      const seen = async (): Promise<string> =>
        JSON.stringify({ failed: await status(failed), timedOut: await status(timedOut), tasks: own.tasks() });
      const f = await pollUntil(
        async () => {
          const d = await status(failed);
          return d['status'] === 'IN_PROGRESS' || d['status'] === 'IN_QUEUE' ? undefined : d;
        },
        600,
        50,
        seen,
      );
      expect(f['status']).toBe('FAILED');
      expect(f['error']).toBe('face not found');
      expect(f['file_url']).toBeUndefined();
      const t = await pollUntil(
        async () => {
          const d = await status(timedOut);
          return d['status'] === 'IN_PROGRESS' || d['status'] === 'IN_QUEUE' ? undefined : d;
        },
        600,
        50,
        seen,
      );
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
});

describe('fake avatar: credits and random faults', () => {
  it('answers 402 once credits run out', async () => {
    const m = createFakeAvatarServer({ render: false, credits: 1 });
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

  it('makes random faults reproducible with a seed', async () => {
    const run = async (): Promise<number[]> => {
      const m = createFakeAvatarServer({ render: false, seed: 42, faults: { error5xx: 0.3, rateLimit: 0.3 } });
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
});
