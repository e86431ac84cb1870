/**
 * `/avatar voice` through real Bolt: the ephemeral menu (voices with their languages, the current
 * one preselected, a Sample button each), a choice in it saved and then used by `/avatar say`,
 * a withdrawn voice refused in words, the Sample button uploading the clip into the person's DM,
 * and the external select's options served as people type.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesInput } from '../../../../src/core/media-input.js';
import { buttonPayload, commandFields, selectPayload, suggestionPayload } from '../../../fakes/slack/signer.js';
import { makeJpeg } from '../../../helpers/media.js';
import { botMessage, CHANNEL, startWorld, waitFor, type SlackWorld } from '../world.js';

let w: SlackWorld;

beforeAll(async () => {
  w = await startWorld();
});

afterAll(async () => {
  await w?.stop();
});

interface Block {
  type: string;
  block_id?: string;
  text?: { text: string };
  accessory?: { action_id: string; value: string };
  elements?: {
    type: string;
    action_id?: string;
    options?: { text: { text: string }; value: string }[];
    initial_option?: { value: string };
  }[];
}

async function voiceMenu(user: string): Promise<{ text: string; blocks: Block[] }> {
  const res = await w.signer.postCommand(
    commandFields({ team: w.fake.teamId, channel: CHANNEL, user, text: 'voice', responseUrl: w.fake.responseUrl() }),
  );
  expect(res.status).toBe(200);
  const body = JSON.parse(res.text) as { response_type?: string; text: string; blocks?: Block[] };
  expect(body.response_type).toBe('ephemeral');
  return { text: body.text, blocks: body.blocks ?? [] };
}

function selectOf(blocks: Block[]) {
  const select = blocks.find((b) => b.type === 'actions')?.elements?.[0];
  if (select === undefined) throw new Error('no select in the menu');
  return select;
}

/** The response_url answers that arrived after `from`. */
async function responseAfter(from: number, re: RegExp) {
  return waitFor('response', () => w.fake.responses.slice(from).find((r) => re.test(String(r.body['text']))));
}

