/**
 * POST /avatar/webhook/<jobId>: the avatar service's call when a task ends. The bearer token is
 * compared in constant time by the engine; a wrong or missing one gets 401 and changes nothing.
 * The body is capped (Fastify's body reader) and otherwise ignored: nothing is verified on it,
 * a genuine call only wakes the job, which then reads the status endpoint (the one place
 * trusted for the video URL). Repeats are harmless.
 */
import type { FastifyError } from 'fastify';
import type { Logger } from 'pino';
import type { Router } from './router.js';

const WEBHOOK_PREFIX = '/avatar/webhook/';
const MAX_WEBHOOK_BODY = 64 * 1024;
const JOB_ID = /^[0-9a-f-]{36}$/;

export interface WebhookTarget {
  wake(jobId: string, bearerToken: string | undefined): Promise<'ok' | 'unauthorized'>;
}

export function mountWebhookRoute(router: Router, target: WebhookTarget, deps: { logger: Logger }): void {
  router.mount(async (app) => {
    // Any content type is read (capped) and dropped: the service's body is never parsed.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_WEBHOOK_BODY }, (_req, _body, done) => done(null, undefined));
    app.setErrorHandler((err: FastifyError, _request, reply) => {
      if (err.statusCode === 413) reply.code(413).header('connection', 'close').send({ error: 'body too large' });
      else reply.code(400).header('connection', 'close').send({ error: 'bad request' });
    });
    // The method is checked before any body is read, and answered at once (synchronously): a
    // client that sends a body Node does not expect (DELETE without a length) gets this answer
    // before Node parses those bytes as a broken next request and closes the connection.
    app.addHook('onRequest', (request, reply, done) => {
      if (request.method === 'POST') {
        // The body is never parsed, so its declared type is irrelevant (an empty or malformed
        // one would otherwise be refused before the cap applies).
        delete request.headers['content-type'];
        return done();
      }
      reply.code(405).header('allow', 'POST').send({ error: 'method not allowed' });
    });
    app.all(`${WEBHOOK_PREFIX}*`, async (request, reply) => {
      const jobId = request.url.split('?')[0]?.slice(WEBHOOK_PREFIX.length) ?? '';
      const auth = request.headers.authorization;
      const token = typeof auth === 'string' && /^Bearer /i.test(auth) ? auth.slice(7).trim() : undefined;
      // Unknown job and wrong token answer the same, so the route reveals nothing about job ids.
      const result = JOB_ID.test(jobId) ? await target.wake(jobId, token) : 'unauthorized';
      if (result === 'unauthorized') {
        deps.logger.warn({ jobId: jobId.slice(0, 40) }, 'webhook refused: wrong or missing token');
        return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
      }
      return reply.code(200).send({ ok: true });
    });
  });
}
