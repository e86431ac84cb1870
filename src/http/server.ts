/**
 * The bot's one HTTP server, on Fastify: Slack events, avatar webhooks, /healthz, /readyz,
 * /metrics and the playground all mount on it as plugins. Node's own server underneath keeps
 * the slow-client cut-offs (header and request timeouts); a throwing handler becomes a bare
 * 500, a path with no route 404, a known path with the wrong method 405; close() drains then
 * stops.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fastify, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { Router } from './router.js';

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
  /** Loads every mounted plugin now (else the first request does), so a broken one fails start-up. */
  ready(): Promise<void>;
  listen(): Promise<{ port: number; url: string }>;
  /** Stops accepting, lets running requests finish (up to `graceMs`), then closes the rest. */
  close(graceMs?: number): Promise<void>;
  url(): string;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

function sendText(reply: FastifyReply, status: number, text: string): void {
  void reply.code(status).type('text/plain; charset=utf-8').send(text);
}

function addFallbacks(app: FastifyInstance, log: Logger): void {
  // No route here reads a body: a plugin that wants one declares its own parser. A request for
  // no route is answered 404/405 with its body unread, whatever type it claims.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.is404) delete request.headers['content-type'];
    done();
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const known = METHODS.some((method) => method !== request.method && app.findRoute({ method, url: path }) !== null);
    if (known) sendText(reply, 405, 'Method not allowed\n');
    else sendText(reply, 404, 'Not found\n');
  });
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = err.statusCode ?? 500;
    // Fastify's own refusals (a malformed URL, a lying Content-Length) are the client's doing.
    if (status >= 400 && status < 500) {
      sendText(reply, status, `${err.message}\n`);
      return;
    }
    log.error({ err, path: request.url.split('?')[0] }, 'route handler threw');
    if (reply.raw.headersSent) reply.raw.destroy();
    else sendText(reply, 500, 'Internal error\n');
  });
}

/** Node's own refusal lines for a request it could not parse or that came too slowly. */
const CLIENT_ERRORS: Record<string, string> = {
  ERR_HTTP_REQUEST_TIMEOUT: 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n',
  HPE_HEADER_OVERFLOW: 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n',
};
const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n';

/**
 * What Node itself does with a request it cannot parse (Fastify's default would write a second
 * answer after one already sent, e.g. after a 405 to a DELETE whose unannounced body then
 * reads as a broken next request): answer only if nothing is on its way, then close.
 */
function onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const answering = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage?.headersSent === true;
  if (socket.writable && !answering) socket.write(CLIENT_ERRORS[err.code ?? ''] ?? BAD_REQUEST);
  socket.destroy(err);
}

export function createHttpServer(config: HttpServerConfig, deps: { logger: Logger }): HttpServer {
  const log = deps.logger;
  const headersTimeout = config.headersTimeoutMs ?? 10_000;
  const checkInterval = config.timeoutCheckIntervalMs ?? Math.min(5000, Math.max(100, Math.floor(headersTimeout / 2)));

  // The socket is bound before every route is mounted (the port goes into the config the
  // routes are built from), so requests wait for Fastify to finish loading its plugins.
  let route: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  let booted = false;
  let booting: Promise<void> | undefined;
  let mounted = 0;
  const server = createServer({ connectionsCheckingInterval: checkInterval }, (req, res) => {
    if (booted && route !== undefined) return route(req, res);
    boot().then(
      () => route?.(req, res),
      (err: unknown) => {
        log.error({ err }, 'http routes failed to load');
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Internal error\n');
      },
    );
  });
  server.headersTimeout = headersTimeout;
  server.requestTimeout = config.requestTimeoutMs ?? 120_000;
  server.keepAliveTimeout = 5000;

  const app = fastify({
    logger: false,
    clientErrorHandler: onClientError,
    // A path that is not valid percent-encoding names no route.
    frameworkErrors: (err, _request, reply) => sendText(reply, err.statusCode ?? 400, 'Bad request\n'),
    serverFactory: (handler) => {
      route = handler;
      return server;
    },
  });
  addFallbacks(app, log);

  function boot(): Promise<void> {
    if (booting === undefined) {
      booting = (async () => {
        await app.ready();
        booted = true;
      })();
    }
    return booting;
  }

  let bound: { port: number; url: string } | undefined;

  return {
    server,
    mount(plugin) {
      if (booting !== undefined) throw new Error('HTTP routes must be mounted before the server takes its first request');
      void app.register(plugin);
      mounted += 1;
    },
    ready: boot,
    async listen() {
      // Routes mounted already are loaded before the first connection, so every request is
      // routed synchronously (mounted later, the first request loads them).
      if (mounted > 0) await boot();
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
    async close(graceMs = 5000) {
      if (server.listening) {
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => server.closeAllConnections(), graceMs);
          server.close(() => {
            clearTimeout(force);
            resolve();
          });
          server.closeIdleConnections();
        });
      }
      await app.close();
    },
    url() {
      if (bound === undefined) throw new Error('server not listening');
      return bound.url;
    },
  };
}
