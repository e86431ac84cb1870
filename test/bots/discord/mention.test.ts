/**
 * The two voice-note entry points: the "Make it talk" message menu (saved face) and a mention
 * replying to a voice message (MESSAGE_CONTENT on), plus the pointer answer when it is off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageJson, messageMenuInteraction, slashInteraction, type Json } from '../../fakes/discord/payloads.js';
import { makeJpeg, makeTone } from '../../helpers/media.js';
import { attachmentOption, contentOf, startWorld, textOf, type World } from './world.js';

let w: World;
let off: World;

beforeAll(async () => {
  [w, off] = await Promise.all([startWorld({ messageContent: true }), startWorld({ messageContent: false })]);
});
afterAll(async () => {
  await Promise.all([w?.stop(), off?.stop()]);
});

async function voiceMessage(world: World, author: World['alice']): Promise<Json> {
  const voice = world.fake.addAttachment({
    filename: 'voice-message.ogg',
    contentType: 'audio/ogg',
    bytes: await makeTone(1, 'ogg'),
    durationSecs: 1,
    waveform: 'AAAA',
  });
  return world.fake.seedMessage(
    messageJson({ channelId: world.fake.channelId, guildId: world.fake.guildId, author, attachments: [voice], flags: 8192 }),
  );
}

describe('Make it talk (message menu)', () => {
  it('without a saved face, answers privately how to give one', async () => {
    const target = await voiceMessage(w, w.bob);
    const menu = messageMenuInteraction(w.base(w.bob), 'Make it talk', target);
    w.fake.sendInteraction(menu);
    const cb = await w.waitFor(() => w.fake.find('POST', new RegExp(`/interactions/${String(menu.id)}/`))[0], 10_000, 'the answer');
    const body = cb.json as { type: number; data: { content: string; flags: number } };
    expect(body.type).toBe(4);
    expect(body.data.flags & 64).toBe(64);
    expect(body.data.content).toContain('/avatar-face save');
    expect(await w.h.core.jobs.listForRequester('discord', w.bob.id, 1)).toHaveLength(0);
  });

  it('after /avatar-face save, makes the voice note talk with the saved face', async () => {
    const face = w.fake.addAttachment({ filename: 'me.jpg', contentType: 'image/jpeg', bytes: await makeJpeg() });
    const save = slashInteraction(w.base(w.alice), {
      name: 'avatar-face',
      options: [{ name: 'save', type: 1, options: [attachmentOption('image', face)] }],
      attachments: [face],
    });
    w.fake.sendInteraction(save);
    const saved = await w.waitFor(
      () => w.fake.requests.find((r) => r.method === 'PATCH' && r.path.includes(String(save.token))),
      10_000,
      'the save answer',
    );
    expect(contentOf(saved)).toContain('Face saved');
    expect(await w.h.core.faces.get('discord', w.alice.id)).not.toBeNull();

    const target = await voiceMessage(w, w.bob);
    const menu = messageMenuInteraction(w.base(w.alice), 'Make it talk', target);
    w.fake.sendInteraction(menu);
    const done = await w.waitFor(
      () => w.fake.requests.find((r) => r.method === 'PATCH' && r.path.includes(String(menu.token)) && contentOf(r).includes('ready')),
      20_000,
      'the result',
    );
    const job = await w.jobOf(w.alice);
    expect(job.state).toBe('completed');
    expect(contentOf(done)).toContain(job.fileUrl ?? 'missing');
    // Where a bot-token answer would go: replying to the voice note.
    expect(job.replyTo).toBe(`discord:${w.fake.guildId}:${w.fake.channelId}:${String(target.id)}`);
  });
  it('an audio/* attachment whose bytes are not audio is refused before any job', async () => {
    const fake = w.fake;
    const bogus = fake.addAttachment({ filename: 'song.ogg', contentType: 'audio/ogg', bytes: await makeJpeg() });
    const target = fake.seedMessage(messageJson({ channelId: fake.channelId, guildId: fake.guildId, author: w.bob, attachments: [bogus] }));
    const before = w.h.mock.stats().submits;
    const jobsBefore = (await w.h.core.jobs.listForRequester('discord', w.alice.id, 10)).length;
    const menu = messageMenuInteraction(w.base(w.alice), 'Make it talk', target);
    fake.sendInteraction(menu);
    const answer = await w.waitFor(
      () => fake.requests.find((r) => r.method === 'PATCH' && r.path.includes(String(menu.token))),
      10_000,
      'the refusal',
    );
    expect(contentOf(answer)).toContain('not really audio');
    expect(await w.h.core.jobs.listForRequester('discord', w.alice.id, 10)).toHaveLength(jobsBefore);
    expect(w.h.mock.stats().submits).toBe(before);
  });
});

describe('mention replying to a voice note', () => {
  it('with MESSAGE_CONTENT on: replies to the mention, then edits that reply into the result', async () => {
    const carol = { id: '555555555555555555', username: 'carol' };
    const voice = await voiceMessage(w, w.bob);
    const image = w.fake.addAttachment({ filename: 'face.jpg', contentType: 'image/jpeg', bytes: await makeJpeg() });
    const mention = messageJson({
      channelId: w.fake.channelId,
      guildId: w.fake.guildId,
      author: carol,
      content: `<@${w.fake.botUser.id}> make it talk`,
      mentions: [w.fake.botUser],
      attachments: [image],
      reference: { messageId: String(voice.id), channelId: w.fake.channelId, guildId: w.fake.guildId },
    });
    w.fake.seedMessage(mention);
    w.fake.dispatch('MESSAGE_CREATE', { ...mention, member: { roles: [], joined_at: new Date().toISOString() } });
    const reply = await w.waitFor(
      () =>
        w.fake
          .find('POST', new RegExp(`^/channels/${w.fake.channelId}/messages$`))
          .find(
            (r) =>
              (r.json as Json).message_reference !== undefined && ((r.json as Json).message_reference as Json).message_id === mention.id,
          ),
      10_000,
      'the reply to the mention',
    );
    expect(reply.auth).toBe(`Bot ${w.fake.token}`);
    const job = await w.jobOf(carol);
    const done = await w.waitJob(job.id, (j) => j.delivered, 'delivery');
    expect(done.state).toBe('completed');
    const replyMessage = [...w.fake.messages.values()].find((m) => (m.message_reference as Json | undefined)?.message_id === mention.id);
    expect(textOf(replyMessage)).toContain(done.fileUrl ?? 'missing');
    expect((replyMessage?.attachments as Json[]).filter((a) => /\.mp4$/.test(String(a.filename)))).toHaveLength(1);
    // The face in the mention became carol's saved face.
    await w.waitFor(() => w.h.core.faces.get('discord', carol.id), 5_000, 'the saved face');
  });

  it('with MESSAGE_CONTENT off: points to the message menu instead of staying silent', async () => {
    expect((off.fake.gateway.lastIntents ?? 0) & (1 << 15)).toBe(0);
    const voice = await voiceMessage(off, off.bob);
    const mention = messageJson({
      channelId: off.fake.channelId,
      guildId: off.fake.guildId,
      author: off.alice,
      content: `<@${off.fake.botUser.id}>`,
      mentions: [off.fake.botUser],
      reference: { messageId: String(voice.id), channelId: off.fake.channelId, guildId: off.fake.guildId },
    });
    off.fake.dispatch('MESSAGE_CREATE', mention);
    const reply = await off.waitFor(
      () => off.fake.find('POST', new RegExp(`^/channels/${off.fake.channelId}/messages$`))[0],
      10_000,
      'the pointer',
    );
    expect(contentOf(reply)).toContain('Make it talk');
    expect(((reply.json as Json).message_reference as Json).message_id).toBe(mention.id);
    expect(off.h.mock.stats().submits).toBe(0);
  });
});
