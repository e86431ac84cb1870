import { expect, test } from 'vitest';
import { progressSentence } from '../../../src/bots/shared/words/progress.js';

test('queued in the bot’s line: the place when known', () => {
  expect(progressSentence({ state: 'queued', queuePosition: 3, elapsedMs: 1000 })).toBe('Queued: you are number 3 in line.');
  expect(progressSentence({ state: 'queued', elapsedMs: 1000 })).toBe('Queued: starting soon.');
});

test('waiting at the service: no rendering clock and no ETA yet', () => {
  const line = progressSentence({ state: 'waiting', elapsedMs: 65_000 });
  expect(line).toBe('Sent. Waiting at the avatar service for rendering to start… 1:05 so far.');
});

test('rendering: timed from the start of rendering, with what is left or that it runs late', () => {
  expect(progressSentence({ state: 'rendering', elapsedMs: 90_000, renderingMs: 12_000, etaMs: 20_000 })).toBe(
    'Rendering your talking avatar… 0:12 so far, about 0:20 left.',
  );
  expect(progressSentence({ state: 'rendering', elapsedMs: 90_000, renderingMs: 40_000, etaMs: -1 })).toMatch(
    /0:40 so far, taking a little longer/,
  );
  expect(progressSentence({ state: 'rendering', elapsedMs: 5000 })).toBe('Rendering your talking avatar… 0:05 so far.');
});
