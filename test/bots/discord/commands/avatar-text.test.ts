/**
 * Typed text on Discord end to end: real discord.js against the fake Discord, the real core and
 * the fake avatar service, which speaks (preview voices) and records every text-to-speech
 * request. TEXT_MAX_CHARS is small here so "too long" is cheap to reach.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesInput } from '../../../../src/core/media-input.js';
import type { RecordedRequest } from '../../../fakes/discord/fake-discord.js';
import {
  autocompleteInteraction,
  messageJson,
  messageMenuInteraction,
  slashInteraction,
  type FakeUser,
  type SlashOption,
} from '../../../fakes/discord/payloads.js';
import { makeJpeg, makeTone } from '../../../helpers/media.js';
import { attachmentOption, contentOf, startWorld, type World } from '../world.js';

const TEXT_MAX = 60;
let w: World;
let n = 0;

beforeAll(async () => {
  w = await startWorld({ harness: { env: { TEXT_MAX_CHARS: String(TEXT_MAX) } } });
});
afterAll(async () => {
  await w?.stop();
});

/** A new person (so each test's jobs, voice and quota are its own), with a saved face. */
async function person(opts: { face?: boolean } = {}): Promise<FakeUser> {
  n += 1;
  const user = { id: `7${String(n).padStart(17, '0')}`, username: `typist${n}` };
  if (opts.face !== false) await w.h.core.faces.save('discord', user.id, bytesInput(await makeJpeg(), 'face.jpg'));
  return user;
}

function edits(token: string): RecordedRequest[] {
  return w.fake.requests.filter(
    (r) => r.method === 'PATCH' && r.path.includes(`/webhooks/${w.fake.applicationId}/${token}/messages/@original`),
  );
}

/** Sends `/avatar` with these options; resolves with the first final answer (✅ or ⚠️) on its message. */
async function avatar(user: FakeUser, options: SlashOption[], locale?: string): Promise<{ final: RecordedRequest; token: string }> {
  const i = slashInteraction(w.base(user, locale === undefined ? {} : { locale }), { name: 'avatar', options, attachments: [] });
  w.fake.sendInteraction(i);
  const token = String(i.token);
  const final = await w.waitFor(() => edits(token).find((r) => /^(✅|⚠️)/.test(contentOf(r))), 30_000, 'the final answer');
  return { final, token };
}

const text = (value: string): SlashOption => ({ name: 'text', type: 3, value });
const voice = (value: string): SlashOption => ({ name: 'voice', type: 3, value });

/** The TTS requests made since `from`. */
const speechSince = (from: number) => w.h.mock.speechRequests().slice(from);

