import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPreviewAvatarServer, type PreviewAvatarServer } from '../../src/preview-avatar/index.js';
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
} from './helpers.js';

let mock: PreviewAvatarServer;

beforeAll(async () => {
  mock = createPreviewAvatarServer({ ...API_TEST_OPTIONS });
  await mock.start();
});
afterAll(async () => {
  await mock.close();
});

const KEY = API_KEY;
const body = TINY_SUBMIT;
const submitOk = () => submitOkAt(mock.url);
const statusData = (taskId: string) => statusDataAt(mock.url, taskId);

describe('preview avatar: API errors', () => {
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

describe('preview avatar: dead webhooks', () => {
  it('retries a dead webhook a bounded number of times without crashing', async () => {
    const m = createPreviewAvatarServer({ render: false, queueMs: 0, renderMs: () => 0, webhookRetryDelaysMs: [10, 10] });
    await m.start();
    try {
      // Port 9 on loopback: nothing listens (connection refused).
      const withHook = JSON.stringify({ ...JSON.parse(body), webhook: { url: 'http://127.0.0.1:9/hook' } });
      expect((await call(m.url + SUBMIT, { body: withHook })).status).toBe(200);
      await pollUntil(async () => (m.stats().webhookFailures >= 3 ? true : undefined));
      await new Promise((r) => setTimeout(r, 50));
      expect(m.stats().webhookFailures).toBe(3);
      expect(m.stats().webhooksSent).toBe(0);
      expect((await call(`${m.url}/`)).status).toBe(200);
    } finally {
      await m.close();
    }
  });

  it('close() cancels a webhook retry that would otherwise wait a minute', async () => {
    const m = createPreviewAvatarServer({ render: false, queueMs: 0, renderMs: () => 0, webhookRetryDelaysMs: [60_000] });
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
