/**
 * The bot's one HTTP server: Slack events, avatar webhooks, /healthz, /readyz, /metrics and the
 * playground all mount on it through the Router. Slow clients are cut off (header and request
 * timeouts), a throwing handler becomes a bare 500, and close() drains then stops.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { RouteHandler, Router } from './router.js';

export interface HttpServerConfig {
  port: number;
  host: string;
  /** A request whose headers have not all arrived after this is cut off. */
  headersTimeoutMs?: number;
  /** A whole request (body included) must arrive within this. */
  requestTimeoutMs?: number;
  /**
   * How often Node checks the two timeouts above (its default, 30 s, would let a slow client
   * hold a socket far past `headersTimeoutMs`). Default: half the headers timeout, 100 ms to 5 s.
   */
  timeoutCheckIntervalMs?: number;
}

export interface HttpServer extends Router {
  readonly server: Server;
  listen(): Promise<{ port: number; url: string }>;
  /** Stops accepting, lets running requests finish (up to `graceMs`), then closes the rest. */
  close(graceMs?: number): Promise<void>;
  url(): string;
}

interface Route {
  method: string;
  path: string;
  prefix: boolean;
  handler: RouteHandler;
}

export function createHttpServer(config: HttpServerConfig, deps: { logger: Logger }): HttpServer {
  const routes: Route[] = [];
  const log = deps.logger;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const matching = routes.filter((r) => (r.prefix ? url.pathname.startsWith(r.path) : url.pathname === r.path));
    const route = matching.find((r) => r.method === '*' || r.method === method || (method === 'HEAD' && r.method === 'GET'));
    if (route === undefined) {
      const status = matching.length > 0 ? 405 : 404;
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(status === 404 ? 'Not found\n' : 'Method not allowed\n');
      req.resume();
      return;
    }
    try {
      await route.handler(req, res, url);
    } catch (err) {
      log.error({ err, path: url.pathname }, 'route handler threw');
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Internal error\n');
      } else {
        res.destroy();
      }
    }
  }

  const headersTimeout = config.headersTimeoutMs ?? 10_000;
  const checkInterval = config.timeoutCheckIntervalMs ?? Math.min(5000, Math.max(100, Math.floor(headersTimeout / 2)));
  const server = createServer({ connectionsCheckingInterval: checkInterval }, (req, res) => void handle(req, res));
  server.headersTimeout = headersTimeout;
  server.requestTimeout = config.requestTimeoutMs ?? 120_000;
  server.keepAliveTimeout = 5000;

  let bound: { port: number; url: string } | undefined;

  return {
    server,
    add(method, path, handler) {
      const prefix = path.endsWith('/*');
      routes.push({ method: method.toUpperCase(), path: prefix ? path.slice(0, -1) : path, prefix, handler });
    },
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          const a = server.address() as AddressInfo;
          const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
          bound = { port: a.port, url: `http://${host}:${a.port}` };
          resolve(bound);
        });
      });
    },
    close(graceMs = 5000) {
      return new Promise((resolve) => {
        if (!server.listening) return resolve();
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
    url() {
      if (bound === undefined) throw new Error('server not listening');
      return bound.url;
    },
  };
}

/** Sends a small JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * Reads a request body up to `maxBytes`. Beyond it, answers nothing and returns null after
 * draining no more than needed: the caller sends 413 (the socket is closed after that).
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      req.resume();
      return resolve(null);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        done = true;
        req.resume();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!done) reject(err);
    });
  });
}
