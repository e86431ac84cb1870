/**
 * GET /metrics: the Prometheus scrape endpoint. It shows counts only (no ids, no secrets); it
 * is on the bot's one server, so bind HOST to a private address when Prometheus is remote.
 */
import type { Logger } from 'pino';
import type { Router } from '../http/router.js';
import type { Metrics } from './metrics.js';

/** Mounts GET /metrics on the router. */
export function mountMetricsRoute(router: Router, metrics: Metrics, deps: { logger: Logger }): void {
  router.mount(async (app) => {
    app.get('/metrics', async (_request, reply) => {
      try {
        const text = await metrics.scrape();
        return reply.code(200).header('content-type', metrics.contentType).header('cache-control', 'no-store').send(text);
      } catch (err) {
        // A closed store during shutdown, typically: the scraper retries later.
        deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'metrics scrape failed');
        return reply.code(503).type('text/plain; charset=utf-8').send('metrics unavailable\n');
      }
    });
  });
}
