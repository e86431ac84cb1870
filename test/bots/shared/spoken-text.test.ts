import { expect, test } from 'vitest';
import { spokenText } from '../../../src/bots/shared/spoken-text.js';

test('Slack mentions, links and escapes leave only what should be said', () => {
  expect(spokenText('<@U123ABC> hello <#C99|general>, see <https://example.com|our page> &amp; <https://x.y>')).toBe(
    'hello , see our page &',
  );
  expect(spokenText('<!here> *Ship it* _today_ ~not~ :tada:')).toBe('Ship it today not');
});

test('Discord mentions, custom emoji, spoilers and markdown are removed', () => {
  expect(spokenText('<@!42> <@&7> **Good** morning <:wave:123456> ||secret|| [docs](https://d.io/x) in <#55>')).toBe(
    'Good morning secret docs in',
  );
  expect(spokenText('> quoted line\n# Heading\n`code` and ```js\nfenced```')).toBe('quoted line\nHeading\ncode and fenced');
});

test('text that is only markup becomes empty (the core refuses it as EMPTY)', () => {
  expect(spokenText('<@U1> <https://example.com> :smile:')).toBe('');
});

test('ordinary punctuation, numbers and non-Latin text are kept', () => {
  expect(spokenText('It costs 5 * 3 = 15, right? 你好！ Ça va.')).toBe('It costs 5 * 3 = 15, right? 你好！ Ça va.');
});
