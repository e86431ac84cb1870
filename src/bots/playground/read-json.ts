/**
 * Reads a small JSON body (the playground's only non-form bodies, e.g. a voice id): the plugin
 * leaves bodies unread, so each handler reads what it needs, capped in bytes and in time.
 */
import type { FastifyRequest } from 'fastify';

type JsonOutcome = { ok: true; value: unknown } | { ok: false; failure: 'TOO_LARGE' | 'BAD_JSON' | 'ABORTED' };

/** Reads and parses the body; never rejects. A body over `maxBytes` is not read further. */
export function readJson(request: FastifyRequest, maxBytes: number, timeoutMs: number): Promise<JsonOutcome> {
  const raw = request.raw;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: JsonOutcome) => {
      clearTimeout(timer);
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('error', onError);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish({ ok: false, failure: 'TOO_LARGE' });
      else chunks.push(chunk);
    };
    const onEnd = () => {
      try {
        finish({ ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      } catch {
        finish({ ok: false, failure: 'BAD_JSON' });
      }
    };
    const onError = () => finish({ ok: false, failure: 'ABORTED' });
    const timer = setTimeout(() => finish({ ok: false, failure: 'ABORTED' }), timeoutMs);
    timer.unref();
    raw.on('data', onData);
    raw.on('end', onEnd);
    raw.on('error', onError);
  });
}