describe('slack voice menu', () => {
  // First: the voice list is cached once loaded.
  it('a voice list the service refuses is answered in the shared words', async () => {
    w.mock.failNext('voices', { kind: 'status', status: 401, body: { title: 'Unauthorized', status: 401 } });
    const menu = await voiceMenu('U0VOX0');
    expect(menu.text).toMatch(/^:warning: The avatar service refused my credentials/);
    expect(menu.blocks).toEqual([]);
  });

  it('lists every voice with its languages, preselects the current one, and has a Sample button per voice', async () => {
    const voices = await w.h.core.voices.list();
    expect(voices.length).toBeGreaterThan(1);
    const menu = await voiceMenu('U0VOX1');
    expect(menu.text).toMatch(/no saved voice/);
    const select = selectOf(menu.blocks);
    expect(select.type).toBe('static_select');
    expect(select.options?.map((o) => o.value)).toEqual(voices.map((v) => v.id));
    const first = voices[0];
    expect(select.options?.[0]?.text.text).toContain(first?.languages[0] ?? 'missing');
    // Nothing saved: the voice typed text would use today (the first premade) is preselected.
    expect(select.initial_option?.value).toBe(first?.id);
    const samples = menu.blocks.filter((b) => b.accessory?.action_id === 'avatar_voice_sample').map((b) => b.accessory?.value);
    expect(samples).toEqual(voices.filter((v) => v.sampleUrl !== null).map((v) => v.id));
  });

  it('a choice is saved and confirmed privately; the menu then preselects it and /avatar say speaks in it', async () => {
    const user = 'U0VOX2';
    await w.h.core.faces.save('slack', user, bytesInput(await makeJpeg(), 'face.jpg'));
    const voices = await w.h.core.voices.list();
    const chosen = voices[voices.length - 1];
    if (chosen === undefined) throw new Error('no voices');
    const from = w.fake.responses.length;
    const responseUrl = w.fake.responseUrl();
    const res = await w.signer.postInteractive(
      selectPayload({
        team: w.fake.teamId,
        channel: CHANNEL,
        user,
        messageTs: w.fake.nextTs(),
        ephemeral: true,
        responseUrl,
        actionId: 'avatar_voice_choose',
        value: chosen.id,
        label: chosen.name,
      }),
    );
    expect(res.status).toBe(200);
    const confirmed = await responseAfter(from, /Voice saved/);
    expect(confirmed.url).toBe(responseUrl);
    expect(confirmed.body['response_type']).toBe('ephemeral');
    expect(String(confirmed.body['text'])).toContain(chosen.name);
    expect((await w.h.core.voices.saved('slack', user))?.id).toBe(chosen.id);
    expect(selectOf((await voiceMenu(user)).blocks).initial_option?.value).toBe(chosen.id);

    const before = w.mock.speechRequests().length;
    await w.signer.postCommand(
      commandFields({ team: w.fake.teamId, channel: CHANNEL, user, text: 'say In my new voice', responseUrl: w.fake.responseUrl() }),
    );
    const parent = await waitFor('parent', () => w.fake.messages.find((m) => m.text?.includes(`<@${user}> asked me to say`)));
    await waitFor('result', () => botMessage(w.fake, parent.ts, /ready/));
    const sent = w.mock.speechRequests().slice(before);
    expect(sent.map((s) => [s.text, s.voice_profile_id])).toEqual([['In my new voice', chosen.id]]);

    const clear = await w.signer.postCommand(commandFields({ team: w.fake.teamId, channel: CHANNEL, user, text: 'voice clear' }));
    expect((JSON.parse(clear.text) as { text: string }).text).toMatch(/saved voice is cleared/);
    expect(await w.h.core.voices.saved('slack', user)).toBeNull();
  });

  it('a saved voice the service withdrew: /avatar voice shows none saved, and /avatar say says so instead of swapping voices', async () => {
    const user = 'U0VOX6';
    await w.h.core.faces.save('slack', user, bytesInput(await makeJpeg(), 'face.jpg'));
    await w.h.store.saveVoice('slack', user, 'withdrawn-voice', Date.now());
    const menu = await voiceMenu(user);
    expect(menu.text).toMatch(/no saved voice/);
    const before = w.mock.speechRequests().length;
    await w.signer.postCommand(
      commandFields({ team: w.fake.teamId, channel: CHANNEL, user, text: 'say Still speaking', responseUrl: w.fake.responseUrl() }),
    );
    const parent = await waitFor('parent', () => w.fake.messages.find((m) => m.text?.includes(`<@${user}> asked me to say`)));
    const refused = await waitFor('refusal', () => botMessage(w.fake, parent.ts, /no longer offered/));
    expect(refused.text).toContain('`withdrawn-voice`');
    expect(refused.text).toContain('/avatar voice');
    expect(w.mock.speechRequests().length).toBe(before);
  });

  it('a voice the service no longer lists is refused in words that say how to pick one; nothing is saved', async () => {
    const user = 'U0VOX3';
    const from = w.fake.responses.length;
    await w.signer.postInteractive(
      selectPayload({
        team: w.fake.teamId,
        channel: CHANNEL,
        user,
        messageTs: w.fake.nextTs(),
        ephemeral: true,
        responseUrl: w.fake.responseUrl(),
        actionId: 'avatar_voice_choose',
        value: 'withdrawn-voice',
        label: 'Gone',
      }),
    );
    const refused = await responseAfter(from, /do not know the voice/);
    expect(String(refused.body['text'])).toContain('`withdrawn-voice`');
    expect(String(refused.body['text'])).toContain('/avatar voice');
    expect(await w.h.core.voices.saved('slack', user)).toBeNull();
  });

  it('▶ Sample uploads the clip into the person’s DM with the bot and says so privately where they clicked', async () => {
    const user = 'U0VOX4';
    const voice = (await w.h.core.voices.list()).find((v) => v.sampleUrl !== null);
    if (voice === undefined) throw new Error('no voice with a sample');
    const from = w.fake.responses.length;
    const uploads = w.fake.uploads.length;
    await w.signer.postInteractive(
      buttonPayload({
        team: w.fake.teamId,
        channel: CHANNEL,
        user,
        messageTs: w.fake.nextTs(),
        ephemeral: true,
        responseUrl: w.fake.responseUrl(),
        actionId: 'avatar_voice_sample',
        value: voice.id,
      }),
    );
    const note = await responseAfter(from, /direct messages/);
    expect(note.body['response_type']).toBe('ephemeral');
    const up = w.fake.uploads.slice(uploads).find((u) => u.completed !== null);
    expect(up?.completed?.channel_id).toBe(w.fake.dmOf(user));
    // The clip itself (a WAV from the preview voices), fetched through the core.
    expect(up?.bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(w.fake.messages.some((m) => m.channel === w.fake.dmOf(user) && m.text?.includes(voice.name))).toBe(true);
  });

  it('the external select is served the voices matching what was typed', async () => {
    const voices = await w.h.core.voices.list();
    const target = voices[1];
    if (target === undefined) throw new Error('too few voices');
    const res = await w.signer.postInteractive(
      suggestionPayload({ team: w.fake.teamId, channel: CHANNEL, user: 'U0VOX5', actionId: 'avatar_voice_choose', value: target.name }),
    );
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as { options: { value: string }[] };
    expect(body.options.map((o) => o.value)).toEqual([target.id]);
  });
});
