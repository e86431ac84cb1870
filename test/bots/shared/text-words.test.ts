import { expect, test } from 'vitest';
import { errorSentence } from '../../../src/bots/shared/words/errors.js';
import { forgetSentence } from '../../../src/bots/shared/words/forget.js';
import { PLAIN_STYLE } from '../../../src/bots/shared/words/style.js';

const discordish = { ...PLAIN_STYLE, code: (t: string) => `\`${t}\``, voiceHowTo: 'Use `/avatar-voice set`.' };

test('text refusals name the count and the limit, or the spoken length, or say it is empty', () => {
  expect(errorSentence({ code: 'INVALID_TEXT', reason: 'TOO_LONG', facts: { chars: 1234, limit: 1000 } })).toBe(
    'That text is 1,234 characters long; I can speak up to 1,000. Shorten it and try again.',
  );
  expect(errorSentence({ code: 'INVALID_TEXT', reason: 'SPEECH_TOO_LONG', facts: { seconds: 400, max: 300 } })).toMatch(
    /^Spoken, that text lasts 6 min 40 s; a video can be up to 5 min\. Shorten the text/,
  );
  expect(errorSentence({ code: 'INVALID_TEXT', reason: 'EMPTY' })).toMatch(/nothing to say/);
});

test('an unknown voice names it in the adapter’s markup and says how to pick one', () => {
  expect(errorSentence({ code: 'UNKNOWN_VOICE', facts: { voice: 'v-9' } }, discordish)).toBe(
    'I do not know the voice `v-9` (it may have been withdrawn). Use `/avatar-voice set`.',
  );
  expect(errorSentence({ code: 'UNKNOWN_VOICE', reason: 'NO_VOICES' })).toMatch(/lists no voices/);
  expect(errorSentence({ code: 'UNKNOWN_VOICE', reason: 'WITHDRAWN', facts: { voice: 'v-9' } }, discordish)).toBe(
    'Your saved voice `v-9` is no longer offered. Use `/avatar-voice set`.',
  );
});

test('"forget me" names a cleared voice', () => {
  expect(forgetSentence({ canceled: 0, face: false, voice: true, consent: false, jobs: 0, media: 0 }, PLAIN_STYLE)).toBe(
    'Deleted your chosen voice. Nothing else of yours is kept.',
  );
});
