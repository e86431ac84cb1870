/**
 * The only place that reads process.env. dotenv loads `.env` (never overriding real
 * environment variables), then one zod schema validates everything; a bad or missing value
 * stops start-up with every problem listed by variable name. Secrets are never echoed.
 */
import { config as loadDotenv } from 'dotenv';
import { availableParallelism } from 'node:os';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === 'on');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const optionalUrl = optionalString.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), {
  message: 'must be an http(s) URL',
});

const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );

const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);
const num = (min: number, max: number, fallback: number) => z.coerce.number().min(min).max(max).default(fallback);

const MB = 1024 * 1024;

export const envSchema = z.object({
  NODE_ENV: z.string().default('production'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: int(0, 65535, 3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: optionalUrl,
  DATA_DIR: z.string().default('./data'),

  ROLE: z.enum(['all', 'gateway', 'worker']).default('all'),
  REDIS_URL: optionalString.refine((v) => v === undefined || /^rediss?:\/\/[^\s]+$/.test(v), {
    message: 'must be a redis:// or rediss:// URL',
  }),
  WORKER_CONCURRENCY: int(1, 1000, 50),
  WORKER_LOCK_SECONDS: num(1, 600, 30),
  AVATAR_RATE_LIMIT_PER_SECOND: num(0, 10000, 0),

  AVATAR_API_URL: optionalUrl,
  AVATAR_API_KEY: optionalString,
  AVATAR_TIMEOUT_SECONDS: int(2, 600, 600),
  AVATAR_REQUEST_TIMEOUT_SECONDS: num(1, 300, 60),
  AVATAR_POLL_MAX_INTERVAL_SECONDS: num(0.2, 60, 10),
  AVATAR_POLL_FIRST_SECONDS: num(0.05, 30, 1.5),
  AVATAR_RENDER_RATIO: num(0.01, 100, 1.5),
  AVATAR_WEBHOOK_FALLBACK_POLL_SECONDS: num(0.1, 600, 30),

  MAX_IMAGE_MB: num(0.01, 200, 20),
  MAX_AUDIO_MB: num(0.01, 200, 25),
  MAX_AUDIO_SECONDS: num(1, 3600, 300),
  MIN_AUDIO_SECONDS: num(0, 60, 0.3),
  MAX_IMAGE_PIXELS: int(1_000_000, 1_000_000_000, 100_000_000),
  IMAGE_MAX_SIDE: int(64, 8192, 1024),
  AUDIO_FORMAT: z.enum(['wav', 'mp3']).default('wav'),
  MEDIA_RETENTION_HOURS: num(0, 24 * 30, 24),
  MEDIA_CONCURRENCY: int(1, 64, availableParallelism()),

  LIMIT_PER_PERSON: int(1, 1000, 2),
  LIMIT_PER_GROUP: int(1, 10000, 10),
  LIMIT_IN_FLIGHT: int(1, 10000, 20),
  QUEUE_MAX: int(1, 100000, 100),
  QUOTA_PER_PERSON_DAILY: int(0, 1_000_000, 0),
  QUOTA_PER_GROUP_DAILY: int(0, 1_000_000, 0),

  DISCORD_TOKEN: optionalString,
  DISCORD_API_URL: optionalUrl,
  DISCORD_MESSAGE_CONTENT: bool.default(false),
  DISCORD_TOKEN_TTL_SECONDS: int(1, 900, 840),
  DISCORD_ALLOWED_CHANNELS: list,
  DISCORD_ALLOWED_ROLES: list,
  DISCORD_SHARDS: optionalString.refine((v) => v === undefined || v === 'auto' || /^[1-9][0-9]{0,4}$/.test(v), {
    message: "must be 'auto' or a whole number of shards",
  }),

  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: optionalUrl,
  SLACK_UPLOAD_MAX_MB: num(0, 1000, 50),
  SLACK_ALLOWED_CHANNELS: list,
  SLACK_CLIENT_ID: optionalString,
  SLACK_CLIENT_SECRET: optionalString,
  SLACK_STATE_SECRET: optionalString,
  SLACK_INSTALL_KEY: optionalString.refine((v) => v === undefined || v.length >= 32, {
    message: 'must be at least 32 characters (e.g. openssl rand -base64 32)',
  }),

  PLAYGROUND: z.enum(['on', 'off', 'auto']).default('auto'),
  PLAYGROUND_TOKEN: optionalString,
});

export type Env = z.infer<typeof envSchema>;

/** The typed configuration every part of the bot receives. */
export interface AppConfig {
  logLevel: Env['LOG_LEVEL'];
  /** all: one process does everything; gateway: platforms in, jobs enqueued; worker: jobs run and answered. */
  role: 'all' | 'gateway' | 'worker';
  /** Set: jobs, schedules, limits, dedupe and installs live in Redis (BullMQ); unset: SQLite in DATA_DIR. */
  redis:
    | {
        url: string;
        /** BullMQ worker concurrency (submits, polls and deliveries at once per process). */
        concurrency: number;
        /** A task held this long by a dead worker is handed to another (BullMQ stalled-job lock). */
        lockMs: number;
        /** Submits per second to the avatar service across all workers; 0: no limit. */
        apiRatePerSecond: number;
      }
    | undefined;
  http: { port: number; host: string; publicUrl: string | undefined };
  dataDir: string;
  avatar: {
    /** undefined: start the local preview server in-process. */
    apiUrl: string | undefined;
    apiKey: string | undefined;
    timeoutMs: number;
    requestTimeoutMs: number;
    pollMaxIntervalMs: number;
    pollFirstMs: number;
    /** Default seconds of rendering per second of audio, before any job was measured. */
    renderRatio: number;
    /** With PUBLIC_URL (webhooks): the safety-net poll interval. */
    webhookFallbackMs: number;
  };
  media: {
    maxImageBytes: number;
    maxAudioBytes: number;
    maxAudioSeconds: number;
    minAudioSeconds: number;
    /** Decompression-bomb guard: images whose header claims more pixels are refused undecoded. */
    maxImagePixels: number;
    imageMaxSide: number;
    audioFormat: 'wav' | 'mp3';
    retentionMs: number;
    /** Requests downloaded and prepared at once: more than the cores only starves the event loop. */
    concurrency: number;
  };
  limits: {
    perPerson: number;
    perGroup: number;
    inFlight: number;
    queueMax: number;
    quotaPerPersonDaily: number;
    quotaPerGroupDaily: number;
  };
  discord:
    | {
        token: string;
        apiUrl: string | undefined;
        messageContent: boolean;
        tokenTtlMs: number;
        allowedChannels: string[];
        allowedRoles: string[];
        /** discord.js sharding: 'auto' asks Discord how many; undefined: one shard. */
        shards: 'auto' | number | undefined;
      }
    | undefined;
  slack:
    | {
        /** One workspace: its bot token. Undefined when installs come through OAuth only. */
        botToken: string | undefined;
        /** Many workspaces: Bolt's OAuth flow at /slack/install, tokens encrypted at rest with installKey. */
        oauth: { clientId: string; clientSecret: string; stateSecret: string; installKey: string } | undefined;
        signingSecret: string;
        appToken: string | undefined;
        apiUrl: string | undefined;
        uploadMaxBytes: number;
        allowedChannels: string[];
      }
    | undefined;
  playground: { enabled: boolean; token: string | undefined };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** Parses an environment (process.env by default) into AppConfig; throws ConfigError listing every problem. */
export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    // Name the variable and the rule, never the value: it may be a secret.
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.SLACK_BOT_TOKEN !== undefined && e.SLACK_SIGNING_SECRET === undefined && e.SLACK_APP_TOKEN === undefined) {
    problems.push('SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  const oauthVars = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_INSTALL_KEY', 'SLACK_SIGNING_SECRET'] as const;
  if (e.SLACK_CLIENT_ID !== undefined) {
    for (const name of oauthVars) if (e[name] === undefined) problems.push(`${name}: required when SLACK_CLIENT_ID is set (Slack installs through OAuth)`);
  }
  if (e.SLACK_CLIENT_ID !== undefined && e.SLACK_APP_TOKEN !== undefined) {
    problems.push('SLACK_APP_TOKEN: Socket Mode cannot serve the OAuth install pages; unset it when SLACK_CLIENT_ID is set');
  }
  if (e.ROLE !== 'all' && e.REDIS_URL === undefined) {
    problems.push(`REDIS_URL: required when ROLE=${e.ROLE} (replicas share jobs through Redis)`);
  }
  if (e.ROLE !== 'all' && e.AVATAR_API_URL === undefined && e.AVATAR_API_KEY === undefined) {
    // The local preview server lives inside one process: a task polled by another replica would not exist there.
    problems.push(`AVATAR_API_URL: required when ROLE=${e.ROLE} (the built-in preview server only serves one process)`);
  }
  const publicHost = !isLoopback(e.HOST);
  if (e.PLAYGROUND === 'on' && publicHost && e.PLAYGROUND_TOKEN === undefined) {
    problems.push('PLAYGROUND_TOKEN: required when PLAYGROUND=on and HOST is not a loopback address');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    logLevel: e.LOG_LEVEL,
    role: e.ROLE,
    redis:
      e.REDIS_URL === undefined
        ? undefined
        : {
            url: e.REDIS_URL,
            concurrency: e.WORKER_CONCURRENCY,
            lockMs: Math.round(e.WORKER_LOCK_SECONDS * 1000),
            apiRatePerSecond: e.AVATAR_RATE_LIMIT_PER_SECOND,
          },
    http: { port: e.PORT, host: e.HOST, publicUrl: e.PUBLIC_URL?.replace(/\/+$/, '') },
    dataDir: e.DATA_DIR,
    avatar: {
      // No key: the local preview server, unless a URL was given explicitly (a self-hosted service).
      apiUrl: e.AVATAR_API_URL ?? (e.AVATAR_API_KEY !== undefined ? 'https://mirako.co' : undefined),
      apiKey: e.AVATAR_API_KEY,
      timeoutMs: e.AVATAR_TIMEOUT_SECONDS * 1000,
      requestTimeoutMs: e.AVATAR_REQUEST_TIMEOUT_SECONDS * 1000,
      pollMaxIntervalMs: e.AVATAR_POLL_MAX_INTERVAL_SECONDS * 1000,
      pollFirstMs: e.AVATAR_POLL_FIRST_SECONDS * 1000,
      renderRatio: e.AVATAR_RENDER_RATIO,
      webhookFallbackMs: e.AVATAR_WEBHOOK_FALLBACK_POLL_SECONDS * 1000,
    },
    media: {
      maxImageBytes: Math.round(e.MAX_IMAGE_MB * MB),
      maxAudioBytes: Math.round(e.MAX_AUDIO_MB * MB),
      maxAudioSeconds: e.MAX_AUDIO_SECONDS,
      minAudioSeconds: e.MIN_AUDIO_SECONDS,
      maxImagePixels: e.MAX_IMAGE_PIXELS,
      imageMaxSide: e.IMAGE_MAX_SIDE,
      audioFormat: e.AUDIO_FORMAT,
      retentionMs: e.MEDIA_RETENTION_HOURS * 3600_000,
      concurrency: e.MEDIA_CONCURRENCY,
    },
    limits: {
      perPerson: e.LIMIT_PER_PERSON,
      perGroup: e.LIMIT_PER_GROUP,
      inFlight: e.LIMIT_IN_FLIGHT,
      queueMax: e.QUEUE_MAX,
      quotaPerPersonDaily: e.QUOTA_PER_PERSON_DAILY,
      quotaPerGroupDaily: e.QUOTA_PER_GROUP_DAILY,
    },
    discord:
      e.DISCORD_TOKEN === undefined
        ? undefined
        : {
            token: e.DISCORD_TOKEN,
            apiUrl: e.DISCORD_API_URL?.replace(/\/+$/, ''),
            messageContent: e.DISCORD_MESSAGE_CONTENT,
            tokenTtlMs: e.DISCORD_TOKEN_TTL_SECONDS * 1000,
            allowedChannels: e.DISCORD_ALLOWED_CHANNELS,
            allowedRoles: e.DISCORD_ALLOWED_ROLES,
            shards: e.DISCORD_SHARDS === undefined ? undefined : e.DISCORD_SHARDS === 'auto' ? 'auto' : Number(e.DISCORD_SHARDS),
          },
    slack:
      e.SLACK_BOT_TOKEN === undefined && e.SLACK_CLIENT_ID === undefined
        ? undefined
        : {
            botToken: e.SLACK_BOT_TOKEN,
            oauth:
              e.SLACK_CLIENT_ID === undefined
                ? undefined
                : {
                    clientId: e.SLACK_CLIENT_ID,
                    clientSecret: e.SLACK_CLIENT_SECRET ?? '',
                    stateSecret: e.SLACK_STATE_SECRET ?? '',
                    installKey: e.SLACK_INSTALL_KEY ?? '',
                  },
            signingSecret: e.SLACK_SIGNING_SECRET ?? '',
            appToken: e.SLACK_APP_TOKEN,
            apiUrl: e.SLACK_API_URL,
            uploadMaxBytes: Math.round(e.SLACK_UPLOAD_MAX_MB * MB),
            allowedChannels: e.SLACK_ALLOWED_CHANNELS,
          },
    playground: {
      enabled: e.PLAYGROUND === 'on' || (e.PLAYGROUND === 'auto' && (!publicHost || e.PLAYGROUND_TOKEN !== undefined)),
      token: e.PLAYGROUND_TOKEN,
    },
  };
}

/** Loads `.env` (if present) and parses process.env. */
export function loadConfig(): AppConfig {
  loadDotenv({ quiet: true });
  return parseConfig(process.env);
}