describe('/avatar text', () => {
  it('speaks the text (mentions and markup removed) in the default voice for the locale, shows "making the voice" first, then answers with the video', async () => {
    const user = await person();
    const before = w.h.mock.speechRequests().length;
    const { final, token } = await avatar(user, [text('<@123456789012345678> Hello **there**, friends!')]);
    expect(contentOf(final)).toContain('ready');
    expect(final.files[0]?.filename).toMatch(/\.mp4$/);
    const spoken = speechSince(before);
    expect(spoken.map((s) => [s.text, s.voice_profile_id])).toEqual([['Hello there, friends!', 'preview-en-us']]);
    // One message: the voice line first, then the render's progress, then the video.
    const contents = edits(token).map(contentOf);
    expect(contents[0]).toBe('🗣️ Making the voice from your text…');
    expect(contents.slice(1, -1).every((c) => !c.includes('Making the voice'))).toBe(true);
    const job = await w.jobOf(user);
    expect(job.state).toBe('completed');
  });

  it('uses the voice named in `voice` (by id, or by its exact name)', async () => {
    const user = await person();
    const before = w.h.mock.speechRequests().length;
    const byId = await avatar(user, [text('Guten Tag'), voice('preview-de')]);
    expect(contentOf(byId.final)).toContain('ready');
    const byName = await avatar(user, [text('Bonjour'), voice('preview voice · français')]);
    expect(contentOf(byName.final)).toContain('ready');
    expect(speechSince(before).map((s) => s.voice_profile_id)).toEqual(['preview-de', 'preview-fr']);
  });

  it("picks the default voice in the person's Discord language", async () => {
    const user = await person();
    const before = w.h.mock.speechRequests().length;
    await avatar(user, [text('Hola a todos')], 'es-ES');
    expect(speechSince(before).map((s) => s.voice_profile_id)).toEqual(['preview-es']);
  });

  it('an unknown voice gets the UNKNOWN_VOICE words, and nothing is spoken or sent', async () => {
    const user = await person();
    const before = { speech: w.h.mock.speechRequests().length, submits: w.h.mock.stats().submits };
    const { final } = await avatar(user, [text('Hello'), voice('no-such-voice')]);
    expect(contentOf(final)).toBe(
      '⚠️ I do not know the voice `no-such-voice` (it may have been withdrawn). Pick one in the `voice` option of `/avatar` (it lists them as you type), or save one with `/avatar-voice set`.',
    );
    expect(w.h.mock.speechRequests().length).toBe(before.speech);
    expect(w.h.mock.stats().submits).toBe(before.submits);
  });

  it('text over TEXT_MAX_CHARS is refused with the count and the limit; nothing reaches the service', async () => {
    const user = await person();
    const before = { speech: w.h.mock.speechRequests().length, submits: w.h.mock.stats().submits };
    const long = 'a'.repeat(TEXT_MAX + 15);
    const { final } = await avatar(user, [text(long)]);
    expect(contentOf(final)).toBe(
      `⚠️ That text is ${TEXT_MAX + 15} characters long; I can speak up to ${TEXT_MAX}. Shorten it and try again.`,
    );
    expect(w.h.mock.speechRequests().length).toBe(before.speech);
    expect(w.h.mock.stats().submits).toBe(before.submits);
    expect(await w.h.core.jobs.listForRequester('discord', user.id, 5)).toHaveLength(0);
  });

  it('text that is empty once mentions are removed gets the EMPTY words', async () => {
    const user = await person();
    const before = w.h.mock.speechRequests().length;
    const { final } = await avatar(user, [text('<@123456789012345678> <#223456789012345678>')]);
    expect(contentOf(final)).toContain('There is nothing to say');
    expect(w.h.mock.speechRequests().length).toBe(before);
  });

  it('a text-to-speech failure gets the same words as a video failure (402: credits, 500: service error)', async () => {
    const user = await person();
    w.h.mock.failNext('tts', {
      kind: 'status',
      status: 402,
      body: { title: 'Payment Required', status: 402, detail: 'Insufficient credits.' },
    });
    const credits = await avatar(user, [text('Hello')]);
    expect(contentOf(credits.final)).toBe('⚠️ The avatar service is out of credits. Please tell the bot admin.');
    w.h.mock.failNext('tts', { kind: 'status', status: 500, body: { title: 'Internal Server Error', status: 500 } });
    const broken = await avatar(user, [text('Hello again')]);
    expect(contentOf(broken.final)).toMatch(/^⚠️ The avatar service had an error \(HTTP 500\)\. Try again in a few minutes\.$/);
    expect(await w.h.core.jobs.listForRequester('discord', user.id, 5)).toHaveLength(0);
  });
});

describe('voice autocomplete', () => {
  it('answers the voices matching what was typed, with name and languages, ids as values', async () => {
    const user = await person({ face: false });
    const ask = async (typed: string, command: { name: string; subcommand?: string } = { name: 'avatar' }) => {
      const i = autocompleteInteraction(w.base(user), { ...command, focused: { name: 'voice', value: typed } });
      w.fake.sendInteraction(i);
      const cb = await w.waitFor(() => w.fake.find('POST', new RegExp(`/interactions/${String(i.id)}/`))[0], 10_000, 'the choices');
      expect(cb.status).toBe(204);
      return (cb.json as { type: number; data: { choices: Array<{ name: string; value: string }> } }).data.choices;
    };
    expect(await ask('deutsch')).toEqual([{ name: 'Preview voice · Deutsch · de', value: 'preview-de' }]);
    const english = await ask('en');
    expect(english.map((c) => c.value)).toEqual(expect.arrayContaining(['preview-en-us', 'preview-en-gb']));
    expect(english.every((c) => c.name.includes('en'))).toBe(true);
    const all = await ask('');
    expect(all.length).toBeGreaterThan(2);
    expect(all.length).toBeLessThanOrEqual(25);
    // The same list inside /avatar-voice's subcommands.
    expect(await ask('deutsch', { name: 'avatar-voice', subcommand: 'set' })).toEqual([
      { name: 'Preview voice · Deutsch · de', value: 'preview-de' },
    ]);
    expect((await ask('fr', { name: 'avatar-voice', subcommand: 'sample' })).map((c) => c.value)).toEqual(['preview-fr']);
  });
});

