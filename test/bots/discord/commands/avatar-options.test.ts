/**
 * `/avatar`'s options that need no speech: exactly one of `audio` and `text`, `voice` only with
 * text, and autocomplete that answers (empty) when the voice list cannot be had. Real discord.js
 * against the fake Discord; the avatar service here is unreachable, so nothing can reach it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autocompleteInteraction, messageJson, messageMenuInteraction, slashInteraction } from '../../../fakes/discord/payloads.js';
import { makeJpeg, makeTone } from '../../../helpers/media.js';
import { attachmentOption, startWorld, type World } from '../world.js';

let w: World;

beforeAll(async () => {
  // Port 9 (discard) on loopback: every call to the avatar service fails at once.
  w = await startWorld({ harness: { env: { AVATAR_API_URL: 'http://127.0.0.1:9' } } });
});
afterAll(async () => {
  await w?.stop();
});

/** The interaction's callback body, once the bot answered. */
async function callbackOf(interaction: Record<string, unknown>) {
  const cb = await w.waitFor(() => w.fake.find('POST', new RegExp(`/interactions/${String(interaction.id)}/`))[0], 10_000, 'the callback');
  return { status: cb.status, body: cb.json as { type: number; data: { content?: string; flags?: number; choices?: unknown[] } } };
}

describe('/avatar takes exactly one of audio and text', () => {
  it('refuses both, privately, naming the two options; nothing is downloaded', async () => {
    const audio = w.fake.addAttachment({ filename: 'v.wav', contentType: 'audio/wav', bytes: await makeTone(1) });
    const i = slashInteraction(w.base(w.alice), {
      name: 'avatar',
      options: [attachmentOption('audio', audio), { name: 'text', type: 3, value: 'Hello there' }],
      attachments: [audio],
    });
    w.fake.sendInteraction(i);
    const { body } = await callbackOf(i);
    expect(body.type).toBe(4);
    expect((body.data.flags ?? 0) & 64).toBe(64);
    expect(body.data.content).toContain('`audio`');
    expect(body.data.content).toContain('`text`');
    expect(body.data.content).toContain('not both');
    expect(w.fake.downloads.some((d) => String(audio.url).includes(d.path))).toBe(false);
  });

  it('refuses neither (only a face given), privately, naming the two options', async () => {
    const image = w.fake.addAttachment({ filename: 'f.jpg', contentType: 'image/jpeg', bytes: await makeJpeg() });
    const i = slashInteraction(w.base(w.alice), { name: 'avatar', options: [attachmentOption('image', image)], attachments: [image] });
    w.fake.sendInteraction(i);
    const { body } = await callbackOf(i);
    expect(body.type).toBe(4);
    expect((body.data.flags ?? 0) & 64).toBe(64);
    expect(body.data.content).toBe('Give `/avatar` an `audio` file (a voice note) or some `text` to speak.');
  });

  it('refuses a voice with a voice note (the voice note has its own)', async () => {
    const audio = w.fake.addAttachment({ filename: 'v.wav', contentType: 'audio/wav', bytes: await makeTone(1) });
    const i = slashInteraction(w.base(w.alice), {
      name: 'avatar',
      options: [attachmentOption('audio', audio), { name: 'voice', type: 3, value: 'preview-en-us' }],
      attachments: [audio],
    });
    w.fake.sendInteraction(i);
    const { body } = await callbackOf(i);
    expect((body.data.flags ?? 0) & 64).toBe(64);
    expect(body.data.content).toContain('`voice` is for typed `text`');
    expect(await w.h.core.jobs.listForRequester('discord', w.alice.id, 5)).toHaveLength(0);
  });
});

describe('voice autocomplete when the voice list cannot be had', () => {
  it('answers an empty list (callback 8) instead of failing, and logs why', async () => {
    const i = autocompleteInteraction(w.base(w.bob), {
      name: 'avatar',
      focused: { name: 'voice', value: 'en' },
      others: [{ name: 'text', type: 3, value: 'Hi' }],
    });
    w.fake.sendInteraction(i);
    const { status, body } = await callbackOf(i);
    expect(status).toBe(204);
    expect(body).toEqual({ type: 8, data: { choices: [] } });
    await w.waitFor(
      () => w.logs.find((l) => String(l.msg).includes('autocomplete') && String(l.msg).includes('answered none')),
      5_000,
      'the log line',
    );
  });
});

describe('Make it talk on a message with nothing to say', () => {
  it('answers privately that the message has no voice note and no text', async () => {
    const face = w.fake.addAttachment({ filename: 'me.jpg', contentType: 'image/jpeg', bytes: await makeJpeg() });
    const save = slashInteraction(w.base(w.bob), {
      name: 'avatar-face',
      options: [{ name: 'save', type: 1, options: [attachmentOption('image', face)] }],
      attachments: [face],
    });
    w.fake.sendInteraction(save);
    await w.waitFor(async () => (await w.h.core.faces.get('discord', w.bob.id)) !== null, 10_000, 'the saved face');
    const photo = w.fake.addAttachment({ filename: 'cat.jpg', contentType: 'image/jpeg', bytes: await makeJpeg() });
    const target = w.fake.seedMessage(
      messageJson({ channelId: w.fake.channelId, guildId: w.fake.guildId, author: w.alice, attachments: [photo] }),
    );
    const menu = messageMenuInteraction(w.base(w.bob), 'Make it talk', target);
    w.fake.sendInteraction(menu);
    const { body } = await callbackOf(menu);
    expect(body.type).toBe(4);
    expect((body.data.flags ?? 0) & 64).toBe(64);
    expect(body.data.content).toContain('no voice note and no text');
    expect(await w.h.core.jobs.listForRequester('discord', w.bob.id, 5)).toHaveLength(0);
  });
});
