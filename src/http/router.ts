import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A route handler on the bot's one HTTP server. It owns the response; a throw becomes a 500
 * with no detail (the error is logged), so handlers should answer their own errors.
 */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

/** What an adapter may mount on the bot's HTTP server. */
export interface Router {
  /**
   * `path` matches exactly, or, when it ends with `/*`, as a prefix (`/playground/*`).
   * `method` '*' matches any method.
   */
  add(method: string, path: string, handler: RouteHandler): void;
}
