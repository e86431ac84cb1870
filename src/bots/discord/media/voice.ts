/**
 * Finding the voice note in a message: a voice message (flag IS_VOICE_MESSAGE) carries exactly
 * one audio attachment; otherwise an `audio/*` attachment counts only when its bytes really
 * are audio.
 */
import { MessageFlags, type Attachment, type Message } from 'discord.js';
import { toAvatarError } from '../../../core/errors.js';
import type { AvatarCore, MediaInput } from '../../../core/ports.js';
import type { DownloadPolicy } from '../../shared/download.js';
import { errorWords, WORDS } from '../words.js';
import { attachmentInput } from './attachments.js';

function isVoiceMessage(message: Pick<Message, 'flags'>): boolean {
  return message.flags.has(MessageFlags.IsVoiceMessage);
}

/** True when the message carries a voice note or an audio attachment (whether its bytes are audio is checked later). */
export function hasAudio(message: Pick<Message, 'flags' | 'attachments'>): boolean {
  return isVoiceMessage(message) || message.attachments.some((a) => a.contentType?.startsWith('audio/') === true);
}

/** A MediaInput over a discord.js attachment. */
export function inputOf(att: Attachment, kind: 'image' | 'audio', policy: DownloadPolicy): MediaInput {
  return attachmentInput({ url: att.url, name: att.name, contentType: att.contentType, size: att.size }, kind, policy);
}

/** The first `image/*` attachment of a message, if any. */
export function imageAttachment(message: Pick<Message, 'attachments'>): Attachment | undefined {
  return message.attachments.find((a) => a.contentType?.startsWith('image/') === true);
}

/** The audio of a message as a MediaInput, or the sentence saying why there is none. */
export async function findVoiceAudio(
  message: Pick<Message, 'flags' | 'attachments'>,
  core: AvatarCore,
  policy: DownloadPolicy,
): Promise<{ audio: MediaInput } | { problem: string }> {
  const first = message.attachments.first();
  if (isVoiceMessage(message) && first !== undefined) return { audio: inputOf(first, 'audio', policy) };
  const candidate = message.attachments.find((a) => a.contentType?.startsWith('audio/') === true);
  if (candidate === undefined) return { problem: WORDS.noAudio };
  const audio = inputOf(candidate, 'audio', policy);
  try {
    // The loader keeps the bytes, so the job reuses this download.
    const sniffed = await core.sniff(await audio.load(core.limits.audioBytes));
    if (sniffed.kind !== 'audio') return { problem: WORDS.notAudio };
  } catch (err) {
    return { problem: `⚠️ ${errorWords(toAvatarError(err))}` };
  }
  return { audio };
}
