/**
 * GET /metrics: the Prometheus scrape endpoint. It shows counts only (no ids, no secrets); it
 * is on the bot's one server, so bind HOST to a private address when Prometheus is remote.
 */
import type { Logger } from 'pino';
import type { Router } from '../http/router.js';
import type { Metrics } from './metrics.js';

/** Mounts GET /metrics on the router. */
export function mountMetricsRoute(router: Router, metrics: Metrics, deps: { logger: Logger }): void {
  router.add('GET', '/metrics', async (_req, res) => {
    try {
      const text = await metrics.scrape();
      res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
      res.end(text);
    } catch (err) {
      // A closed store during shutdown, typically: the scraper retries later.
      deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'metrics scrape failed');
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('metrics unavailable\n');
    }
  });
}
