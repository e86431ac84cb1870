import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createAvatarApi, parseRetryAfter } from '../../src/core/avatar-api.js';
import { errorSentence } from '../../src/bots/shared/words/errors.js';
import { AvatarError, NO_TASK_ID_MESSAGE } from '../../src/core/errors.js';
import { createFakeAvatarServer, type FakeAvatarServer } from '../fakes/avatar/index.js';
import { makeJpeg, makeTone } from '../helpers/media.js';

let mock: FakeAvatarServer;
let image: Buffer;
let audio: Buffer;
const sleeps: number[] = [];
const fastSleep = async (ms: number): Promise<void> => {
  sleeps.push(ms);
};

function api(overrides: { apiKey?: string; requestTimeoutMs?: number; baseUrl?: string; maxRetries?: number } = {}) {
  return createAvatarApi(
    {
      baseUrl: overrides.baseUrl ?? mock.url,
      apiKey: overrides.apiKey ?? 'test-key',
      requestTimeoutMs: overrides.requestTimeoutMs ?? 3000,
      maxRetries: overrides.maxRetries,
    },
    { sleep: fastSleep, random: () => 0.5 },
  );
}

async function rejection(p: Promise<unknown>): Promise<AvatarError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AvatarError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  mock = createFakeAvatarServer({ apiKey: 'test-key', renderMs: () => 100, queueMs: 10 });
  await mock.start();
  image = await makeJpeg();
  audio = await makeTone(1);
});
afterAll(() => mock.close());

/** A loopback port nobody listens on. */
function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}
beforeEach(() => {
  sleeps.length = 0;
});

