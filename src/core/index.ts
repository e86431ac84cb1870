/**
 * Builds the core from configuration: the store, the avatar API client, media preparation and
 * the job engine, exposed to adapters as one `AvatarCore`. It knows no chat platform.
 */
import type { Logger } from 'pino';
import type { CoreConfig } from './config.js';
import { createAvatarApi } from './avatar-api.js';
import { createJobEngine, type JobEngine } from './jobs/engine.js';
import { resolveFfmpeg } from './media/ffmpeg-binary.js';
import type { MediaConfig } from './media/index.js';
import { createPooledPreparer } from './media/pool.js';
import { createLimiter } from './limiter.js';
import { createVoiceShelf } from './voices/shelf.js';
import { checkSpokenText } from './jobs/speech.js';
import { createConsentDesk } from './consent.js';
import { loadMedia } from './media-input.js';
import type { AvatarCore, ChatReply } from './ports.js';
import { defaultPollPlan } from './schedule/policy.js';
import type { JobStore } from './store/port.js';
import { openRedisJobStore } from './store/redis/store.js';
import { redisWhere } from './store/redis/where.js';
import { openJobStore } from './store/sqlite/store.js';
import { createBullScheduler } from './schedule/bullmq.js';
import { createLocalScheduler } from './schedule/local.js';
import type { JobScheduler } from './schedule/port.js';
import { Redis } from 'ioredis';

/** Every Redis key of the bot starts with this (BullMQ's under `<prefix>bull`). */
export const REDIS_PREFIX = 'tab:';

export interface CoreDeps {
  logger: Logger;
  /**
   * Where the avatar service is, when `config.avatar.apiUrl` is undefined (main.ts starts the
   * local preview server and passes its URL here), and whether it is the preview.
   */
  avatar?: { url: string; preview: boolean };
}

