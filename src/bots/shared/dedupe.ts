/**
 * How long a platform delivery id (a Slack event or trigger id, a Discord interaction or
 * message id) is remembered so a redelivery starts nothing. One window for every adapter:
 * Slack retries unacknowledged events within minutes, and a Discord interaction cannot be
 * answered after its 15-minute token anyway, so an hour covers both with room to spare.
 */
import type { AvatarCore } from '../../core/ports.js';

const DEDUPE_WINDOW_MS = 60 * 60_000;

/** True the first time `key` is seen within the window; false for a redelivery. */
export function firstDelivery(core: Pick<AvatarCore, 'dedupe'>, key: string): Promise<boolean> {
  return core.dedupe.claim(key, DEDUPE_WINDOW_MS);
}
