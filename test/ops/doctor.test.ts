/**
 * `talking-avatar doctor` as a person runs it (a child process, clean environment, cwd a temp
 * folder): against the local avatar server with a key and the fake Slack. Right settings pass;
 * a wrong key, a wrong Slack token and an unusable data folder each fail in plain words, with
 * exit code 1; no secret is ever printed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createFakeAvatarServer, type FakeAvatarServer } from '../fakes/avatar/index.js';
import { createFakeSlack, type FakeSlack } from '../fakes/slack/fake-slack.js';
import { startRedis } from '../helpers/redis-server.js';
import { runTs } from '../helpers/spawn.js';

const API_KEY = 'mk-doctor-RIGHTKEY-5e6f7a';
const WRONG_KEY = 'mk-doctor-WRONGKEY-1a2b3c';
const BOT_TOKEN = 'xoxb-doctor-RIGHT-token-42';
const WRONG_TOKEN = 'xoxb-doctor-WRONG-token-13';
const SIGNING_SECRET = 'doctor-signing-SECRET-99';
const SECRETS = [API_KEY, WRONG_KEY, BOT_TOKEN, WRONG_TOKEN, SIGNING_SECRET];

let mock: FakeAvatarServer;
let fake: FakeSlack;
const dir = mkdtempSync(join(tmpdir(), 'tab-doctor-'));

beforeAll(async () => {
  mock = createFakeAvatarServer({ apiKey: API_KEY, render: false });
  await mock.start();
  fake = createFakeSlack({ botToken: BOT_TOKEN });
  await fake.start();
});

afterAll(async () => {
  await mock?.close();
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

const doctor = (env: Record<string, string>) =>
  runTs('src/cli/index.ts', ['doctor'], {
    cwd: dir,
    timeoutMs: 60_000,
    env: { AVATAR_API_URL: mock.url, SLACK_API_URL: fake.apiUrl, SLACK_SIGNING_SECRET: SIGNING_SECRET, ...env },
  });

function expectNoSecret(out: string): void {
  for (const s of SECRETS) expect(out).not.toContain(s);
}

describe('talking-avatar doctor', () => {
  test('right key, right Slack token, usable data folder: every check ok, exit 0', async () => {
    const r = await doctor({ AVATAR_API_KEY: API_KEY, SLACK_BOT_TOKEN: BOT_TOKEN, DATA_DIR: join(dir, 'data') });
    expect(r.stdout).toMatch(/^ok {4}data folder: .* is writable$/m);
    expect(r.stdout).toMatch(/^ok {4}avatar service: .* accepted the API key$/m);
    expect(r.stdout).toMatch(/^ok {4}slack: logged in as avatarbot in Fake$/m);
    expect(r.stdout).toContain('Everything looks right.');
    expect(r.stdout).not.toContain('FAIL');
    expect(r.code).toBe(0);
    expectNoSecret(r.stdout + r.stderr);
  }, 60_000);

  test('wrong key, wrong Slack token, a file where the data folder should be: three FAILs in plain words, exit 1', async () => {
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'a file');
    const r = await doctor({ AVATAR_API_KEY: WRONG_KEY, SLACK_BOT_TOKEN: WRONG_TOKEN, DATA_DIR: join(blocker, 'data') });
    expect(r.stdout).toMatch(/^FAIL {2}avatar service: the avatar service refused AVATAR_API_KEY \(401\/403\): check the key$/m);
    expect(r.stdout).toMatch(/^FAIL {2}slack: Slack auth\.test failed: invalid_auth \(check SLACK_BOT_TOKEN\)$/m);
    expect(r.stdout).toMatch(/^FAIL {2}data folder: DATA_DIR .*not-a-folder\/data cannot be a folder: a file is in the way/m);
    expect(r.stdout).toContain('3 problem(s) found.');
    expect(r.code).toBe(1);
    expectNoSecret(r.stdout + r.stderr);
  }, 60_000);

  test('ffmpeg: the bundled snapshot is a warning with what to do, not a failure; a broken FFMPEG_PATH is a failure', async () => {
    // No ffmpeg on PATH (node is started by its full path): only the bundled one is left.
    const bundled = await doctor({ AVATAR_API_KEY: API_KEY, PATH: join(dir, 'empty-path') });
    expect(bundled.stdout).toMatch(/^WARN {2}ffmpeg: ffmpeg .* from the bundled package .*2018 snapshot.*install ffmpeg 5\.1 or later/m);
    expect(bundled.stdout).toContain('Everything works. 1 warning(s) to look at.');
    expect(bundled.code).toBe(0);
    const broken = await doctor({ AVATAR_API_KEY: API_KEY, FFMPEG_PATH: join(dir, 'no-ffmpeg-here') });
    expect(broken.stdout).toMatch(/^FAIL {2}ffmpeg: FFMPEG_PATH=.*no-ffmpeg-here cannot be used as ffmpeg/m);
    expect(broken.code).toBe(1);
  }, 60_000);

  test('REDIS_URL: a running Redis answers PING; a dead one fails in words without the password', async () => {
    const redis = await startRedis();
    try {
      const up = await doctor({ AVATAR_API_KEY: API_KEY, REDIS_URL: redis.url, ROLE: 'worker' });
      expect(up.stdout).toMatch(/^ok {4}redis: 127\.0\.0\.1:\d+ answered PING \(ROLE=worker/m);
      expect(up.stdout).toMatch(/^ok {4}data folder: not used: REDIS_URL is set$/m);
      expect(up.code).toBe(0);
    } finally {
      await redis.stop();
    }
    // The same port, now closed; a password in the URL must never be printed.
    const port = new URL(redis.url).port;
    const down = await doctor({ AVATAR_API_KEY: API_KEY, REDIS_URL: `redis://:hunter2-REDIS-pass@127.0.0.1:${port}/0` });
    expect(down.stdout).toMatch(
      new RegExp(`^FAIL {2}redis: Redis at 127\\.0\\.0\\.1:${port} did not answer .*is it running, and is REDIS_URL right\\?$`, 'm'),
    );
    expect(down.code).toBe(1);
    expect(down.stdout + down.stderr).not.toContain('hunter2-REDIS-pass');
  }, 60_000);
});
