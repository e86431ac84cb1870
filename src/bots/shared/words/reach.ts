/**
 * Where an answer can appear: an app a person installed to their account is no member of the
 * channel, so a server may keep its answers private, and a late answer comes by direct message.
 */

/** Under an answer Discord shows to the person alone (the server turned external apps off). */
export function privateOnlyNote(): string {
  return 'Only you can see this: this server lets external apps answer privately only.';
}

/** Under an answer sent by direct message because the message where the person asked can no longer change. */
export function lateAnswerNote(platform: string, windowMinutes: number): string {
  return `Sent here because the message where you asked can no longer be updated (${platform} allows ${windowMinutes} minutes).`;
}

/** Logged (not shown) when even the direct message could not be sent. */
export const UNDELIVERABLE_LOG = 'could not send the answer by direct message either; it stays in the person’s history';
