import { expect, test } from 'vitest';
import { forgetSentence } from '../../../src/bots/shared/words/forget.js';
import { PLAIN_STYLE } from '../../../src/bots/shared/words/style.js';

const discordish = { bold: (t: string) => `**${t}**`, platform: 'Discord' };

test('"forget me" says what was canceled and deleted, in the adapter’s markup', () => {
  expect(forgetSentence({ canceled: 0, face: true, voice: true, consent: false, jobs: 12, media: 3 }, PLAIN_STYLE)).toBe(
    'Deleted your saved face, your chosen voice, 12 videos and their files. Nothing else of yours is kept.',
  );
  expect(forgetSentence({ canceled: 1, face: false, voice: false, consent: false, jobs: 1, media: 1 }, discordish)).toBe(
    'Canceled 1 video still being made. **Deleted** 1 video and its files. Nothing else of yours is kept; messages already posted in Discord stay until you delete them.',
  );
  expect(forgetSentence({ canceled: 0, face: false, voice: false, consent: false, jobs: 2, media: 0 }, PLAIN_STYLE)).toBe(
    'Deleted 2 videos. Nothing else of yours is kept.',
  );
  expect(forgetSentence({ canceled: 0, face: true, voice: false, consent: false, jobs: 0, media: 0 }, PLAIN_STYLE)).toBe(
    'Deleted your saved face. Nothing else of yours is kept.',
  );
  expect(forgetSentence({ canceled: 0, face: false, voice: false, consent: false, jobs: 0, media: 0 }, discordish)).toBe(
    'There was nothing of yours to delete: no saved face, no videos; messages already posted in Discord stay until you delete them.',
  );
});

test('"forget me" names a deleted consent: the person is asked again next time', () => {
  expect(forgetSentence({ canceled: 0, face: true, voice: false, consent: true, jobs: 0, media: 0 }, PLAIN_STYLE)).toBe(
    'Deleted your saved face, your permission to use a face. Nothing else of yours is kept.',
  );
});
