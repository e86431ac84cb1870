import type { FastifyPluginAsync } from 'fastify';

/**
 * What an adapter may mount on the bot's HTTP server: a Fastify plugin holding its routes. Each
 * plugin is encapsulated, so its hooks, body parsers and error handler (the playground's
 * cookies and security headers, Slack's raw-body passthrough) stay inside it. Mount before the
 * server takes its first request.
 */
export interface Router {
  mount(plugin: FastifyPluginAsync): void;
}
