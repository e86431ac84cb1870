/** The voice choices autocomplete answers, the words about text and voices, and Discord's limits on both. */
import { describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../../../src/bots/discord/commands/index.js';
import { voiceChoices } from '../../../../src/bots/discord/voices/choices.js';
import { errorWords, isFinalWords, WORDS } from '../../../../src/bots/discord/words.js';
import type { Voice } from '../../../../src/core/ports.js';
import { choiceProblems, commandProblems } from '../../../fakes/discord/command-rules.js';

const voice = (id: string, name: string, languages: string[]): Voice => ({
  id,
  name,
  description: '',
  languages,
  sampleUrl: null,
  premade: true,
});

const VOICES = [
  voice('v-anna', 'Anna', ['en', 'de']),
  voice('v-bruno', 'Bruno', ['fr']),
  voice('v-lena', 'Lena Brightwater', ['en']),
  voice('v-mei', 'Mei', ['mandarin']),
];

describe('voiceChoices', () => {
  it('matches what was typed in the name, the id or a language, names starting with it first', () => {
    expect(voiceChoices(VOICES, 'fr').map((c) => c.value)).toEqual(['v-bruno']);
    expect(voiceChoices(VOICES, 'v-mei').map((c) => c.value)).toEqual(['v-mei']);
    expect(voiceChoices(VOICES, 'MAND').map((c) => c.value)).toEqual(['v-mei']);
    // "br" is in both names; Bruno's starts with it.
    expect(voiceChoices(VOICES, 'br').map((c) => c.value)).toEqual(['v-bruno', 'v-lena']);
    expect(voiceChoices(VOICES, 'en').map((c) => c.value)).toEqual(['v-anna', 'v-lena']);
    expect(voiceChoices(VOICES, 'zzz')).toEqual([]);
  });

  it("shows the name and languages, and keeps to Discord's limits (25 choices, 100 characters)", () => {
    expect(voiceChoices(VOICES, 'anna')).toEqual([{ name: 'Anna · en, de', value: 'v-anna' }]);
    const many = Array.from({ length: 40 }, (_, i) => voice(`id-${i}`, `Voice ${i} ${'x'.repeat(120)}`, ['en']));
    many.push(voice('y'.repeat(101), 'Too long an id', ['en']));
    const choices = voiceChoices(many, '');
    expect(choices).toHaveLength(25);
    expect(choices.every((c) => c.name.length <= 100 && c.name.endsWith('…'))).toBe(true);
    expect(choiceProblems({ choices })).toEqual([]);
    expect(voiceChoices(many, 'too long')).toEqual([]);
    expect(voiceChoices([voice('v', 'Quiet', [])], '')[0]?.name).toBe('Quiet · languages not listed');
  });
});

describe('the words for typed text, in Discord markup', () => {
  it('too long says the count and the limit; empty says why', () => {
    expect(errorWords({ code: 'INVALID_TEXT', reason: 'TOO_LONG', facts: { chars: 1234, limit: 1000 } })).toBe(
      'That text is 1,234 characters long; I can speak up to 1,000. Shorten it and try again.',
    );
    expect(errorWords({ code: 'INVALID_TEXT', reason: 'EMPTY' })).toContain('nothing to say');
  });

  it('an unknown voice is named in one code span, even with a backtick in it, and says how to pick one', () => {
    const words = errorWords({ code: 'UNKNOWN_VOICE', facts: { voice: 'odd`voice' } });
    expect(words).toContain('`oddˋvoice`');
    expect(words.split('`').length % 2).toBe(1);
    expect(words).toContain('/avatar-voice set');
  });

  it('the making-the-voice line counts as progress, not as a final answer', () => {
    expect(isFinalWords(WORDS.makingVoice)).toBe(false);
  });
});

describe("Discord's limits on the definitions", () => {
  it('every command definition passes the checks Discord applies on registration', () => {
    expect(commandProblems(commandDefinitions())).toEqual([]);
  });

  it('the checks refuse what Discord refuses: a string over 6,000 characters, a required option after an optional one', () => {
    const bad = [
      {
        type: 1,
        name: 'x',
        description: 'x',
        options: [
          { type: 3, name: 'a', description: 'a', max_length: 10_000 },
          { type: 3, name: 'b', description: 'b', required: true },
        ],
      },
    ];
    expect(commandProblems(bad)).toHaveLength(2);
  });
});
