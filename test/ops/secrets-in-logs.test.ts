/**
 * Secrets never reach the logs. Full jobs run with known secret values (avatar API key, Slack
 * bot token and signing secret, per-job webhook tokens), every log line is captured at level
 * trace through the production logger (createLogger: redaction + scrubbing), and the capture is
 * searched for each value. A job refused with 401 (wrong key) covers the error paths.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createSlackBot, type SlackBot } from '../../src/bots/slack/index.js';
import { parseConfig } from '../../src/config/index.js';
import { bytesInput } from '../../src/core/media-input.js';
import { voiceFile } from '../../src/core/ports.js';
import { createLogger } from '../../src/logger.js';
import { createFakeAvatarServer, type FakeAvatarServer } from '../fakes/avatar/index.js';
import { createFakeSlack, type FakeSlack } from '../fakes/slack/fake-slack.js';
import { createSlackSigner, mentionEnvelope } from '../fakes/slack/signer.js';
import { FAST_ENV, startHarness, type Harness } from '../helpers/harness.js';
import { makeJpeg, makeTone } from '../helpers/media.js';
import { recordingReply } from '../helpers/recording-reply.js';
import { waitForFinal } from '../helpers/wait-for-final.js';

const API_KEY = 'mk-live-SECRETKEY-0af3c9d2e1';
const WRONG_KEY = 'mk-live-WRONGKEY-77b1e0c4aa';
const BOT_TOKEN = 'xoxb-1234-5678-SECRETBOTTOKEN';
const SIGNING_SECRET = 'sigsecret-SECRET-9c8b7a6f5e4d';
const CHANNEL = 'C0SECRETS';

const lines: string[] = [];
const sink = { write: (line: string) => void lines.push(line) };
let mock: FakeAvatarServer;
let fake: FakeSlack;
let good: Harness;
let bad: Harness;
let bot: SlackBot;
const dirs: string[] = [];

function loggerFor(env: Record<string, string>): Logger {
  const dir = mkdtempSync(join(tmpdir(), 'tab-secrets-'));
  dirs.push(dir);
  // The same config the harness builds (secrets included), so createLogger knows the values.
  return createLogger(parseConfig({ ...FAST_ENV, DATA_DIR: dir, ...env, LOG_LEVEL: 'trace' }), sink);
}

beforeAll(async () => {
  mock = createFakeAvatarServer({ apiKey: API_KEY, render: false, renderMs: () => 200, queueMs: 20 });
  await mock.start();
  fake = createFakeSlack({ botToken: BOT_TOKEN });
  await fake.start();
  const env = {
    LOG_LEVEL: 'trace',
    AVATAR_API_KEY: API_KEY,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
  };
  const logger = loggerFor({ ...env, AVATAR_API_URL: mock.url });
  good = await startHarness({ env, mock, webhooks: true, logger });
  const slack = good.config.slack;
  if (slack === undefined) throw new Error('no slack config');
  bot = createSlackBot(slack, { core: good.core, logger: logger.child({ platform: 'slack' }), router: good.http });
  await good.startCore();
  await bot.start();

  const badEnv = { LOG_LEVEL: 'trace', AVATAR_API_KEY: WRONG_KEY };
  bad = await startHarness({ env: badEnv, mock, webhooks: true, logger: loggerFor({ ...badEnv, AVATAR_API_URL: mock.url }) });
  bad.core.registerReply('test', recordingReply());
  await bad.startCore();
});

afterAll(async () => {
  await bot?.stop();
  await good?.stop();
  await bad?.stop();
  await mock?.close();
  await fake?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function until<T>(
  what: string,
  get: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 2000; i++) {
    const v = await get();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('no API key, bot token, signing secret or webhook token in any log line at trace level', async () => {
  const jpeg = await makeJpeg();
  const wav = await makeTone(1, 'wav');
  const signer = createSlackSigner(SIGNING_SECRET, `${good.http.url()}/slack/events`);

  // Two Slack jobs end to end (mention with a face and a voice clip -> video in the thread).
  const threads: string[] = [];
  for (const user of ['U0ANN', 'U0BEN']) {
    const ts = fake.nextTs();
    threads.push(ts);
    const files = [
      fake.addFile({ name: 'me.jpg', mimetype: 'image/jpeg', bytes: jpeg }),
      fake.addFile({ name: 'audio_message.m4a', mimetype: 'audio/mp4', subtype: 'slack_audio', bytes: wav }),
    ];
    const res = await signer.postEvent(
      mentionEnvelope({
        team: fake.teamId,
        channel: CHANNEL,
        user,
        ts,
        text: `<@${fake.botUserId}> talk`,
        files,
        botUserId: fake.botUserId,
      }),
    );
    expect(res.status).toBe(200);
  }
  // A badly signed request too (its refusal is logged).
  const forged = await signer.postEvent({ type: 'event_callback' }, { signature: `v0=${'0'.repeat(64)}` });
  expect(forged.status).toBe(401);

  const slackJobs = await until('two finished slack jobs', async () => {
    const all = (await Promise.all(['U0ANN', 'U0BEN'].map((u) => good.store.listForRequester('slack', u, 5)))).flat();
    return all.length === 2 && all.every((j) => j.delivered) ? all : undefined;
  });
  expect(slackJobs.map((j) => j.state)).toEqual(['completed', 'completed']);

  // A job with the wrong key: the service answers 401, the job fails with API_AUTH.
  const refused = await bad.core.jobs.create({
    platform: 'test',
    requesterId: 'p',
    groupId: '',
    replyTo: 'test:1',
    image: bytesInput(jpeg),
    speech: voiceFile(bytesInput(wav)),
  });
  const failed = await waitForFinal(bad.engine, refused.id, 15_000);
  expect(failed.errorCode).toBe('API_AUTH');

  // Every webhook token that existed (one per submitted job) is known from the stores.
  const webhookTokens = [
    ...(await Promise.all(slackJobs.map(async (j) => (await good.store.getJob(j.id))?.webhookToken))),
    (await bad.store.getJob(refused.id))?.webhookToken,
  ];
  expect(webhookTokens.every((t) => typeof t === 'string' && t.length >= 20)).toBe(true);

  const text = lines.join('');
  // Logging really was on and covered the jobs, the Slack side and the error path.
  expect(lines.length).toBeGreaterThan(20);
  expect(text).toContain('"level":10');
  expect(text).toContain('answer delivered');
  expect(text).toMatch(/API_AUTH|401/);
  for (const j of slackJobs) expect(text).toContain(j.id);

  const secrets: Record<string, string> = { API_KEY, WRONG_KEY, BOT_TOKEN, SIGNING_SECRET };
  webhookTokens.forEach((t, i) => {
    secrets[`webhook token ${i}`] = t ?? 'missing';
  });
  const leaks = Object.entries(secrets)
    .filter(([, value]) => text.includes(value) || text.includes(encodeURIComponent(value)))
    .map(([name]) => name);
  expect(leaks).toEqual([]);
}, 40_000);

test('scale-out secrets are scrubbed too: the Redis password and the Slack OAuth secrets', () => {
  const out: string[] = [];
  const log = createLogger(
    parseConfig({
      LOG_LEVEL: 'info',
      REDIS_URL: 'redis://default:redis-PASS-w0rd%21@127.0.0.1:6379/0',
      SLACK_CLIENT_ID: '123.456',
      SLACK_CLIENT_SECRET: 'client-SECRET-abcdef',
      SLACK_STATE_SECRET: 'state-SECRET-abcdef',
      SLACK_INSTALL_KEY: 'install-KEY-0123456789abcdef0123456789',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
    }),
    { write: (line: string) => void out.push(line) },
  );
  // As a library error might print them.
  log.warn(
    { err: 'connect failed: redis://default:redis-PASS-w0rd!@127.0.0.1:6379' },
    'redis-PASS-w0rd! client-SECRET-abcdef state-SECRET-abcdef install-KEY-0123456789abcdef0123456789',
  );
  const all = out.join('\n');
  expect(out.length).toBe(1);
  for (const s of ['redis-PASS-w0rd!', 'client-SECRET-abcdef', 'state-SECRET-abcdef', 'install-KEY-0123456789abcdef0123456789'])
    expect(all).not.toContain(s);
  expect(all).toContain('[redacted]');
});
