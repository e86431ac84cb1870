/**
 * Everything the adapter says to people. Error sentences are the shared ones (bots/shared/words)
 * in Discord's markup and nouns; what only Discord says (its commands, progress) is here.
 */
import { aiGeneratedLine, PREVIEW_VIDEO_NOTE, shortSpokenText } from '../shared/words/result-card.js';
import type { APIActionRowComponent, APIButtonComponent } from 'discord.js';
import type { ErrorUpdate, Forgotten, JobView, ProgressUpdate, QuotaView, ResultUpdate } from '../../core/ports.js';
import { errorSentence, offersRetry, type ErrorLike } from '../shared/words/errors.js';
import { forgetSentence } from '../shared/words/forget.js';
import { progressSentence } from '../shared/words/progress.js';
import { quotaSentence } from '../shared/words/quota.js';
import type { WordStyle } from '../shared/words/style.js';
import { makingVoiceSentence } from '../shared/words/voices.js';
import { buttonRow } from './replies/components.js';

/** Discord's markup and nouns for the shared words. */
export const DISCORD_STYLE: WordStyle = {
  bold: (t) => `**${t}**`,
  // A backtick inside would end the code span early (a voice id someone typed may hold one).
  code: (t) => `\`${t.replace(/`/g, 'ˋ')}\``,
  platform: 'Discord',
  group: 'server',
  voice: 'voice note',
  admin: 'bot admin',
  faceHowTo: 'Add an `image` to `/avatar`, or save one with `/avatar-face save`.',
  voiceHowTo: 'Pick one in the `voice` option of `/avatar` (it lists them as you type), or save one with `/avatar-voice set`.',
};

/** One short sentence for an error (the shared words, in Discord's markup). */
export function errorWords(error: ErrorLike): string {
  return errorSentence(error, DISCORD_STYLE);
}

/** The final answer for a failed job: the sentence, and Retry where the catalogue offers it. */
export function errorAnswer(
  job: Pick<JobView, 'id'>,
  error: ErrorUpdate,
): { content: string; components: APIActionRowComponent<APIButtonComponent>[] } {
  return { content: `⚠️ ${errorWords(error)}`, components: offersRetry(error.code) ? [buttonRow('retry', job.id)] : [] };
}

/** The progress line: the shared sentence with Discord's emoji (the line, the service's queue, rendering). */
export function progressWords(update: ProgressUpdate): string {
  const emoji = { queued: '⏳', waiting: '📨', rendering: '🎬' }[update.state];
  return `${emoji} ${progressSentence(update)}`;
}

/**
 * The plain result (no card): the link, the transcript excerpt (or the typed text), the hand-over notes, the AI
 * disclosure and the preview note. `extra.transcript` is already shortened.
 */
export function resultWords(
  result: ResultUpdate,
  extra: { transcript: string | null; notes: readonly string[]; spokenText: string | null },
): string {
  const lines = [`✅ Your talking avatar is ready: ${result.fileUrl}`];
  if (extra.transcript !== null) lines.push(...extra.transcript.split('\n').map((l) => `> ${l}`));
  else if (extra.spokenText !== null && extra.spokenText.trim() !== '') lines.push(`> ${shortSpokenText(extra.spokenText, 300)}`);
  lines.push(...extra.notes);
  lines.push(`-# ${aiGeneratedLine(false)}`);
  if (result.preview) lines.push(`_${PREVIEW_VIDEO_NOTE.charAt(0).toUpperCase()}${PREVIEW_VIDEO_NOTE.slice(1)}._`);
  return lines.join('\n');
}

export const WORDS = {
  working: '⏳ Got it, preparing your video…',
  noAudio: 'I found no voice message or audio file there. Record a voice message or attach an audio file.',
  notAudio: 'That attachment is not really audio. Send a voice message or an audio file.',
  noFace:
    'You have no saved face yet. Use `/avatar` with an `image`, save one with `/avatar-face save`, or reply to the voice note with an image.',
  mentionHelp: 'Reply to a voice message and mention me (optionally with a face image) to make it talk.',
  needsMessageContent:
    'I cannot read voice notes from mentions here. Right-click the voice message (long-press on mobile) → **Apps** → **Make it talk**.',
  onlyRequester: 'Only the person who asked for this video can do that.',
  faceSaved: '✅ Face saved. `/avatar` now uses it when you leave out the image.',
  faceCleared: 'Your saved face is cleared.',
  noFaceToClear: 'You had no saved face.',
  noFaceToShow: 'You have no saved face. Save one with `/avatar-face save`.',
  faceShown: 'This is your saved face.',
  retrying: '🔁 Retrying…',
  makingVoice: `🗣️ ${makingVoiceSentence()}`,
  audioAndText: 'Give `/avatar` either `audio` (a voice note) or `text` (words to speak), not both.',
  audioOrText: 'Give `/avatar` an `audio` file (a voice note) or some `text` to speak.',
  voiceWithAudio:
    '`voice` is for typed `text`; a voice note already has its own voice. Leave out `voice`, or use `text` instead of `audio`.',
  nothingToSay: 'That message has no voice note and no text to speak. Use **Make it talk** on a voice message or on a message with words.',
  internal: errorSentence({ code: 'INTERNAL' }, DISCORD_STYLE),
} as const;

/** The person's remaining daily quota on Discord, or null when no quota is on. */
export function quotaWords(q: QuotaView, now = Date.now()): string | null {
  return quotaSentence(q, DISCORD_STYLE, now);
}

/** The answer to `/avatar-face forget`. */
export function forgetWords(f: Forgotten): string {
  return `🗑️ ${forgetSentence(f, DISCORD_STYLE)}`;
}

/** True for the words of a final answer (the result or an error), as opposed to progress. */
export function isFinalWords(content: string): boolean {
  return content.startsWith('✅') || content.startsWith('⚠️');
}
