import type { PlaygroundContext } from '../context.js';
import type { JobEvent } from '../event-hub.js';
import type { PlaygroundHandler } from '../guard.js';
import { sendError } from '../http-util.js';

/** Open streams allowed at once (all browsers): a bound on what a page left open can hold. */
const MAX_STREAMS = 200;

/**
 * GET /api/jobs/events: server-sent events for this browser's jobs (`event: job`, data a
 * PublicJob). Events are not replayed: a page that reconnects re-lists with GET /api/jobs.
 */
export function createJobEventsHandler(ctx: PlaygroundContext): PlaygroundHandler {
  return (req, res, _url, browserId) => {
    if (ctx.streams.size >= MAX_STREAMS) {
      sendError(res, 503, 'TOO_MANY_STREAMS', 'Too many open playground pages. Close some tabs and reload.');
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const send = (event: JobEvent) => {
      res.write(`event: ${event.type}\ndata: ${JSON.stringify(event.job)}\n\n`);
    };
    const unsubscribe = ctx.hub.subscribe(browserId, send);
    const heartbeat = setInterval(() => res.write(': ping\n\n'), ctx.heartbeatMs);
    heartbeat.unref();
    ctx.streams.add(res);
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
      ctx.streams.delete(res);
    };
    req.on('close', close);
    res.on('close', close);
  };
}
