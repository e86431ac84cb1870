import { PassThrough } from 'node:stream';
import type { PlaygroundContext } from '../context.js';
import type { JobEvent } from '../event-hub.js';
import type { PlaygroundHandler } from '../guard.js';
import { sendError } from '../http-util.js';

/** Open streams allowed at once (all browsers): a bound on what a page left open can hold. */
const MAX_STREAMS = 200;

/**
 * GET /api/jobs/events: server-sent events for this browser's jobs (`event: job`, data a
 * PublicJob). Events are not replayed: a page that reconnects re-lists with GET /api/jobs.
 * The stream is Fastify's reply body, so the headers and cookies of every other answer
 * (helmet's, the browser cookie) go out with it.
 */
export function createJobEventsHandler(ctx: PlaygroundContext): PlaygroundHandler {
  return (_request, reply, browserId) => {
    if (ctx.streams.size >= MAX_STREAMS) {
      return sendError(reply, 503, 'TOO_MANY_STREAMS', 'Too many open playground pages. Close some tabs and reload.');
    }
    const stream = new PassThrough();
    // A write racing the client's disconnect must not become an unhandled error.
    stream.on('error', () => undefined);
    const write = (text: string) => {
      if (!stream.destroyed && !stream.writableEnded) stream.write(text);
    };
    write('retry: 2000\n\n');
    const unsubscribe = ctx.hub.subscribe(browserId, (event: JobEvent) => {
      write(`event: ${event.type}\ndata: ${JSON.stringify(event.job)}\n\n`);
    });
    const heartbeat = setInterval(() => write(': ping\n\n'), ctx.heartbeatMs);
    heartbeat.unref();
    ctx.streams.add(stream);
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
      ctx.streams.delete(stream);
    };
    stream.on('close', close);
    reply.raw.on('close', close);
    return reply
      .code(200)
      .headers({ 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive', 'x-accel-buffering': 'no' })
      .send(stream);
  };
}
