/**
 * The voice shelf against a real SQLite store and a scripted voice list: caching, background
 * refresh, the order of choice (asked > saved > configured default > locale > first premade).
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { Voice } from '../../../src/core/ports.js';
import type { JobStore } from '../../../src/core/store/port.js';
import { openJobStore } from '../../../src/core/store/sqlite/store.js';
import { createVoiceShelf, type VoiceShelfConfig } from '../../../src/core/voices/shelf.js';

const voice = (id: string, languages: string[], premade = true): Voice => ({
  id,
  name: `Voice ${id}`,
  description: '',
  languages,
  sampleUrl: `https://voices.example/${id}.wav`,
  premade,
});

const EN = voice('en-1', ['en']);
const DE = voice('de-1', ['de']);
const YUE = voice('yue-1', ['yue']);
const MINE = voice('mine', ['en'], false);

const stores: JobStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

function setup(config: Partial<VoiceShelfConfig> = {}, lists: Voice[][] = [[EN, DE, YUE, MINE]]) {
  const store = openJobStore(':memory:');
  stores.push(store);
  let clock = 1_000_000;
  let calls = 0;
  let fail = false;
  const fetched: string[] = [];
  const shelf = createVoiceShelf(
    { ttlMs: 60_000, defaultVoiceId: undefined, ...config },
    {
      api: {
        async voices() {
          calls += 1;
          if (fail) throw new Error('service down');
          return lists[Math.min(calls - 1, lists.length - 1)] ?? [];
        },
      },
      store,
      now: () => clock,
      async fetchFile(url) {
        fetched.push(url);
        return Buffer.from(`RIFF....WAVE${url}`);
      },
    },
  );
  return {
    shelf,
    store,
    calls: () => calls,
    fetched,
    tick: (ms: number) => {
      clock += ms;
    },
    failing: (on: boolean) => {
      fail = on;
    },
  };
}

describe('the list', () => {
  test('is fetched once while fresh, served stale while a refresh runs, and a failed refresh keeps it', async () => {
    const s = setup({}, [[EN], [EN, DE]]);
    expect((await s.shelf.list()).map((v) => v.id)).toEqual(['en-1']);
    await s.shelf.list();
    expect(s.calls()).toBe(1);
    s.tick(61_000);
    // Stale: answered at once from memory; the refresh brings DE for the next read.
    expect((await s.shelf.list()).map((v) => v.id)).toEqual(['en-1']);
    await expect.poll(async () => (await s.shelf.list()).map((v) => v.id)).toEqual(['en-1', 'de-1']);
    s.failing(true);
    s.tick(61_000);
    expect((await s.shelf.list()).map((v) => v.id)).toEqual(['en-1', 'de-1']);
  });

  test('the first read fails plainly when the service cannot list voices', async () => {
    const s = setup();
    s.failing(true);
    await expect(s.shelf.list()).rejects.toThrow('service down');
  });

  test('an id not listed refreshes early once (a voice cloned a moment ago), then is unknown', async () => {
    const s = setup({}, [[EN], [EN, MINE]]);
    await s.shelf.list();
    expect(await s.shelf.find('mine')).toBeNull(); // the list is seconds old: not fetched again
    s.tick(31_000);
    expect((await s.shelf.find('mine'))?.id).toBe('mine');
    expect(s.calls()).toBe(2);
  });
});

describe('choosing the voice for typed text', () => {
  test('asked for > saved > configured default > the locale’s language > the first premade', async () => {
    const s = setup({ defaultVoiceId: 'de-1' });
    expect((await s.shelf.choose('discord', 'u1', { voiceId: 'yue-1', locale: 'en-US' })).id).toBe('yue-1');
    expect((await s.shelf.choose('discord', 'u1', { locale: 'en-US' })).id).toBe('de-1');
    await s.shelf.save('discord', 'u1', 'mine');
    expect((await s.shelf.choose('discord', 'u1', { locale: 'de' })).id).toBe('mine');

    const plain = setup();
    expect((await plain.shelf.choose('slack', 'u2', { locale: 'zh-HK' })).id).toBe('yue-1');
    expect((await plain.shelf.choose('slack', 'u2', { locale: 'de-AT' })).id).toBe('de-1');
    expect((await plain.shelf.choose('slack', 'u2', { locale: 'fi' })).id).toBe('en-1');
    expect((await plain.shelf.choose('slack', 'u2')).id).toBe('en-1');
  });

  test('an unknown id is refused with the id; a withdrawn saved voice is refused as WITHDRAWN, not swapped silently', async () => {
    const s = setup({}, [[EN, MINE], [EN]]);
    await expect(s.shelf.choose('p', 'u', { voiceId: 'nope' })).rejects.toMatchObject({ code: 'UNKNOWN_VOICE', facts: { voice: 'nope' } });
    await expect(s.shelf.save('p', 'u', 'nope')).rejects.toMatchObject({ code: 'UNKNOWN_VOICE' });
    await s.shelf.save('p', 'u', 'mine');
    s.tick(61_000);
    await s.shelf.list(); // starts the refresh that drops MINE
    await expect.poll(async () => (await s.shelf.list()).length).toBe(1);
    s.tick(31_000);
    expect(await s.shelf.saved('p', 'u')).toBeNull();
    await expect(s.shelf.choose('p', 'u')).rejects.toMatchObject({ code: 'UNKNOWN_VOICE', reason: 'WITHDRAWN', facts: { voice: 'mine' } });
    // Naming a voice still works, and picking a new one clears the refusal.
    expect((await s.shelf.choose('p', 'u', { voiceId: 'en-1' })).id).toBe('en-1');
    await s.shelf.save('p', 'u', 'en-1');
    expect((await s.shelf.choose('p', 'u')).id).toBe('en-1');
  });

  test('no voices at all: UNKNOWN_VOICE with reason NO_VOICES', async () => {
    const s = setup({}, [[]]);
    await expect(s.shelf.choose('p', 'u')).rejects.toMatchObject({ code: 'UNKNOWN_VOICE', reason: 'NO_VOICES' });
  });

  test('a saved choice is per platform and person, and clear forgets it', async () => {
    const s = setup();
    await s.shelf.save('discord', 'u1', 'de-1');
    expect((await s.shelf.saved('discord', 'u1'))?.id).toBe('de-1');
    expect(await s.shelf.saved('slack', 'u1')).toBeNull();
    expect(await s.shelf.saved('discord', 'u2')).toBeNull();
    expect(await s.shelf.clear('discord', 'u1')).toBe(true);
    expect(await s.shelf.clear('discord', 'u1')).toBe(false);
    expect(await s.shelf.saved('discord', 'u1')).toBeNull();
  });
});

test('a sample clip is fetched once per voice and typed by its bytes; none for an unknown voice', async () => {
  const s = setup();
  const clip = await s.shelf.sample('en-1');
  expect(clip?.type).toBe('audio/wav');
  await s.shelf.sample('en-1');
  expect(s.fetched).toEqual(['https://voices.example/en-1.wav']);
  expect(await s.shelf.sample('nope')).toBeNull();
});
