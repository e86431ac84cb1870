/**
 * The consent question on Slack: the CONSENT_NEEDED words with a "Yes, I may use this face"
 * button whose value is `<nonce>:<requester>` (the requester, so a stale click by someone else
 * is refused even after the wait is gone).
 */
import { CONSENT_BUTTON } from '../shared/words/consent.js';
import type { ErrorLike } from '../shared/words/errors.js';
import { actionsBlock, errorWords, type SlackMessage } from './messages.js';

export const CONSENT_ACTION = 'avatar_consent';

export function consentMessage(error: ErrorLike, nonce: string, owner: string): SlackMessage {
  const text = `:raising_hand: ${errorWords(error)}`;
  const button = { text: CONSENT_BUTTON, actionId: CONSENT_ACTION, value: `${nonce}:${owner}`, style: 'primary' as const };
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }, actionsBlock([button])] };
}

/** Reads a consent button's value; null when it is not one. */
export function readConsentValue(value: string): { nonce: string; owner: string } | null {
  const m = /^([\w-]+):(\w+)$/.exec(value);
  return m === null ? null : { nonce: m[1] as string, owner: m[2] as string };
}