describe('avatar API client over real HTTP', () => {
  test('submit returns the task id and the raw answer; status reads it back', async () => {
    const a = api();
    const sub = await a.submit({ image, audio });
    expect(sub.taskId).toMatch(/^[a-z0-9]+$/);
    expect((sub.raw as { data: { task_id: string } }).data.task_id).toBe(sub.taskId);
    const st = await a.status(sub.taskId);
    expect(st.taskId).toBe(sub.taskId);
    expect(['IN_QUEUE', 'IN_PROGRESS', 'COMPLETED']).toContain(st.status);
  });

  test('the body is the documented JSON with base64 media and the webhook', async () => {
    const a = api();
    const before = mock.tasks().length;
    await a.submit({ image, audio, webhook: { url: 'http://127.0.0.1:9/hook', authToken: 'tok' } });
    const task = mock.tasks()[before];
    expect(task?.webhookUrl).toBe('http://127.0.0.1:9/hook');
  });

  test('401 is API_AUTH with the original wording', async () => {
    const e = await rejection(api({ apiKey: 'wrong' }).submit({ image, audio }));
    expect(e.code).toBe('API_AUTH');
    expect(e.status).toBe(401);
    expect(e.message.startsWith('Error generate a talking avatar video request: ')).toBe(true);
    expect(e.message).not.toContain('wrong');
  });

  test('a submit answer without task_id fails with exactly the original message', async () => {
    mock.failNext('submit', { kind: 'status', status: 200, body: { data: { status: 'IN_QUEUE' } } });
    const e = await rejection(api().submit({ image, audio }));
    expect(e.code).toBe('NO_TASK_ID');
    expect(e.message).toBe(NO_TASK_ID_MESSAGE);
  });

  test('malformed JSON on submit is API_BAD_RESPONSE and is not resent', async () => {
    const before = mock.stats().submits;
    mock.failNext('submit', { kind: 'malformed' });
    const e = await rejection(api().submit({ image, audio }));
    expect(e.code).toBe('API_BAD_RESPONSE');
    expect(mock.stats().submits - before).toBe(1);
  });

  test('429 with Retry-After is honoured, then the submit goes through', async () => {
    const before = mock.stats().submits;
    mock.failNext('submit', {
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '3' },
      body: { title: 'Too Many Requests', status: 429 },
    });
    const sub = await api().submit({ image, audio });
    expect(sub.taskId).not.toBe('');
    expect(sleeps).toEqual([3000]);
    expect(mock.stats().submits - before).toBe(2);
  });

  test('a submit is retried after 502/503/504 (not accepted) but never after a 500 (maybe accepted)', async () => {
    let before = mock.stats().submits;
    mock.failNext('submit', { kind: 'status', status: 503 }, { kind: 'status', status: 502 });
    await api().submit({ image, audio });
    expect(mock.stats().submits - before).toBe(3);
    expect(sleeps).toHaveLength(2);
    // Backoff grows: the second wait is longer than the first.
    expect(sleeps[1]!).toBeGreaterThan(sleeps[0]!);

    before = mock.stats().submits;
    mock.failNext('submit', { kind: 'status', status: 500, body: { title: 'Internal Server Error', status: 500, detail: 'boom' } });
    const e = await rejection(api().submit({ image, audio }));
    expect(e.code).toBe('API_UNAVAILABLE');
    expect(e.message).toContain('boom');
    expect(mock.stats().submits - before).toBe(1);
  });

  test('a 500 is the service having an error, not an unreachable service, in the words people read', async () => {
    mock.failNext('submit', { kind: 'status', status: 500 });
    const e = await rejection(api().submit({ image, audio }));
    expect(e.code).toBe('API_UNAVAILABLE');
    expect(e.reason).toBe('SERVICE_ERROR');
    expect(e.facts).toEqual({ status: 500 });
    expect(errorSentence(e)).toBe('The avatar service had an error (HTTP 500). Try again in a few minutes.');

    const port = await freePort();
    const down = await rejection(api({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 }).status('x'));
    expect(down.code).toBe('API_UNAVAILABLE');
    expect(down.facts).toEqual({});
    expect(errorSentence(down)).toBe('The avatar service cannot be reached right now. Try again in a few minutes.');
  });

  test('a status answer that breaks the contract is API_BAD_RESPONSE at once, not retried', async () => {
    const sub = await api().submit({ image, audio });
    const calls = mock.stats().statusCalls;
    mock.failNext('status', { kind: 'answer', body: (id) => ({ data: { task_id: id, status: 'COMPLETED', file_url: 'ftp://x/v.mp4' } }) });
    const e = await rejection(api().status(sub.taskId));
    expect(e.code).toBe('API_BAD_RESPONSE');
    expect(mock.stats().statusCalls - calls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  test('a reset connection during submit is not retried (it may have been accepted)', async () => {
    const before = mock.stats().submits;
    mock.failNext('submit', { kind: 'reset' });
    const e = await rejection(api().submit({ image, audio }));
    expect(e.code).toBe('API_UNAVAILABLE');
    expect(mock.stats().submits - before).toBe(1);
  });

  test('status polls retry 5xx, resets and malformed JSON, then succeed', async () => {
    const sub = await api().submit({ image, audio });
    mock.failNext('status', { kind: 'status', status: 500 }, { kind: 'reset' }, { kind: 'malformed' });
    const st = await api().status(sub.taskId);
    expect(st.taskId).toBe(sub.taskId);
    expect(sleeps).toHaveLength(3);
  });

  test('retries stop at maxRetries with the last error', async () => {
    mock.failNext('status', ...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 503 })));
    const e = await rejection(api({ maxRetries: 2 }).status('whatever'));
    expect(e.code).toBe('API_UNAVAILABLE');
    expect(sleeps).toHaveLength(2);
    await api().status((await api().submit({ image, audio })).taskId); // the queue of faults is drained
  });

  test('404 on an unknown task is API_NOT_FOUND; 402 is API_CREDITS', async () => {
    expect((await rejection(api().status('nope-nope'))).code).toBe('API_NOT_FOUND');
    mock.failNext('submit', {
      kind: 'status',
      status: 402,
      contentType: 'application/problem+json',
      body: { title: 'Payment Required', status: 402, detail: 'out of credits' },
    });
    const e = await rejection(api().submit({ image, audio }));
    expect(e.code).toBe('API_CREDITS');
    expect(e.message).toBe('Error generate a talking avatar video request: 402 Payment Required: out of credits');
  });

  test('a stalled status request times out instead of hanging', async () => {
    mock.failNext('status', { kind: 'stall', ms: 5000 });
    const e = await rejection(api({ requestTimeoutMs: 300, maxRetries: 0 }).status('x'));
    expect(e.code).toBe('API_UNAVAILABLE');
    expect(e.message).toContain('no answer within');
  });

  test('connection refused is retried on submit (proof it was not accepted)', async () => {
    const port = await freePort();
    const e = await rejection(api({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 2 }).submit({ image, audio }));
    expect(e.code).toBe('API_UNAVAILABLE');
    expect(e.message).toContain('refused');
    expect(sleeps).toHaveLength(2);
  });
});

test('Retry-After parses seconds and HTTP dates', () => {
  expect(parseRetryAfter('2')).toBe(2000);
  expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
  expect(parseRetryAfter('soon')).toBeUndefined();
  expect(parseRetryAfter(undefined)).toBeUndefined();
});