describe('Make it talk on a text message', () => {
  it("speaks the message's text with the saved face and answers with the video", async () => {
    const user = await person();
    const before = w.h.mock.speechRequests().length;
    const target = w.fake.seedMessage(
      messageJson({
        channelId: w.fake.channelId,
        guildId: w.fake.guildId,
        author: w.bob,
        content: 'Ship it on __Friday__ <:party:123456789012345678>',
      }),
    );
    const menu = messageMenuInteraction(w.base(user), 'Make it talk', target);
    w.fake.sendInteraction(menu);
    const token = String(menu.token);
    const final = await w.waitFor(() => edits(token).find((r) => /^(✅|⚠️)/.test(contentOf(r))), 30_000, 'the result');
    expect(contentOf(final)).toContain('ready');
    expect(speechSince(before).map((s) => s.text)).toEqual(['Ship it on Friday']);
    const job = await w.jobOf(user);
    expect(job.replyTo).toBe(`discord:${w.fake.guildId}:${w.fake.channelId}:${String(target.id)}`);
  });
});

describe('/avatar-voice', () => {
  async function run(user: FakeUser, sub: string, options: SlashOption[] = []): Promise<RecordedRequest> {
    const i = slashInteraction(w.base(user), { name: 'avatar-voice', options: [{ name: sub, type: 1, options }], attachments: [] });
    w.fake.sendInteraction(i);
    const answer = await w.waitFor(() => edits(String(i.token))[0], 15_000, `/avatar-voice ${sub}`);
    const defer = w.fake.find('POST', new RegExp(`/interactions/${String(i.id)}/`))[0];
    expect((defer?.json as { data: { flags: number } }).data.flags & 64).toBe(64);
    return answer;
  }

  it('show says the default, set saves a voice, show says it, and /avatar text without voice uses it', async () => {
    const user = await person();
    expect(contentOf(await run(user, 'show'))).toBe(
      'You have no saved voice; your typed text is spoken in **Preview voice · English (US)** (en, en-US), the default.',
    );
    expect(contentOf(await run(user, 'set', [voice('preview-fr')]))).toBe(
      '✅ Voice saved: **Preview voice · Français** (fr). Your typed text is spoken in it when you name no voice.',
    );
    expect(contentOf(await run(user, 'show'))).toBe('Your voice is **Preview voice · Français** (fr).');
    const before = w.h.mock.speechRequests().length;
    const { final } = await avatar(user, [text('Bonjour tout le monde')]);
    expect(contentOf(final)).toContain('ready');
    expect(speechSince(before).map((s) => s.voice_profile_id)).toEqual(['preview-fr']);
    expect(contentOf(await run(user, 'clear'))).toContain('cleared');
    expect(await w.h.core.voices.saved('discord', user.id)).toBeNull();
  });

  it('set refuses an unknown voice with the UNKNOWN_VOICE words', async () => {
    const user = await person();
    expect(contentOf(await run(user, 'set', [voice('nope')]))).toContain('I do not know the voice `nope`');
    expect(await w.h.core.voices.saved('discord', user.id)).toBeNull();
  });

  it("sample answers privately with the voice's clip attached as WAV", async () => {
    const user = await person();
    const answer = await run(user, 'sample', [voice('preview-de')]);
    expect(contentOf(answer)).toBe('🔊 A sample of **Preview voice · Deutsch** (de).');
    expect(answer.files).toHaveLength(1);
    expect(answer.files[0]?.contentType).toBe('audio/wav');
    expect(answer.files[0]?.filename).toMatch(/\.wav$/);
    expect(answer.files[0]?.size).toBeGreaterThan(1000);
  });

  it('sample says so when the clip is over the upload limit', async () => {
    const user = await person();
    const i = slashInteraction(w.base(user, { attachmentSizeLimit: 500 }), {
      name: 'avatar-voice',
      options: [{ name: 'sample', type: 1, options: [voice('preview-en-gb')] }],
      attachments: [],
    });
    w.fake.sendInteraction(i);
    const answer = await w.waitFor(() => edits(String(i.token))[0], 15_000, 'the sample answer');
    expect(contentOf(answer)).toMatch(
      /^The sample of \*\*Preview voice · English \(UK\)\*\* \(en, en-GB\) is .+, over the 500 bytes upload limit here\.$/,
    );
    expect(answer.files).toHaveLength(0);
  });
});

it('a voice note still works beside text (the audio path is unchanged)', async () => {
  const user = await person();
  const audio = w.fake.addAttachment({ filename: 'v.wav', contentType: 'audio/wav', bytes: await makeTone(1) });
  const i = slashInteraction(w.base(user), { name: 'avatar', options: [attachmentOption('audio', audio)], attachments: [audio] });
  const before = w.h.mock.speechRequests().length;
  w.fake.sendInteraction(i);
  const final = await w.waitFor(() => edits(String(i.token)).find((r) => contentOf(r).includes('ready')), 30_000, 'the result');
  expect(edits(String(i.token)).map(contentOf)).not.toContain('🗣️ Making the voice from your text…');
  expect(final.files.filter((f) => /\.mp4$/.test(f.filename ?? ''))).toHaveLength(1);
  expect(w.h.mock.speechRequests().length).toBe(before);
});
