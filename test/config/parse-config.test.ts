import { expect, test } from 'vitest';
import { ConfigError, coreConfigOf, parseConfig } from '../../src/config/index.js';

test('defaults: no key means the local preview server, port 3000, timeouts from the issue', () => {
  const c = parseConfig({});
  expect(c.avatar.apiUrl).toBeUndefined();
  expect(c.http.port).toBe(3000);
  expect(c.avatar.timeoutMs).toBe(600_000);
  expect(c.avatar.pollMaxIntervalMs).toBe(30_000);
  expect(c.media.maxImageBytes).toBe(20 * 1024 * 1024);
  expect(c.media.maxAudioBytes).toBe(25 * 1024 * 1024);
  expect(c.media.maxAudioSeconds).toBe(300);
  expect(c.discord).toBeUndefined();
  expect(c.slack).toBeUndefined();
  expect(c.playground.enabled).toBe(true);
  expect(c.dataDir).toBe('./data');
});

test('a key alone points at https://mirako.co', () => {
  expect(parseConfig({ AVATAR_API_KEY: 'k-123456' }).avatar.apiUrl).toBe('https://mirako.co');
});

test('every bad variable is named, and no value is echoed', () => {
  try {
    parseConfig({ PORT: 'eighty', AVATAR_TIMEOUT_SECONDS: '1', AVATAR_API_URL: 'ftp://x', SLACK_BOT_TOKEN: 'xoxb-secret-value' });
    throw new Error('expected ConfigError');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const e = err as ConfigError;
    expect(e.message).toContain('PORT');
    expect(e.message).toContain('AVATAR_TIMEOUT_SECONDS');
    expect(e.message).toContain('AVATAR_API_URL');
    expect(e.message).not.toContain('xoxb-secret-value');
  }
  // Cross-field rules are reported as well.
  expect(() => parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET/);
});

test('AVATAR_API_URL without AVATAR_API_KEY is refused in one sentence naming both', () => {
  try {
    parseConfig({ AVATAR_API_URL: 'https://avatars.example.org' });
    throw new Error('expected ConfigError');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const { problems } = err as ConfigError;
    expect(problems).toEqual([
      'AVATAR_API_KEY: required when AVATAR_API_URL is set (set AVATAR_API_KEY, or unset AVATAR_API_URL to use the local preview server)',
    ]);
  }
  // A blank key is no key.
  expect(() => parseConfig({ AVATAR_API_URL: 'https://avatars.example.org', AVATAR_API_KEY: '  ' })).toThrow(/AVATAR_API_KEY: required/);
  const both = parseConfig({ AVATAR_API_URL: 'https://avatars.example.org', AVATAR_API_KEY: 'k-1' });
  expect(both.avatar).toMatchObject({ apiUrl: 'https://avatars.example.org', apiKey: 'k-1' });
});

test('MIN_IMAGE_SIDE defaults to 64 px and may not exceed IMAGE_MAX_SIDE', () => {
  expect(parseConfig({}).media.minImageSide).toBe(64);
  expect(parseConfig({ MIN_IMAGE_SIDE: '128' }).media.minImageSide).toBe(128);
  expect(() => parseConfig({ MIN_IMAGE_SIDE: '0' })).toThrow(/MIN_IMAGE_SIDE/);
  expect(() => parseConfig({ MIN_IMAGE_SIDE: '2000', IMAGE_MAX_SIDE: '1024' })).toThrow(
    /MIN_IMAGE_SIDE: must not be larger than IMAGE_MAX_SIDE/,
  );
});

test('AVATAR_TIMEOUT_SECONDS is bounded to 2..600', () => {
  expect(() => parseConfig({ AVATAR_TIMEOUT_SECONDS: '601' })).toThrow(ConfigError);
  expect(parseConfig({ AVATAR_TIMEOUT_SECONDS: '2' }).avatar.timeoutMs).toBe(2000);
});

test('the playground is off on a public interface unless a token is set', () => {
  expect(parseConfig({ HOST: '0.0.0.0' }).playground.enabled).toBe(false);
  expect(parseConfig({ HOST: '0.0.0.0', PLAYGROUND_TOKEN: 'tok-abcdef' }).playground.enabled).toBe(true);
  expect(parseConfig({ PLAYGROUND: 'off' }).playground.enabled).toBe(false);
  expect(() => parseConfig({ HOST: '0.0.0.0', PLAYGROUND: 'on' })).toThrow(/PLAYGROUND_TOKEN/);
});

