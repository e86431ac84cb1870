/**
 * `app_home_opened`: when a person opens the app's Home tab, it is published afresh for them
 * (face, voice, last videos, how-to). The Messages tab (where voice samples land) also sends
 * this event, with `tab: 'messages'`: nothing to publish then.
 */
import { field, text } from '../../../shared/json.js';
import type { SlackContext } from '../../context.js';

/** The person who opened the Home tab, or null for another tab or a malformed event. */
function homeOpenedBy(event: unknown): string | null {
  if (text(field(event, 'tab')) !== 'home') return null;
  return text(field(event, 'user')) ?? null;
}

/** Publishes the tab; never throws (the publisher logs its own failures). */
export async function handleHomeOpened(ctx: SlackContext, event: unknown): Promise<void> {
  const user = homeOpenedBy(event);
  if (user === null) return;
  await ctx.home.publish(ctx.client, user);
}
