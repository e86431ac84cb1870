/**
 * Bolt acknowledges an Events API request before any middleware runs. Its listener's work
 * (de-duplication, downloads, the "Got it" message, the job) then waits for one turn of the
 * event loop (setImmediate: after the I/O callbacks of this turn), so in a burst every event
 * whose body has arrived is acknowledged before any of their work starts, instead of each
 * acknowledgement queueing behind the work of the events before it (BENCHMARKS.md, figure 1).
 * Commands, actions and shortcuts acknowledge in their own listeners: they pass straight on.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { isRecord } from '../../shared/json.js';

export const ackedFirst: Middleware<AnyMiddlewareArgs> = async ({ body, next }) => {
  if (isRecord(body) && body['type'] === 'event_callback') await new Promise<void>((resolve) => setImmediate(resolve));
  await next();
};