test('.env.example, copied as it is, is a valid configuration with the documented defaults', async () => {
  const { readFileSync } = await import('node:fs');
  const { parse } = await import('dotenv');
  const example = parse(readFileSync('.env.example', 'utf8'));
  const c = parseConfig(example);
  expect(c.http.port).toBe(3000);
  expect(c.avatar.apiUrl).toBeUndefined();
  expect(c.avatar.webhookFallbackMs).toBe(30_000);
  expect(c.media.audioFormat).toBe('mp3');
  expect(c.media.concurrency).toBeGreaterThanOrEqual(1);
  // Every variable the schema knows is documented in .env.example.
  const { envSchema } = await import('../../src/config/index.js');
  const documented = readFileSync('.env.example', 'utf8');
  const missing = Object.keys(envSchema.shape).filter((k) => k !== 'NODE_ENV' && !documented.includes(k));
  expect(missing).toEqual([]);
});

test('scale-out: roles need Redis and a shared avatar service; shards and Slack OAuth are parsed', () => {
  expect(() => parseConfig({ ROLE: 'worker' })).toThrow(/REDIS_URL: required when ROLE=worker/);
  expect(() => parseConfig({ ROLE: 'gateway', REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/AVATAR_API_URL/);
  expect(() => parseConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL/);
  const c = parseConfig({
    ROLE: 'worker',
    REDIS_URL: 'redis://127.0.0.1:6379/2',
    AVATAR_API_URL: 'http://127.0.0.1:9',
    AVATAR_API_KEY: 'k-worker',
    WORKER_LOCK_SECONDS: '2',
  });
  expect(c.role).toBe('worker');
  expect(c.redis).toEqual({ url: 'redis://127.0.0.1:6379/2', concurrency: 50, lockMs: 2000, apiRatePerSecond: 0 });
  expect(parseConfig({}).redis).toBeUndefined();
  expect(parseConfig({}).role).toBe('all');

  expect(parseConfig({ DISCORD_TOKEN: 't', DISCORD_SHARDS: 'auto' }).discord?.shards).toBe('auto');
  expect(parseConfig({ DISCORD_TOKEN: 't', DISCORD_SHARDS: '4' }).discord?.shards).toBe(4);
  expect(parseConfig({ DISCORD_TOKEN: 't' }).discord?.shards).toBeUndefined();
  expect(() => parseConfig({ DISCORD_TOKEN: 't', DISCORD_SHARDS: '0' })).toThrow(/DISCORD_SHARDS/);

  // OAuth is all-or-nothing, and the install key must be long enough to be a key.
  expect(() => parseConfig({ SLACK_CLIENT_ID: '1.2' })).toThrow(/SLACK_CLIENT_SECRET[\s\S]*SLACK_STATE_SECRET[\s\S]*SLACK_INSTALL_KEY/);
  expect(() => parseConfig({ SLACK_INSTALL_KEY: 'short' })).toThrow(/SLACK_INSTALL_KEY/);
  const s = parseConfig({
    SLACK_CLIENT_ID: '1.2',
    SLACK_CLIENT_SECRET: 'cs',
    SLACK_STATE_SECRET: 'ss',
    SLACK_INSTALL_KEY: 'k'.repeat(32),
    SLACK_SIGNING_SECRET: 'sig',
  }).slack;
  expect(s?.botToken).toBeUndefined();
  expect(s?.oauth?.clientId).toBe('1.2');
});

test('the core gets its own shape: the public URL without trailing slashes, the sections as parsed', () => {
  const app = parseConfig({ PUBLIC_URL: 'https://bot.example.org//', LIMIT_PER_PERSON: '3', MAX_IMAGE_MB: '1' });
  const core = coreConfigOf(app);
  expect(core.publicUrl).toBe('https://bot.example.org');
  expect(core.limits.perPerson).toBe(3);
  expect(core.media.maxImageBytes).toBe(1024 * 1024);
  expect(core).not.toHaveProperty('discord');
  expect(core).not.toHaveProperty('playground');
});
