/**
 * "Yes, I may use this face" under a CONSENT_NEEDED question: the requester's click starts the
 * waiting request again, confirmed, on the same message (it becomes the progress message).
 * Someone else is told privately that only the requester can confirm. After the wait expired
 * (or a restart) the consent is recorded and the message asks to send the request again.
 */
import { CONSENT_NOT_YOURS, consentExpiredSentence } from '../../../shared/words/consent.js';
import { PLATFORM, tellPrivately, type SlackContext } from '../../context.js';
import { readConsentValue } from '../../consent-message.js';
import { startJob } from '../../start-job.js';
import type { ButtonClick } from './button-click.js';

/** Handles one click after the ack (the click's `jobId` is the button's value: `<nonce>:<requester>`). */
export async function handleConsent(ctx: SlackContext, click: ButtonClick): Promise<void> {
  const id = readConsentValue(click.jobId);
  if (id === null) return;
  if (click.user !== id.owner) {
    await tellPrivately(ctx, click.channel, click.user, CONSENT_NOT_YOURS);
    return;
  }
  const taken = ctx.consentWaits.take(id.nonce, click.user);
  if (taken.kind === 'mine') {
    await startJob(ctx, { ...taken.request, faceConsent: true });
    return;
  }
  await ctx.core.consent.give(PLATFORM, click.user);
  const text = consentExpiredSentence(ctx.core.consent.mode);
  if (click.messageTs === undefined) {
    await tellPrivately(ctx, click.channel, click.user, text);
    return;
  }
  await ctx.client.chat
    .update({ channel: click.channel, ts: click.messageTs, text, blocks: [] })
    .catch((err: unknown) => ctx.logger.warn({ err: String(err) }, 'slack consent edit failed'));
}
