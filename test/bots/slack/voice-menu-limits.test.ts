/** The voice menu within Slack's limits: 100 options per static select, 50 blocks per message. */
import { describe, expect, it } from 'vitest';
import type { Voice } from '../../../src/core/ports.js';
import { voiceMenu, voiceOptions } from '../../../src/bots/slack/voice-menu.js';

function voices(n: number): Voice[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `v${i}`,
    name: `Voice ${i}`,
    description: 'A voice '.repeat(20),
    languages: i % 2 === 0 ? ['en'] : ['de'],
    sampleUrl: `https://voices.example/${i}.mp3`,
    premade: true,
  }));
}

type Block = { type: string; elements?: Record<string, unknown>[] };

describe('voice menu limits', () => {
  it('up to 100 voices: a static select holding all of them, options within 75 characters', () => {
    const list = voices(100);
    const menu = voiceMenu(list, list[3] ?? null, 'header');
    const select = (menu.blocks as Block[]).find((b) => b.type === 'actions')?.elements?.[0] as {
      type: string;
      options: { text: { text: string }; description?: { text: string } }[];
      initial_option: { value: string };
    };
    expect(select.type).toBe('static_select');
    expect(select.options).toHaveLength(100);
    expect(select.initial_option.value).toBe('v3');
    for (const o of select.options) {
      expect(o.text.text.length).toBeLessThanOrEqual(75);
      expect(o.description?.text.length ?? 0).toBeLessThanOrEqual(75);
    }
    expect(menu.blocks.length).toBeLessThanOrEqual(50);
  });

  it('over 100 voices: an external select, rows for the first ones only, and a note on the rest', () => {
    const list = voices(150);
    const menu = voiceMenu(list, list[120] ?? null, 'header');
    const blocks = menu.blocks as Block[];
    const select = blocks.find((b) => b.type === 'actions')?.elements?.[0] as {
      type: string;
      options?: unknown;
      initial_option: { value: string };
    };
    expect(select.type).toBe('external_select');
    expect(select.options).toBeUndefined();
    expect(select.initial_option.value).toBe('v120');
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(blocks.at(-1))).toContain('more voices are in the menu');
    // Options are served by search, 100 at most.
    expect(voiceOptions(list, '')).toHaveLength(100);
    expect(voiceOptions(list, 'de').every((o) => Number(o.value.slice(1)) % 2 === 1)).toBe(true);
  });
});
