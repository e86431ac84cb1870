/**
 * The App Home tab of one person: whether a face is saved (an image block would need a public
 * URL, so the face itself is not shown) and how to change it, the voice their typed text is
 * spoken in, their last videos (the list `/avatar history` shows), and a short how-to.
 */
import type { JobView, Voice } from '../../../core/ports.js';
import { voiceShownSentence } from '../../shared/words/voices.js';
import { SLACK_STYLE } from '../messages.js';
import { historyBlocks } from './history-blocks.js';

export interface HomeFacts {
  hasFace: boolean;
  savedVoice: Voice | null;
  /** The voice typed text uses when none is saved; null when the service lists none. */
  defaultVoice: Voice | null;
  jobs: JobView[];
}

const FACE_SAVED =
  '*Your face*: saved. It is used when you start a video without an image. To change it, mention me with a new image and the word `face`; `/avatar face clear` forgets it.';
const FACE_NONE =
  '*Your face*: none saved yet. Mention me with an image and the word `face` to save one (the last image you make a video with is saved too).';

const HOW_TO = [
  '*How to make a video*',
  '• Mention me with a face image and a voice clip (or record a clip in Slack), or with the words to say.',
  '• On a message with a voice clip or text: *More actions* (⋯) → *Make it talk* (uses your saved face).',
  '• `/avatar say <text>` speaks the text with your saved face.',
  '• `/avatar voice` picks the voice typed text is spoken in; `/avatar history` lists your videos here and in any channel.',
].join('\n');

function section(text: string): unknown {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/** The `home` view for views.publish. */
export function homeView(f: HomeFacts): { type: 'home'; blocks: unknown[] } {
  const voice = `*Your voice*: ${voiceShownSentence(f.savedVoice, f.defaultVoice, SLACK_STYLE)} \`/avatar voice\` changes it.`;
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Talking avatar' } },
      section(f.hasFace ? FACE_SAVED : FACE_NONE),
      section(voice),
      { type: 'divider' },
      ...historyBlocks(f.jobs),
      { type: 'divider' },
      section(HOW_TO),
    ],
  };
}
