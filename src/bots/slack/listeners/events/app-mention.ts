/**
 * `app_mention`: with a voice clip (and an image, or a saved face) starts a job answered in
 * the thread; with an image and the word "face" saves the face; with other words, speaks them
 * (typed text, with the image or the saved face); bare (or "make it talk") inside a thread,
 * uses the newest clip earlier in the thread (`conversations.replies`); bare elsewhere, help.
 * Bolt has already acknowledged the event when this runs; Slack's retries are dropped by
 * event id before anything else happens.
 */
import { toAvatarError } from '../../../../core/errors.js';
import { firstDelivery } from '../../../shared/dedupe.js';
import { isRecord, text } from '../../../shared/json.js';
import { channelAllowed, CHANNEL_NOT_ALLOWED, mediaDeps, PLATFORM, tellInThread, tellPrivately, type SlackContext } from '../../context.js';
import { filesOf, pickAudio, pickImage, type SlackFile } from '../../media/files.js';
import { resolveStubs, slackMediaInput } from '../../media/slack-files.js';
import { spokenText } from '../../../shared/spoken-text.js';
import { errorWords, HELP_TEXT } from '../../messages.js';
import { asksForClip, asksToSaveFace, wordsOf } from '../../mention-words.js';
import { startJob } from '../../start-job.js';

export interface Mention {
  eventId: string | undefined;
  team: string;
  channel: string;
  user: string;
  ts: string;
  threadTs: string | undefined;
  text: string;
  files: SlackFile[];
}

/** Narrows the envelope and event; null when a field the handler needs is missing. */
export function readMention(body: unknown, event: unknown): Mention | null {
  if (!isRecord(body) || !isRecord(event)) return null;
  const channel = text(event['channel']);
  const user = text(event['user']);
  const ts = text(event['ts']);
  if (channel === undefined || user === undefined || ts === undefined) return null;
  return {
    eventId: text(body['event_id']),
    team: text(body['team_id']) ?? text(event['team']) ?? '',
    channel,
    user,
    ts,
    threadTs: text(event['thread_ts']),
    text: text(event['text']) ?? '',
    files: filesOf(event),
  };
}

/** The newest voice clip posted by a person before `beforeTs` in a thread. */
async function findClipInThread(
  ctx: SlackContext,
  m: Mention,
  parentTs: string,
  botUserId: string | undefined,
): Promise<SlackFile | undefined> {
  const res = await ctx.client.conversations.replies({ channel: m.channel, ts: parentTs, limit: 200 });
  const messages: unknown[] = Array.isArray(res.messages) ? res.messages : [];
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const r = messages[i];
    if (!isRecord(r)) continue;
    const ts = text(r['ts']);
    if (ts === undefined || Number(ts) > Number(m.ts)) continue;
    // The bot's own uploads (the result MP4s) are not voice clips.
    if (r['bot_id'] !== undefined || (botUserId !== undefined && r['user'] === botUserId)) continue;
    const clip = pickAudio(await resolveStubs(filesOf(r), mediaDeps(ctx)));
    if (clip !== undefined) return clip;
  }
  return undefined;
}

/** Handles one mention; exported for direct tests. Never throws. */
export async function handleMention(ctx: SlackContext, m: Mention, botUserId: string | undefined): Promise<void> {
  const parentTs = m.threadTs ?? m.ts;
  const say = async (text: string): Promise<void> => {
    await tellInThread(ctx, m.channel, parentTs, text);
  };
  try {
    if (m.eventId !== undefined && !(await firstDelivery(ctx.core, `slack:event:${m.eventId}`))) {
      ctx.logger.debug({ eventId: m.eventId }, 'slack event redelivery ignored');
      return;
    }
    if (!channelAllowed(ctx, m.channel)) {
      await tellPrivately(ctx, m.channel, m.user, CHANNEL_NOT_ALLOWED, m.threadTs);
      return;
    }
    const files = await resolveStubs(m.files, mediaDeps(ctx));
    const audio = pickAudio(files);
    const image = pickImage(files, audio);
    const words = wordsOf(m.text);
    const start = { team: m.team, channel: m.channel, threadTs: parentTs, user: m.user, image, notify: say };

    if (audio !== undefined) {
      await startJob(ctx, { ...start, speech: { clip: audio } });
      return;
    }
    if (asksToSaveFace(words)) {
      if (image === undefined) {
        await say('To save your face, mention me with an image and the word `face`.');
        return;
      }
      try {
        await ctx.core.faces.save(PLATFORM, m.user, slackMediaInput(image, 'image', mediaDeps(ctx)));
        await say(
          ':bust_in_silhouette: Saved as your face. Now mention me with the words to say or on a voice clip, or use *Make it talk* on one.',
        );
      } catch (err) {
        const e = toAvatarError(err);
        await say(`:warning: ${errorWords(e)}`);
      }
      return;
    }
    if (!asksForClip(words)) {
      // Only a link or markup ("@avatar <https://x>") says nothing: refused before any message.
      const said = spokenText(words);
      if (said === '') {
        await say(`:warning: ${errorWords({ code: 'INVALID_TEXT', reason: 'EMPTY' })}`);
        return;
      }
      await startJob(ctx, { ...start, speech: { text: said } });
      return;
    }
    if (m.threadTs !== undefined && m.threadTs !== m.ts) {
      const clip = await findClipInThread(ctx, m, m.threadTs, botUserId);
      if (clip === undefined) {
        await say(
          'I could not find a voice clip in this thread. Record one (or attach an audio file) and mention me again, or mention me with the words to say.',
        );
        return;
      }
      await startJob(ctx, { ...start, speech: { clip } });
      return;
    }
    if (image !== undefined) {
      await say(
        'I got an image but nothing to say. Add a voice clip or type the words to say with it, or write `face` with the image to save it as your face.',
      );
      return;
    }
    await say(HELP_TEXT);
  } catch (err) {
    const e = toAvatarError(err);
    ctx.logger.error({ code: e.code, err: e.message }, 'slack mention handler failed');
    await say(`:warning: ${errorWords(e)}`);
  }
}
