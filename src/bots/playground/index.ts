/**
 * The playground: a local web page where anyone can try the bot with no chat platform and no
 * API key. It is one more adapter of the same core: same job store, same limits, same
 * progress and result messages, delivered to the page by server-sent events.
 */
import type { PassThrough } from 'node:stream';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { Logger } from 'pino';
import type { AppConfig } from '../../config/index.js';
import type { AvatarCore } from '../../core/ports.js';
import type { Router } from '../../http/router.js';
import { createAccess } from './access.js';
import type { PlaygroundContext } from './context.js';
import { ASSET_CSP_DIRECTIVES, pageCspDirectives } from './csp.js';
import { createEventHub } from './event-hub.js';
import { createHandedCache } from './handed-cache.js';
import { createErrorHandler, createGuard, withBrowser } from './guard.js';
import { createCaptionsFileHandler } from './handlers/captions-file.js';
import { createCreateJobHandler } from './handlers/create-job.js';
import { createDeleteJobHandler } from './handlers/delete-job.js';
import { createForgetHandler } from './handlers/forget.js';
import { createInfoHandler } from './handlers/info.js';
import { createJobActionHandler } from './handlers/job-action.js';
import { createJobEventsHandler } from './handlers/job-events.js';
import { createListJobsHandler } from './handlers/list-jobs.js';
import { createListVoicesHandler } from './handlers/list-voices.js';
import { createPageHandler } from './handlers/page.js';
import { createSaveVoiceHandler } from './handlers/save-voice.js';
import { createStaticHandler } from './handlers/static.js';
import { createVideoFileHandler } from './handlers/video-file.js';
import { createVoiceSampleHandler } from './handlers/voice-sample.js';
import { createPlaygroundReply } from './playground-reply.js';
import { staticDir } from './static-dir.js';

export { formatReplyTo, parseReplyTo } from './reply-to.js';
export type { PublicJob } from './job-json.js';

/** The running playground. */
export interface Playground {
  /** Ends the open event streams (the HTTP server itself belongs to the caller). */
  stop(): Promise<void>;
}

/** Room for the form's own bytes (boundaries, part headers) on top of the two files. */
const FORM_MARGIN_BYTES = 64 * 1024;

/** Optional knobs, for tests. */
export interface PlaygroundOptions {
  heartbeatMs?: number;
  uploadTimeoutMs?: number;
}

/**
 * Registers the playground's ChatReply with the core (call before the core's `start()`, so
 * resumed jobs find it) and mounts its routes: GET / (the page), GET /static/*, GET /api/info,
 * GET /api/jobs, POST /api/jobs, GET /api/jobs/events (SSE), POST /api/jobs/:id/cancel,
 * POST /api/jobs/:id/retry, DELETE /api/jobs/:id, GET /api/jobs/:id/video.mp4 and
 * /captions.vtt|.srt (the handed-over files), GET /api/voices, GET /api/voices/:id/sample,
 * PUT /api/voice, POST /api/forget.
 */
export function createPlayground(
  config: AppConfig['playground'],
  deps: { core: AvatarCore; logger: Logger; router: Router },
  options: PlaygroundOptions = {},
): Playground {
  const logger = deps.logger.child({ platform: 'playground' });
  const hub = createEventHub();
  const streams = new Set<PassThrough>();
  const ctx: PlaygroundContext = {
    core: deps.core,
    logger,
    access: createAccess(config.token),
    tokenRequired: config.token !== undefined,
    hub,
    handed: createHandedCache(),
    streams,
    maxBodyBytes: deps.core.limits.imageBytes + deps.core.limits.audioBytes + FORM_MARGIN_BYTES,
    uploadTimeoutMs: options.uploadTimeoutMs ?? 120_000,
    heartbeatMs: options.heartbeatMs ?? 15_000,
  };
  const root = staticDir();

  deps.core.registerReply('playground', createPlaygroundReply(hub, ctx.handed, logger));

  deps.router.mount(async (app) => {
    // Bodies are read by the upload handler only (multipart); any other body is left unread.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    await app.register(fastifyMultipart);
    await app.register(fastifyCookie);
    await app.register(fastifyHelmet, {
      contentSecurityPolicy: { useDefaults: false, directives: pageCspDirectives(deps.core.preview) },
      // Plain HTTP on loopback by default: HSTS would say nothing true.
      strictTransportSecurity: false,
      xFrameOptions: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
    });
    await app.register(fastifyStatic, { root, serve: false, cacheControl: false, etag: false, lastModified: false });
    app.addHook('onRequest', createGuard(ctx));
    app.setErrorHandler(createErrorHandler(ctx));

    app.get('/', withBrowser(createPageHandler()));
    app.get(
      '/static/:name',
      { helmet: { contentSecurityPolicy: { useDefaults: false, directives: ASSET_CSP_DIRECTIVES } } },
      withBrowser(createStaticHandler()),
    );
    app.get('/api/info', withBrowser(createInfoHandler(ctx)));
    app.get('/api/jobs', withBrowser(createListJobsHandler(ctx)));
    app.get('/api/jobs/events', withBrowser(createJobEventsHandler(ctx)));
    app.post('/api/jobs', withBrowser(createCreateJobHandler(ctx)));
    app.post('/api/jobs/*', withBrowser(createJobActionHandler(ctx)));
    app.delete('/api/jobs/:id', withBrowser(createDeleteJobHandler(ctx)));
    app.get('/api/jobs/:id/video.mp4', withBrowser(createVideoFileHandler(ctx)));
    app.get('/api/jobs/:id/captions.vtt', withBrowser(createCaptionsFileHandler(ctx, 'vtt')));
    app.get('/api/jobs/:id/captions.srt', withBrowser(createCaptionsFileHandler(ctx, 'srt')));
    app.get('/api/voices', withBrowser(createListVoicesHandler(ctx)));
    app.get('/api/voices/:id/sample', withBrowser(createVoiceSampleHandler(ctx)));
    app.put('/api/voice', withBrowser(createSaveVoiceHandler(ctx)));
    app.post('/api/forget', withBrowser(createForgetHandler(ctx)));
  });

  logger.info({ tokenRequired: ctx.tokenRequired, preview: deps.core.preview }, 'playground mounted');

  return {
    async stop() {
      for (const stream of [...streams]) stream.end();
      streams.clear();
    },
  };
}
