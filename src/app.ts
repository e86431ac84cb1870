/**
 * Wiring only: config -> logger -> HTTP server -> (local preview server) -> core -> enabled
 * bots. The only module that imports both the core and the bots. main.ts runs it with signals;
 * tests run it in-process or as a child process.
 */
import type { Logger } from 'pino';
import { coreConfigOf, type AppConfig } from './config/index.js';
import { createCore, type CoreHandle } from './core/index.js';
import { logFfmpegChoice, resolveFfmpeg } from './core/media/ffmpeg-binary.js';
import { createHttpServer, type HttpServer } from './http/server.js';
import { mountWebhookRoute } from './http/webhook-route.js';
import { createPreviewAvatarServer, type PreviewAvatarServer } from './preview-avatar/index.js';
import { createDiscordBot } from './bots/discord/index.js';
import { createSlackBot } from './bots/slack/index.js';
import { createPlayground } from './bots/playground/index.js';
import { createMetrics } from './ops/metrics.js';
import { mountMetricsRoute } from './ops/metrics-route.js';

export interface App {
  http: HttpServer;
  core: CoreHandle;
  /** The local preview server, started when no avatar API is configured. */
  preview: PreviewAvatarServer | undefined;
  url: string;
  enabled: string[];
  /** Stops taking new work, lets HTTP requests finish, stops the core and closes the store. */
  stop(): Promise<void>;
}

interface Part {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  isReady(): boolean;
}

export async function startApp(config: AppConfig, logger: Logger): Promise<App> {
  const http = createHttpServer({ port: config.http.port, host: config.http.host }, { logger: logger.child({ component: 'http' }) });
  // Chosen once, before anything parses a file; a bad FFMPEG_PATH stops the start here.
  const ffmpeg = resolveFfmpeg({ configured: config.ffmpeg.path, limits: config.ffmpeg.limits });
  logFfmpegChoice(logger, ffmpeg, config.ffmpeg.limits);
  let preview: PreviewAvatarServer | undefined;
  if (config.avatar.apiUrl === undefined) {
    const previewLogger = logger.child({ component: 'preview-server' });
    preview = createPreviewAvatarServer({ logger: previewLogger, ffmpegPath: ffmpeg.path, ffmpegLimits: config.ffmpeg.limits });
    await preview.start();
  }
  const core = createCore(coreConfigOf(config), {
    logger,
    ...(preview === undefined ? {} : { avatar: { url: preview.url, preview: true } }),
  });
  mountWebhookRoute(http, core.engine, { logger: logger.child({ component: 'webhook' }) });
  const metrics = createMetrics({ engine: core.engine, store: core.store });
  mountMetricsRoute(http, metrics, { logger: logger.child({ component: 'metrics' }) });

  // A worker answers through the platforms' REST APIs only: the Discord gateway and the Slack
  // endpoint belong to the gateway role (ROLE=all holds both).
  const listen = config.role !== 'worker';
  const parts: Part[] = [];
  if (config.discord !== undefined) {
    const bot = createDiscordBot(config.discord, { core: core.core, logger, listen });
    parts.push({ name: 'discord', ...bot, stop: () => bot.stop(), start: () => bot.start(), isReady: () => bot.isReady() });
  }
  if (config.slack !== undefined) {
    const bot = createSlackBot(config.slack, { core: core.core, logger, router: http, listen });
    parts.push({ name: 'slack', start: () => bot.start(), stop: () => bot.stop(), isReady: () => bot.isReady() });
  }
  // Its live page follows jobs through this process's events: only where jobs run in-process.
  if (config.playground.enabled && config.role === 'all') {
    const pg = createPlayground(config.playground, { core: core.core, logger, router: http });
    parts.push({ name: 'playground', start: async () => undefined, stop: () => pg.stop(), isReady: () => true });
  }

  let ready = false;
  http.mount(async (app) => {
    app.get('/healthz', async () => ({ ok: true }));
    app.get('/readyz', async (_request, reply) => {
      // "Store open" is proven by a cheap query (SQLite) or a PING (Redis), not assumed from a flag.
      const checks: Record<string, boolean> = { store: ready && (await core.store.ping().catch(() => false)) };
      for (const p of parts) checks[p.name] = p.isReady();
      const ok = Object.values(checks).every(Boolean);
      return reply.code(ok ? 200 : 503).send({ ok, checks });
    });
  });
  await http.ready();

  await core.start();
  const { url } = await http.listen();
  ready = true;
  for (const p of parts) await p.start();

  let stopping: Promise<void> | undefined;
  return {
    http,
    core,
    preview,
    url,
    enabled: parts.map((p) => p.name),
    stop() {
      stopping ??= (async () => {
        ready = false;
        // New work first: the bots stop taking events; then HTTP drains; then the core.
        await Promise.allSettled(parts.map((p) => p.stop()));
        await http.close(5000);
        metrics.stop();
        await core.stop();
        await preview?.close();
      })();
      return stopping;
    },
  };
}
