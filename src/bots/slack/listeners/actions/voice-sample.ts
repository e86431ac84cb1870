/**
 * The ▶ Sample button of a voice. Slack has no ephemeral files, so the clip (fetched by the core:
 * the service's URL may not be reachable by people) is uploaded into the person's direct
 * messages with the bot, which only they see, and a private note where they clicked says so.
 * When no upload is possible (uploads turned off, too large, refused), the note carries the
 * service's https link to the sample instead, when there is one.
 */
import { toAvatarError } from '../../../../core/errors.js';
import type { Voice } from '../../../../core/ports.js';
import { field, text } from '../../../shared/json.js';
import { noSampleSentence, sampleTooLargeSentence, voiceSampleSentence } from '../../../shared/words/voices.js';
import type { SlackContext } from '../../context.js';
import { errorWords, SLACK_STYLE } from '../../messages.js';

export interface SampleClick {
  user: string;
  /** Where the button was clicked. */
  channel: string | undefined;
  voiceId: string;
}

/** Narrows a Sample button's block action. */
export function readSampleClick(body: unknown, action: unknown): SampleClick | null {
  const user = text(field(field(body, 'user'), 'id'));
  const voiceId = text(field(action, 'value'));
  const channel = text(field(field(body, 'channel'), 'id')) ?? text(field(field(body, 'container'), 'channel_id'));
  return user === undefined || voiceId === undefined ? null : { user, channel, voiceId };
}

const EXT: Record<string, string> = { 'audio/wav': 'wav', 'audio/ogg': 'ogg', 'audio/flac': 'flac', 'audio/mpeg': 'mp3' };

/** The service's link, when people can open it (https); null for a local or plain-http one. */
function publicLink(voice: Voice): string | null {
  return voice.sampleUrl?.startsWith('https://') === true ? voice.sampleUrl : null;
}

/** Uploads the clip into the person's DM with the bot; returns that DM's channel id. */
async function uploadToDm(ctx: SlackContext, user: string, voice: Voice, clip: { audio: Uint8Array; type: string }): Promise<string> {
  // chat.postMessage to a user id posts in the app's DM with them and answers its channel id
  // (no conversations.open, so no im:write scope).
  const intro = await ctx.client.chat.postMessage({ channel: user, text: voiceSampleSentence(voice, SLACK_STYLE) });
  const dm = typeof intro.channel === 'string' ? intro.channel : undefined;
  if (dm === undefined) throw new Error('chat.postMessage gave no channel');
  await ctx.client.filesUploadV2({
    channel_id: dm,
    file: Buffer.from(clip.audio.buffer, clip.audio.byteOffset, clip.audio.byteLength),
    filename: `voice-sample.${EXT[clip.type] ?? 'mp3'}`,
    title: `${voice.name} (voice sample)`,
  });
  return dm;
}

/** The private answer to a click (null: nothing to say, the clip is in the DM where they clicked). */
async function sampleAnswer(ctx: SlackContext, click: SampleClick): Promise<string | null> {
  const voice = await ctx.core.voices.find(click.voiceId);
  if (voice === null) return `:warning: ${errorWords({ code: 'UNKNOWN_VOICE', facts: { voice: click.voiceId } })}`;
  const clip = await ctx.core.voices.sample(voice.id);
  if (clip === null) return noSampleSentence(voice, SLACK_STYLE);
  const sample = voiceSampleSentence(voice, SLACK_STYLE);
  const link = publicLink(voice);
  const linked = link === null ? null : `${sample} <${link}|Listen to it>.`;
  const limit = ctx.config.uploadMaxBytes;
  if (limit <= 0) return linked ?? `${sample} Uploads are turned off here, so I cannot send it.`;
  if (clip.audio.byteLength > limit) return linked ?? sampleTooLargeSentence(voice, clip.audio.byteLength, limit, SLACK_STYLE);
  try {
    const dm = await uploadToDm(ctx, click.user, voice, clip);
    return dm === click.channel ? null : `${sample} I sent it to our direct messages.`;
  } catch (err) {
    ctx.logger.warn({ err: err instanceof Error ? err.message : String(err), voice: voice.id }, 'slack voice sample upload failed');
    return linked ?? `:warning: ${sample} I could not send it; try again in a moment.`;
  }
}

/** Handles one click after the ack; answers through `reply` (the response_url). Never throws. */
export async function handleVoiceSample(ctx: SlackContext, click: SampleClick, reply: (text: string) => Promise<void>): Promise<void> {
  let answer: string | null;
  try {
    answer = await sampleAnswer(ctx, click);
  } catch (err) {
    const e = toAvatarError(err);
    ctx.logger.info({ code: e.code, voice: click.voiceId }, 'slack voice sample failed');
    answer = `:warning: ${errorWords(e)}`;
  }
  if (answer === null) return;
  await reply(answer).catch((err: unknown) => {
    ctx.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'slack voice sample: answer not sent');
  });
}
