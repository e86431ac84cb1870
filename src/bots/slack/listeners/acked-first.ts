/**
 * Bolt acknowledges an Events API request before any middleware runs; its listener's work
 * (de-duplication, downloads, the "Got it" message, the job) then waits at the bot's quiet gate
 * (bots/shared/quiet-gate.ts) until a burst of events has been acknowledged. Commands, actions
 * and shortcuts acknowledge in their own listeners: they pass straight on.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { isRecord } from '../../shared/json.js';
import type { QuietGate } from '../../shared/quiet-gate.js';

export function createAckedFirst(gate: QuietGate): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    if (isRecord(body) && body['type'] === 'event_callback') await gate.wait();
    await next();
  };
}
