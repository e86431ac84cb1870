/**
 * /healthz, /readyz and /metrics through the real app (startApp in-process): Slack enabled
 * against the fake Slack (its readiness counts), the local avatar server as the service, jobs
 * driven through the core, then a scrape checked against what happened.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config/index.js';
import { bytesInput } from '../../src/core/media-input.js';
import { voiceFile } from '../../src/core/ports.js';
import { createFakeAvatarServer, type FakeAvatarServer } from '../fakes/avatar/index.js';
import { createFakeSlack, type FakeSlack } from '../fakes/slack/fake-slack.js';
import { FAST_ENV } from '../helpers/harness.js';
import { makeJpeg, makeTone } from '../helpers/media.js';
import { recordingReply } from '../helpers/recording-reply.js';
import { sample } from './helpers/prom.js';

const BOT_TOKEN = 'xoxb-metrics-test-token';
let mock: FakeAvatarServer;
let fake: FakeSlack;
const dirs: string[] = [];
const apps: App[] = [];

function configFor(): ReturnType<typeof parseConfig> {
  const dir = mkdtempSync(join(tmpdir(), 'tab-ops-'));
  dirs.push(dir);
  return parseConfig({
    ...FAST_ENV,
    PORT: '0',
    DATA_DIR: dir,
    AVATAR_API_URL: mock.url,
    AVATAR_API_KEY: 'test-key',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: 'metrics-signing-secret',
    SLACK_API_URL: fake.apiUrl,
  });
}

async function boot(): Promise<App> {
  const app = await startApp(configFor(), pino({ level: 'silent' }));
  apps.push(app);
  return app;
}

beforeAll(async () => {
  mock = createFakeAvatarServer({ render: false, renderMs: () => 150, queueMs: 20 });
  await mock.start();
  fake = createFakeSlack({ botToken: BOT_TOKEN });
  await fake.start();
});

afterAll(async () => {
  for (const a of apps) await a.stop();
  await mock?.close();
  await fake?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('health and readiness', () => {
  test('/healthz answers ok; /readyz lists the store and every enabled platform', async () => {
    const app = await boot();
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });

    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { ok: boolean; checks: Record<string, boolean> };
    expect(body.ok).toBe(true);
    expect(body.checks).toEqual({ store: true, slack: true, playground: true });
    expect(app.enabled).toEqual(['slack', 'playground']);
  });

  test('/readyz is 503 once the store is closed, while /healthz stays up', async () => {
    const app = await boot();
    await app.core.store.close();
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { ok: boolean; checks: Record<string, boolean> };
    expect(body.ok).toBe(false);
    expect(body.checks.store).toBe(false);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    // The scrape reads the store: it says unavailable rather than a 500 or a hang.
    expect((await fetch(`${app.url}/metrics`)).status).toBe(503);
  });
});

describe('/metrics', () => {
  test('a scrape after jobs shows states, durations, polls, errors, queue depth and deliveries', async () => {
    const app = await boot();
    const reply = recordingReply();
    app.core.core.registerReply('test', reply);
    const image = bytesInput(await makeJpeg());
    const audio = bytesInput(await makeTone(1, 'wav'));
    const make = (i: number) =>
      app.core.core.jobs.create({
        platform: 'test',
        requesterId: `p${i}`,
        groupId: '',
        replyTo: `test:${i}`,
        image,
        speech: voiceFile(audio),
      });

    const ok = await make(1);
    await reply.waitForFinal(ok.id);
    mock.nextOutcome({ status: 'FAILED', error: 'no face found' });
    const failed = await make(2);
    await reply.waitForFinal(failed.id);
    // A 400 on submit is not retried: the job fails with API_BAD_REQUEST, counted by code.
    mock.failNext('submit', { kind: 'status', status: 400, body: { title: 'Bad Request', detail: 'bad image' } });
    const refused = await make(3);
    await reply.waitForFinal(refused.id);
    // The "delivered" flag is written just after the ChatReply call resolves.
    for (let i = 0; i < 100 && app.core.engine.stats().deliveries < 3; i++) await new Promise((r) => setTimeout(r, 20));

    const res = await fetch(`${app.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();

    expect(sample(text, 'talking_avatar_jobs', { platform: 'test', state: 'completed' })).toBe(1);
    expect(sample(text, 'talking_avatar_jobs', { platform: 'test', state: 'failed' })).toBe(2);
    expect(sample(text, 'talking_avatar_job_duration_seconds_count', { platform: 'test', state: 'completed' })).toBe(1);
    expect(sample(text, 'talking_avatar_job_duration_seconds_count', { platform: 'test', state: 'failed' })).toBe(2);
    const sum = sample(text, 'talking_avatar_job_duration_seconds_sum', { platform: 'test', state: 'completed' }) ?? -1;
    const view = await app.core.core.jobs.get(ok.id);
    expect(sum).toBeCloseTo(((view?.finishedAt ?? 0) - (view?.createdAt ?? 0)) / 1000, 3);

    const stats = app.core.engine.stats();
    expect(stats.statusPolls).toBeGreaterThan(0);
    expect(sample(text, 'talking_avatar_status_polls_total')).toBe(stats.statusPolls);
    expect(sample(text, 'talking_avatar_submits_total')).toBe(3);
    expect(sample(text, 'talking_avatar_api_errors_total', { code: 'API_BAD_REQUEST' })).toBe(1);
    expect(sample(text, 'talking_avatar_deliveries_total')).toBe(3);
    expect(sample(text, 'talking_avatar_delivery_failures_total')).toBe(0);
    expect(sample(text, 'talking_avatar_queue_depth')).toBe(0);
    // Two apps in one process (this file boots several): a private registry each, no clash.
    expect(apps.length).toBeGreaterThan(1);
  });

  test('queue depth counts jobs waiting for a slot', async () => {
    const app = await boot();
    const reply = recordingReply();
    app.core.core.registerReply('test', reply);
    const image = bytesInput(await makeJpeg());
    const audio = bytesInput(await makeTone(1, 'wav'));
    // One person, default limit 2 at a time: the third and fourth wait. STUCK keeps the first two busy.
    mock.nextOutcome({ status: 'STUCK' });
    mock.nextOutcome({ status: 'STUCK' });
    const jobs = [];
    for (let i = 0; i < 4; i++) {
      jobs.push(
        await app.core.core.jobs.create({
          platform: 'test',
          requesterId: 'same',
          groupId: '',
          replyTo: `test:q${i}`,
          image,
          speech: voiceFile(audio),
        }),
      );
    }
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(sample(text, 'talking_avatar_queue_depth')).toBe(2);
    // Cancel all so nothing is left pending when the app stops.
    for (const j of jobs) await app.core.core.jobs.cancel(j.id, 'same');
    const after = await (await fetch(`${app.url}/metrics`)).text();
    expect(sample(after, 'talking_avatar_queue_depth')).toBe(0);
    expect(sample(after, 'talking_avatar_jobs', { platform: 'test', state: 'canceled' })).toBe(4);
  });
});
