/**
 * The result card (Components V2): the uploaded video in a media gallery, the transcript (or
 * the spoken text), the length, the link, the caption files (File components), the hand-over
 * notes, the AI disclosure, the preview note, and the card's buttons.
 * Discord may refuse a card (an old client policy, permissions, a bad component): the caller
 * then sends today's plain answer, so the person never loses the result.
 */
import { isTooLarge } from './refusals.js';
import {
  ComponentType,
  DiscordAPIError,
  MessageFlags,
  SeparatorSpacingSize,
  type APIComponentInContainer,
  type APIMessageTopLevelComponent,
} from 'discord.js';
import type { Logger } from 'pino';
import type { JobView, ResultUpdate } from '../../../core/ports.js';
import { HANDOVER_WORDS } from '../../shared/words/handover.js';
import { aiGeneratedLine, durationLine, FORM_WORDS, READY_HEADLINE, shortSpokenText } from '../../shared/words/result-card.js';
import type { UploadFile } from '../media/multipart.js';
import { cardButton } from './components.js';
import { filesOf, type ResultParts } from './result-parts.js';

/** How much of the spoken text the card shows. */
const GLIMPSE_CHARS = 300;

/** A refusal of the card itself (bad form body, missing permission): the plain answer may still go through. */
function isCardRefused(err: unknown): boolean {
  return err instanceof DiscordAPIError && (err.status === 400 || err.status === 403);
}

export interface CardPayload {
  content: '';
  flags: number;
  components: APIMessageTopLevelComponent[];
  files: UploadFile[];
}

const text = (content: string): APIComponentInContainer => ({ type: ComponentType.TextDisplay, content });

/** A File component: Components V2 shows an attachment only where a component points at it. */
const fileShown = (name: string): APIComponentInContainer => ({ type: ComponentType.File, file: { url: `attachment://${name}` } });

/** The card's components for a finished job whose video is attached as `video`. */
function resultCardComponents(
  job: Pick<JobView, 'id' | 'spokenText'>,
  result: ResultUpdate,
  parts: ResultParts & { video: UploadFile },
): APIMessageTopLevelComponent[] {
  const inner: APIComponentInContainer[] = [
    text(`✅ **${READY_HEADLINE}**`),
    {
      type: ComponentType.MediaGallery,
      items: [{ media: { url: `attachment://${parts.video.name}` }, description: 'The talking avatar video' }],
    },
  ];
  // The transcript when there are captions (for typed text it is that text), else the typed text.
  if (parts.transcript !== null) inner.push(text(quote(`**${HANDOVER_WORDS.transcriptLabel}:** ${parts.transcript}`)));
  else if (job.spokenText !== null && job.spokenText.trim() !== '') inner.push(text(`> ${shortSpokenText(job.spokenText, GLIMPSE_CHARS)}`));
  const facts = [durationLine(result.outputDuration), `[Open the video](${result.fileUrl})`].filter((l): l is string => l !== null);
  inner.push(text(facts.join(' · ')));
  if (parts.captions.length > 0) {
    inner.push(text(`-# ${HANDOVER_WORDS.captionFiles}`));
    for (const f of parts.captions) inner.push(fileShown(f.name));
  }
  if (parts.notes.length > 0) inner.push(text(parts.notes.map((n) => `-# ${n}`).join('\n')));
  inner.push({ type: ComponentType.Separator, divider: true, spacing: SeparatorSpacingSize.Small });
  inner.push(text(`-# ${aiGeneratedLine(result.preview)}`));
  inner.push({
    type: ComponentType.ActionRow,
    components: [cardButton('delete', job.id, FORM_WORDS.deleteButton), cardButton('same-face', job.id, FORM_WORDS.sameFaceButton)],
  });
  return [{ type: ComponentType.Container, components: inner }];
}

/** Markdown quote of every line (a transcript excerpt may hold several). */
function quote(lines: string): string {
  return lines
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
}

/**
 * `sent`: the card is shown (the state to store, when it changed). `fallback`: Discord refused
 * it; `plain` means today's answer with the file may still work, `link` that the file is too large.
 */
export type CardOutcome = { sent: string | void } | { fallback: 'plain' | 'link' };

export async function sendResultCard(
  input: { job: JobView; result: ResultUpdate; parts: ResultParts & { video: UploadFile }; logger: Logger },
  deliver: (payload: CardPayload) => Promise<string | void>,
): Promise<CardOutcome> {
  const { job, result, parts, logger } = input;
  const payload: CardPayload = {
    content: '',
    flags: MessageFlags.IsComponentsV2,
    components: resultCardComponents(job, result, parts),
    files: filesOf(parts),
  };
  try {
    return { sent: await deliver(payload) };
  } catch (err) {
    if (isTooLarge(err)) {
      logger.info({ jobId: job.id }, 'discord: upload refused as too large; sending the link only');
      return { fallback: 'link' };
    }
    if (!isCardRefused(err)) throw err;
    logger.warn(
      { jobId: job.id, err: err instanceof Error ? err.message : String(err) },
      'discord: result card refused; sending the plain answer',
    );
    return { fallback: 'plain' };
  }
}

/** The words a message shows: its content, or for a card the text of its text displays. */
export function visibleText(message: unknown): string {
  const m = message as { content?: unknown; components?: unknown } | null;
  if (typeof m?.content === 'string' && m.content !== '') return m.content;
  const texts: string[] = [];
  const walk = (nodes: unknown): void => {
    if (!Array.isArray(nodes)) return;
    for (const node of nodes as Array<{ type?: unknown; content?: unknown; components?: unknown }>) {
      if (node.type === ComponentType.TextDisplay && typeof node.content === 'string') texts.push(node.content);
      walk(node.components);
    }
  };
  walk(m?.components);
  return texts.join('\n');
}
