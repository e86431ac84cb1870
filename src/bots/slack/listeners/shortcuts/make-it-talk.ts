/**
 * Message shortcut "Make it talk" (`make_it_talk`): the message's voice clip, or else its text
 * (spoken in the person's voice), with the person's saved face (or the message's own image when
 * no face is saved), answered in that message's thread. Acknowledged before any download or speech.
 */
import { toAvatarError } from '../../../../core/errors.js';
import { firstDelivery } from '../../../shared/dedupe.js';
import { field, text as s } from '../../../shared/json.js';
import { mediaDeps, PLATFORM, tellPrivately, type SlackContext } from '../../context.js';
import { filesOf, pickAudio, pickImage, type SlackFile } from '../../media/files.js';
import { resolveStubs } from '../../media/slack-files.js';
import { spokenText } from '../../../shared/spoken-text.js';
import { errorWords } from '../../messages.js';
import { startJob } from '../../start-job.js';

export interface ShortcutTarget {
  triggerId: string | undefined;
  team: string;
  channel: string;
  user: string;
  /** The target message's thread parent ts (its own ts when it is not in a thread). */
  threadTs: string;
  files: SlackFile[];
  /** The message's text as Slack sends it (mrkdwn, escaped); '' when it has none. */
  text: string;
}

/** Narrows a `message_action` payload. */
export function readShortcut(body: unknown): ShortcutTarget | null {
  const message = field(body, 'message');
  const channel = s(field(field(body, 'channel'), 'id'));
  const user = s(field(field(body, 'user'), 'id'));
  const ts = s(field(message, 'ts')) ?? s(field(body, 'message_ts'));
  if (channel === undefined || user === undefined || ts === undefined) return null;
  return {
    triggerId: s(field(body, 'trigger_id')),
    team: s(field(field(body, 'team'), 'id')) ?? '',
    channel,
    user,
    threadTs: s(field(message, 'thread_ts')) ?? ts,
    files: filesOf(message),
    text: s(field(message, 'text')) ?? '',
  };
}

/** Handles one shortcut after the ack; never throws. */
export async function handleMakeItTalk(ctx: SlackContext, t: ShortcutTarget): Promise<void> {
  const notify = (text: string): Promise<void> => tellPrivately(ctx, t.channel, t.user, text);
  try {
    if (t.triggerId !== undefined && !(await firstDelivery(ctx.core, `slack:trigger:${t.triggerId}`))) return;
    const files = await resolveStubs(t.files, mediaDeps(ctx));
    const audio = pickAudio(files);
    const said = audio === undefined ? spokenText(t.text) : '';
    if (audio === undefined && said === '') {
      // Text that is only links or markup says nothing: the words say so; no text at all, what to use it on.
      await notify(
        t.text.trim() === ''
          ? 'That message has no voice clip and no text. Use *Make it talk* on a message with a recorded clip, an audio file or words to say.'
          : `:warning: ${errorWords({ code: 'INVALID_TEXT', reason: 'EMPTY' })}`,
      );
      return;
    }
    // The saved face wins; the message's own image is the fallback for people without one.
    const hasFace = (await ctx.core.faces.get(PLATFORM, t.user)) !== null;
    const image = hasFace ? undefined : pickImage(files, audio);
    const speech = audio === undefined ? { text: said } : { clip: audio };
    await startJob(ctx, { team: t.team, channel: t.channel, threadTs: t.threadTs, user: t.user, speech, image, notify });
  } catch (err) {
    const e = toAvatarError(err);
    ctx.logger.error({ code: e.code, err: e.message }, 'slack shortcut handler failed');
    await notify(`:warning: ${errorWords(e)}`);
  }
}
