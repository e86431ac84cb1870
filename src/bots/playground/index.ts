/**
 * The playground: a local web page where anyone can try the bot with no chat platform and no
 * API key. It is one more adapter of the same core: same job store, same limits, same
 * progress and result messages, delivered to the page by server-sent events.
 */
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { AppConfig } from '../../config/index.js';
import type { AvatarCore } from '../../core/ports.js';
import type { Router } from '../../http/router.js';
import { createAccess } from './access.js';
import type { PlaygroundContext } from './context.js';
import { createEventHub } from './event-hub.js';
import { guard } from './guard.js';
import { createCreateJobHandler } from './handlers/create-job.js';
import { createForgetHandler } from './handlers/forget.js';
import { createInfoHandler } from './handlers/info.js';
import { createJobActionHandler } from './handlers/job-action.js';
import { createJobEventsHandler } from './handlers/job-events.js';
import { createListJobsHandler } from './handlers/list-jobs.js';
import { createPageHandler } from './handlers/page.js';
import { createStaticHandler } from './handlers/static.js';
import { createPlaygroundReply } from './playground-reply.js';
import { loadAssets } from './static-files.js';

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
 * POST /api/jobs/:id/retry, POST /api/forget.
 */
export function createPlayground(
  config: AppConfig['playground'],
  deps: { core: AvatarCore; logger: Logger; router: Router },
  options: PlaygroundOptions = {},
): Playground {
  const logger = deps.logger.child({ platform: 'playground' });
  const hub = createEventHub();
  const streams = new Set<ServerResponse>();
  const ctx: PlaygroundContext = {
    core: deps.core,
    logger,
    access: createAccess(config.token),
    tokenRequired: config.token !== undefined,
    hub,
    assets: loadAssets(),
    streams,
    maxBodyBytes: deps.core.limits.imageBytes + deps.core.limits.audioBytes + FORM_MARGIN_BYTES,
    uploadTimeoutMs: options.uploadTimeoutMs ?? 120_000,
    heartbeatMs: options.heartbeatMs ?? 15_000,
  };

  deps.core.registerReply('playground', createPlaygroundReply(hub, logger));

  const { router } = deps;
  router.add('GET', '/', guard(ctx, createPageHandler(ctx)));
  router.add('GET', '/static/*', guard(ctx, createStaticHandler(ctx)));
  router.add('GET', '/api/info', guard(ctx, createInfoHandler(ctx)));
  router.add('GET', '/api/jobs', guard(ctx, createListJobsHandler(ctx)));
  router.add('GET', '/api/jobs/events', guard(ctx, createJobEventsHandler(ctx)));
  router.add('POST', '/api/jobs', guard(ctx, createCreateJobHandler(ctx)));
  router.add('POST', '/api/jobs/*', guard(ctx, createJobActionHandler(ctx)));
  router.add('POST', '/api/forget', guard(ctx, createForgetHandler(ctx)));

  logger.info({ tokenRequired: ctx.tokenRequired, preview: deps.core.preview }, 'playground mounted');

  return {
    async stop() {
      for (const res of [...streams]) res.end();
      streams.clear();
    },
  };
}
