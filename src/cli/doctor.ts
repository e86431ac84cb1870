/**
 * `talking-avatar doctor`: checks the configuration and, where tokens are set, calls each
 * service once (avatar API key, Discord token, Slack auth.test), printing what is wrong in
 * plain words. Never prints a secret.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { Redis } from 'ioredis';
import { request } from 'undici';
import type { AppConfig } from '../config/index.js';
import { createAvatarApi } from '../core/avatar-api.js';
import { toAvatarError } from '../core/errors.js';
import { describeFfmpeg, resolveFfmpeg } from '../core/media/ffmpeg-binary.js';
import { redisWhere } from '../core/store/redis/where.js';
import type { CliIo } from './render.js';

interface Check {
  name: string;
  /** Resolves with an OK line (or a warning: it works, but should be fixed); throws with a problem. */
  run(): Promise<string | { warn: string }>;
}

const TIMEOUT = 10_000;

/** Plain words for a data folder that cannot be used (Node's own message names only the syscall). */
function dataDirProblem(dir: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOTDIR' || code === 'EEXIST') return `DATA_DIR ${dir} cannot be a folder: a file is in the way. Set DATA_DIR to a folder`;
  if (code === 'EACCES' || code === 'EPERM') {
    return `DATA_DIR ${dir} is not writable by this user: fix its permissions or choose another folder`;
  }
  if (code === 'EROFS') return `DATA_DIR ${dir} is on a read-only file system: choose a writable folder`;
  return `DATA_DIR ${dir} cannot be used (${code ?? (err instanceof Error ? err.message : String(err))})`;
}

function redisCheck(url: string, role: AppConfig['role']): Check {
  return {
    name: 'redis',
    async run() {
      const where = redisWhere(url);
      const redis = new Redis(url, { lazyConnect: true, connectTimeout: TIMEOUT, maxRetriesPerRequest: 0, retryStrategy: () => null });
      redis.on('error', () => undefined); // reported below, in words
      try {
        await redis.connect();
        const pong = await redis.ping();
        if (pong !== 'PONG') throw new Error(`Redis at ${where} answered ${pong} to PING`);
        return `${where} answered PING (ROLE=${role}: jobs, schedules and limits live there)`;
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        if (/NOAUTH|WRONGPASS/i.test(msg)) throw new Error(`Redis at ${where} refused the password in REDIS_URL`);
        const why = msg.replace(/redis:\/\/[^\s]*/g, 'REDIS_URL');
        throw new Error(`Redis at ${where} did not answer (${why}): is it running, and is REDIS_URL right?`);
      } finally {
        redis.disconnect();
      }
    },
  };
}

function doctorChecks(config: AppConfig): Check[] {
  const checks: Check[] = [
    {
      name: 'data folder',
      async run() {
        if (config.redis !== undefined) return 'not used: REDIS_URL is set';
        try {
          mkdirSync(config.dataDir, { recursive: true });
          accessSync(config.dataDir, constants.W_OK);
        } catch (err) {
          throw new Error(dataDirProblem(config.dataDir, err));
        }
        return `${config.dataDir} is writable`;
      },
    },
    {
      name: 'ffmpeg',
      async run() {
        const { path, limits } = config.ffmpeg;
        const ffmpeg = resolveFfmpeg({ configured: path, limits });
        const line = describeFfmpeg(ffmpeg, limits);
        return ffmpeg.warning === undefined ? line : { warn: `${line}: ${ffmpeg.warning}` };
      },
    },
    {
      name: 'avatar service',
      async run() {
        if (config.avatar.apiUrl === undefined) return 'no AVATAR_API_KEY: the local preview server will be used (a rough offline preview)';
        const { apiUrl, apiKey } = config.avatar;
        const api = createAvatarApi({ baseUrl: apiUrl, apiKey, requestTimeoutMs: TIMEOUT, maxRetries: 0 });
        try {
          await api.status('doctor-check-unknown-task');
          return `${config.avatar.apiUrl} answered`;
        } catch (err) {
          const e = toAvatarError(err);
          // An unknown task answered 404 proves the key was accepted.
          if (e.code === 'API_NOT_FOUND') return `${config.avatar.apiUrl} accepted the API key`;
          if (e.code === 'API_AUTH') throw new Error('the avatar service refused AVATAR_API_KEY (401/403): check the key');
          throw new Error(`the avatar service at ${config.avatar.apiUrl} did not answer properly: ${e.message}`);
        }
      },
    },
  ];
  if (config.redis !== undefined) checks.push(redisCheck(config.redis.url, config.role));
  const discord = config.discord;
  if (discord !== undefined) {
    checks.push({
      name: 'discord',
      async run() {
        const base = discord.apiUrl ?? 'https://discord.com/api';
        const res = await request(`${base}/v10/users/@me`, {
          headers: { authorization: `Bot ${discord.token}` },
          headersTimeout: TIMEOUT,
          bodyTimeout: TIMEOUT,
        });
        const body = (await res.body.json().catch(() => ({}))) as { username?: string };
        if (res.statusCode === 401) {
          throw new Error('Discord refused DISCORD_TOKEN (401): copy the bot token again from the Developer Portal');
        }
        if (res.statusCode !== 200) throw new Error(`Discord answered ${res.statusCode}`);
        return `logged in as ${body.username ?? 'the bot'}`;
      },
    });
  }
  const slack = config.slack;
  if (slack !== undefined) {
    checks.push({
      name: 'slack',
      async run() {
        if (slack.botToken === undefined) return 'many workspaces (OAuth): each install brings its own token through /slack/install';
        const base = (slack.apiUrl ?? 'https://slack.com/api/').replace(/\/?$/, '/');
        const res = await request(`${base}auth.test`, {
          method: 'POST',
          headers: { authorization: `Bearer ${slack.botToken}` },
          headersTimeout: TIMEOUT,
          bodyTimeout: TIMEOUT,
        });
        const body = (await res.body.json().catch(() => ({}))) as { ok?: boolean; error?: string; team?: string; user?: string };
        if (body.ok !== true) throw new Error(`Slack auth.test failed: ${body.error ?? `HTTP ${res.statusCode}`} (check SLACK_BOT_TOKEN)`);
        if (slack.appToken === undefined && slack.signingSecret === '') throw new Error('SLACK_SIGNING_SECRET is missing');
        return `logged in as ${body.user ?? 'the bot'} in ${body.team ?? 'the workspace'}`;
      },
    });
  }
  return checks;
}

export async function runDoctor(config: AppConfig, io: CliIo): Promise<number> {
  let failed = 0;
  let warned = 0;
  for (const check of doctorChecks(config)) {
    try {
      const result = await check.run();
      if (typeof result === 'string') io.out(`ok    ${check.name}: ${result}`);
      else {
        warned += 1;
        io.out(`WARN  ${check.name}: ${result.warn}`);
      }
    } catch (err) {
      failed += 1;
      io.out(`FAIL  ${check.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const warnings = warned === 0 ? '' : ` ${warned} warning(s) to look at.`;
  if (failed > 0) io.out(`${failed} problem(s) found.${warnings}`);
  else io.out(warned === 0 ? 'Everything looks right.' : `Everything works.${warnings}`);
  return failed === 0 ? 0 : 1;
}
