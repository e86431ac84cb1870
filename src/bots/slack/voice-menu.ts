/**
 * The Block Kit of `/avatar voice`: a select menu of every voice (name and languages, the
 * person's current voice preselected) and a row per voice with a ▶ Sample button. Slack's
 * limits shape it: a static_select holds at most 100 options, so a longer list becomes an
 * external_select whose options the bot serves as people type (`voiceOptions`); a message holds
 * at most 50 blocks, so only the first voices get a row, and the confirmation of a choice
 * carries the chosen voice's Sample button (every voice can be heard, the rest after choosing).
 */
import type { Voice } from '../../core/ports.js';
import { voiceChoiceLabel } from '../shared/words/voices.js';
import { escapeMrkdwn, type SlackMessage } from './messages.js';

export const VOICE_CHOOSE_ACTION = 'avatar_voice_choose';
export const VOICE_SAMPLE_ACTION = 'avatar_voice_sample';

/** Slack's limits: options per static_select, characters of an option's text and description, of a value. */
const STATIC_MAX = 100;
const OPTION_TEXT_MAX = 75;
const VALUE_MAX = 150;
/** 50 blocks per message: the header, the menu and a closing note leave room for this many rows. */
const MAX_ROWS = 45;
/** A section's text may be 3,000 characters; a description rarely needs more than a line. */
const DESCRIPTION_MAX = 200;
const ROW_LABEL_MAX = 150;

interface PlainText {
  type: 'plain_text';
  text: string;
}

interface MenuOption {
  text: PlainText;
  value: string;
  description?: PlainText;
}

const plain = (text: string): PlainText => ({ type: 'plain_text', text });

function cut(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

/** One option; a voice whose id does not fit Slack's value limit cannot be offered. */
function optionOf(voice: Voice): MenuOption | null {
  if (voice.id.length > VALUE_MAX) return null;
  const description = cut(voice.description, OPTION_TEXT_MAX);
  return {
    text: plain(voiceChoiceLabel(voice, OPTION_TEXT_MAX)),
    value: voice.id,
    ...(description === '' ? {} : { description: plain(description) }),
  };
}

/** The options matching what a person typed in the external select (name, language or description), at most 100. */
export function voiceOptions(voices: readonly Voice[], typed: string): MenuOption[] {
  const want = typed.trim().toLowerCase();
  const hits = voices.filter((v) => want === '' || `${voiceChoiceLabel(v, 1000)} ${v.description}`.toLowerCase().includes(want));
  return hits
    .map(optionOf)
    .filter((o): o is MenuOption => o !== null)
    .slice(0, STATIC_MAX);
}

function sampleButton(voice: Voice): Record<string, unknown> {
  return { type: 'button', text: plain('▶ Sample'), action_id: VOICE_SAMPLE_ACTION, value: voice.id };
}

function voiceRow(voice: Voice): Record<string, unknown> {
  const description = cut(voice.description, DESCRIPTION_MAX);
  const text = `*${escapeMrkdwn(voiceChoiceLabel(voice, ROW_LABEL_MAX))}*${description === '' ? '' : `\n_${escapeMrkdwn(description)}_`}`;
  return {
    type: 'section',
    text: { type: 'mrkdwn', text },
    ...(voice.sampleUrl === null ? {} : { accessory: sampleButton(voice) }),
  };
}

/** The menu message. `current`: the voice typed text uses today (saved, or the default). */
export function voiceMenu(voices: readonly Voice[], current: Voice | null, header: string): SlackMessage {
  const initial = current === null ? null : optionOf(current);
  const external = voices.length > STATIC_MAX;
  const select = {
    type: external ? 'external_select' : 'static_select',
    action_id: VOICE_CHOOSE_ACTION,
    placeholder: plain('Choose a voice'),
    ...(external ? { min_query_length: 0 } : { options: voiceOptions(voices, '') }),
    ...(initial === null ? {} : { initial_option: initial }),
  };
  const rows = voices.slice(0, MAX_ROWS).map(voiceRow);
  const left = voices.length - rows.length;
  const blocks: unknown[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${header}\nChoose the voice your typed text is spoken in. *▶ Sample* sends you its clip in our direct messages.`,
      },
    },
    { type: 'actions', block_id: 'avatar_voice_menu', elements: [select] },
    ...rows,
  ];
  if (left > 0) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `${left} more voices are in the menu; choosing one shows its *▶ Sample* button.` }],
    });
  }
  return { text: header, blocks };
}

/** The confirmation of a choice, with that voice's Sample button. */
export function voiceChosenMessage(voice: Voice, sentence: string): SlackMessage {
  const section = { type: 'section', text: { type: 'mrkdwn', text: `:white_check_mark: ${sentence}` } };
  return {
    text: sentence,
    blocks: voice.sampleUrl === null ? [section] : [{ ...section, accessory: sampleButton(voice) }],
  };
}