export interface CoreHandle {
  core: AvatarCore;
  engine: JobEngine;
  store: JobStore;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The media limits of a configuration, as media preparation takes them (the bot and the CLI share them). */
export function mediaConfigOf(config: CoreConfig): Partial<MediaConfig> {
  const m = config.media;
  return {
    maxImageBytes: m.maxImageBytes,
    maxAudioBytes: m.maxAudioBytes,
    maxAudioSeconds: m.maxAudioSeconds,
    minAudioSeconds: m.minAudioSeconds,
    maxImagePixels: m.maxImagePixels,
    imageMaxSide: m.imageMaxSide,
    audioFormat: m.audioFormat,
    ffmpegLimits: config.ffmpeg.limits,
  };
}

export function createCore(config: CoreConfig, deps: CoreDeps): CoreHandle {
  const logger = deps.logger;
  const url = config.avatar.apiUrl ?? deps.avatar?.url;
  if (url === undefined) throw new Error('createCore: no avatar service URL (start the local preview server first)');
  const preview = config.avatar.apiUrl === undefined ? (deps.avatar?.preview ?? true) : false;
  // One process: SQLite and a timer heap. Replicas: Redis for both, shared by every process.
  let store: JobStore;
  let scheduler: JobScheduler;
  let redis: Redis | undefined;
  let lastRedisError = '';
  if (config.redis === undefined) {
    store = openJobStore(config.dataDir);
    scheduler = createLocalScheduler();
  } else {
    redis = new Redis(config.redis.url, { maxRetriesPerRequest: 3, lazyConnect: false });
    redis.on('error', (err: Error) => {
      lastRedisError = err.message;
      logger.warn({ err: err.message }, 'redis connection error');
    });
    store = openRedisJobStore(redis, { prefix: REDIS_PREFIX });
    scheduler = createBullScheduler(
      {
        url: config.redis.url,
        prefix: `${REDIS_PREFIX}bull`,
        process: config.role !== 'gateway',
        concurrency: config.redis.concurrency,
        lockMs: config.redis.lockMs,
        apiRatePerSecond: config.redis.apiRatePerSecond,
      },
      { logger: logger.child({ component: 'tasks' }) },
    );
  }
  const api = createAvatarApi(
    { baseUrl: url, apiKey: config.avatar.apiKey, requestTimeoutMs: config.avatar.requestTimeoutMs },
    { logger: logger.child({ component: 'avatar-api' }) },
  );
  // Memoised: the app resolved (and logged) the same choice before; a bad FFMPEG_PATH throws here.
  const ffmpeg = resolveFfmpeg({ configured: config.ffmpeg.path, limits: config.ffmpeg.limits });
  // sharp and ffmpeg run on worker threads, never on this event loop, which must stay free for
  // platform acknowledgements (BENCHMARKS.md, figure 1).
  const media = createPooledPreparer(mediaConfigOf(config), {
    ffmpegPath: ffmpeg.path,
    size: config.media.concurrency,
    logger: logger.child({ component: 'media' }),
  });
  // 200 requests at once must not mean 200 downloads held in memory and 200 ffmpeg processes.
  // One limiter for all intake: jobs and saved faces. Never nest runs of it (that would deadlock).
  const intake = createLimiter(config.media.concurrency);
  const voices = createVoiceShelf(
    { ttlMs: config.speech.voiceListTtlMs, defaultVoiceId: config.speech.defaultVoiceId },
    { api, store, logger: logger.child({ component: 'voices' }) },
  );
  const limits = {
    imageBytes: config.media.maxImageBytes,
    audioBytes: config.media.maxAudioBytes,
    audioSeconds: config.media.maxAudioSeconds,
    textChars: config.speech.textMaxChars,
  };
  const consent = createConsentDesk(config.faceConsent, store, Date.now);
  const engine = createJobEngine(
    {
      timeoutMs: config.avatar.timeoutMs,
      poll: {
        ...defaultPollPlan,
        firstMs: config.avatar.pollFirstMs,
        maxIntervalMs: config.avatar.pollMaxIntervalMs,
        minIntervalMs: Math.min(defaultPollPlan.minIntervalMs, config.avatar.pollMaxIntervalMs),
      },
      renderRatio: config.avatar.renderRatio,
      retentionMs: config.media.retentionMs,
      jobRetentionMs: config.jobRetentionMs,
      limits: config.limits,
      media: limits,
      publicUrl: config.publicUrl,
      webhookFallbackMs: config.avatar.webhookFallbackMs,
      preview,
      sweepMs: Math.max(2 * (config.redis?.lockMs ?? 30_000), 1000),
      handover: {
        ...config.handover,
        // Named in the video's tags: which service made it (never a key or a path).
        service: preview ? 'the local preview server' : new URL(url).host,
        fetchTimeoutMs: config.avatar.requestTimeoutMs,
      },
    },
    { store, scheduler, api, media, intake, voices, consent, logger: logger.child({ component: 'jobs' }) },
  );

  const core: AvatarCore = {
    jobs: engine,
    faces: {
      get: (platform, userId) => store.getFace(platform, userId),
      async save(platform, userId, input) {
        const img = await intake.run(async () => media.prepareImage(await loadMedia('image', input, config.media.maxImageBytes)));
        await store.saveFace(platform, userId, img.data, Date.now());
      },
      clear: (platform, userId) => store.clearFace(platform, userId),
    },
    voices,
    consent,
    dedupe: {
      claim: (key, ttlMs) => store.claimKey(key, ttlMs, Date.now()),
    },
    secrets: store.installations,
    quota: (platform, requesterId, groupId) => engine.quota(platform, requesterId, groupId),
    checkText: (text) => checkSpokenText(text, limits.textChars),
    sniff: (bytes) => media.sniff(bytes),
    registerReply: (platform: string, reply: ChatReply) => engine.registerReply(platform, reply),
    preview,
    limits,
  };

  let stopped = false;
  return {
    core,
    engine,
    store,
    async start() {
      // Say plainly what is wrong instead of ioredis' "max retries per request".
      if (config.redis !== undefined && !(await store.ping())) {
        const why = lastRedisError === '' ? '' : ` (${lastRedisError})`;
        throw new Error(`Redis at ${redisWhere(config.redis.url)} did not answer${why}: is it running, and is REDIS_URL right?`);
      }
      await engine.start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await engine.stop();
      await media.stop();
      await store.close();
      if (redis !== undefined) await redis.quit().catch(() => redis?.disconnect());
    },
  };
}
