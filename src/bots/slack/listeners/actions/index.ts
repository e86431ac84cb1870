/**
 * Block actions, acknowledged at once: the Cancel, Retry and Delete buttons on a job's message, the consent button, and the
 * `/avatar voice` menu (a choice, a ▶ Sample button), answered privately through the response_url.
 */
import type { App } from '@slack/bolt';
import { forEvent, type SlackContext } from '../../context.js';
import { CANCEL_ACTION, DELETE_ACTION, RETRY_ACTION } from '../../messages.js';
import { VOICE_CHOOSE_ACTION, VOICE_SAMPLE_ACTION } from '../../voice-menu.js';
import { CONSENT_ACTION } from '../../consent-message.js';
import { readButtonClick } from './button-click.js';
import { handleCancel } from './cancel.js';
import { handleConsent } from './consent.js';
import { handleDelete } from './delete.js';
import { handleRetry } from './retry.js';
import { handleVoiceChoice, readVoiceChoice } from './voice-choose.js';
import { handleVoiceSample, readSampleClick } from './voice-sample.js';

export function register(app: App, ctx: SlackContext): void {
  app.action(CANCEL_ACTION, async ({ ack, body, action, client, context }) => {
    await ack();
    const click = readButtonClick(body, action);
    if (click !== null) await handleCancel(forEvent(ctx, { client, context }), click);
  });
  app.action(RETRY_ACTION, async ({ ack, body, action, client, context }) => {
    await ack();
    const click = readButtonClick(body, action);
    if (click !== null) await handleRetry(forEvent(ctx, { client, context }), click);
  });
  app.action(CONSENT_ACTION, async ({ ack, body, action, client, context }) => {
    await ack();
    const click = readButtonClick(body, action);
    if (click !== null) await handleConsent(forEvent(ctx, { client, context }), click);
  });
  app.action(DELETE_ACTION, async ({ ack, body, action, client, context }) => {
    await ack();
    const click = readButtonClick(body, action);
    if (click !== null) await handleDelete(forEvent(ctx, { client, context }), click);
  });
  app.action(VOICE_CHOOSE_ACTION, async ({ ack, body, action, respond, client, context }) => {
    await ack();
    const choice = readVoiceChoice(body, action);
    if (choice === null) return;
    const here = forEvent(ctx, { client, context });
    await handleVoiceChoice(here, choice, async (m) => {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: m.text,
        ...(m.blocks.length === 0 ? {} : { blocks: m.blocks as never }),
      });
    });
    // The Home tab shows the chosen voice.
    await here.home.publish(here.client, choice.user);
  });
  app.action(VOICE_SAMPLE_ACTION, async ({ ack, body, action, respond, client, context }) => {
    await ack();
    const click = readSampleClick(body, action);
    if (click === null) return;
    await handleVoiceSample(forEvent(ctx, { client, context }), click, async (text) => {
      await respond({ response_type: 'ephemeral', replace_original: false, text });
    });
  });
}
