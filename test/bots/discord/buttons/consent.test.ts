/**
 * FACE_CONSENT=once on Discord, through real discord.js and the fake Discord: the first
 * `/avatar` asks with a button and fetches nothing; someone else's click is refused privately;
 * the requester's click makes the same video on the same message; the next `/avatar` is not
 * asked; a click after the wait is gone records the consent and says to send it again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonInteraction, slashInteraction, type Json } from '../../../fakes/discord/payloads.js';
import { bytesInput } from '../../../../src/core/media-input.js';
import { makeJpeg, makeTone } from '../../../helpers/media.js';
import { attachmentOption, buttonsOf, contentOf, startWorld, textOf, type World } from '../world.js';

let w: World;

beforeAll(async () => {
  w = await startWorld({ harness: { env: { FACE_CONSENT: 'once' } } });
});
afterAll(async () => {
  await w?.stop();
});

async function startSlash(user: World['alice']): Promise<{ interaction: Json; paths: string[] }> {
  const audio = w.fake.addAttachment({ filename: 'v.wav', contentType: 'audio/wav', bytes: await makeTone(1) });
  const image = w.fake.addAttachment({ filename: 'f.jpg', contentType: 'image/jpeg', bytes: await makeJpeg() });
  const interaction = slashInteraction(w.base(user), {
    name: 'avatar',
    options: [attachmentOption('audio', audio), attachmentOption('image', image)],
    attachments: [audio, image],
  });
  w.fake.sendInteraction(interaction);
  return { interaction, paths: [audio, image].map((a) => new URL(String(a.url)).pathname) };
}

function edits(interaction: Json) {
  return w.fake.requests.filter((r) => r.method === 'PATCH' && r.path.includes(String(interaction.token)));
}

function callback(click: Json): Json | undefined {
  return w.fake.find('POST', new RegExp(`/interactions/${String(click.id)}/`))[0]?.json as Json | undefined;
}

describe('the consent button', () => {
  it('asks once, refuses someone else, makes the same video on the same message, then remembers', async () => {
    const { interaction, paths } = await startSlash(w.alice);
    const asked = await w.waitFor(
      () => edits(interaction).find((r) => buttonsOf(r).some((b) => b.startsWith('avatar:consent:'))),
      10_000,
      'the consent question',
    );
    expect(contentOf(asked)).toContain('confirm that it is yours or that you have permission');
    const [buttonId = ''] = buttonsOf(asked);
    expect(buttonId).toMatch(new RegExp(`^avatar:consent:[\\w-]+:${w.alice.id}$`));
    // Nothing was fetched, stored or sent.
    expect(w.fake.downloads.filter((d) => paths.includes(d.path))).toEqual([]);
    expect(await w.h.core.jobs.listForRequester('discord', w.alice.id, 5)).toEqual([]);
    expect(w.h.mock.stats().submits).toBe(0);

    const message = w.fake.originalOf(String(interaction.token));
    if (message === undefined) throw new Error('no @original');
    const intruder = buttonInteraction(w.base(w.bob), buttonId, message);
    w.fake.sendInteraction(intruder);
    const refused = await w.waitFor(() => callback(intruder), 10_000, 'the refusal');
    const body = refused as { type: number; data: { content: string; flags: number } };
    expect(body.type).toBe(4);
    expect(body.data.flags & 64).toBe(64);
    expect(body.data.content).toBe('Only the person who sent this face can confirm it.');
    expect(await w.h.core.consent.needed('discord', w.bob.id)).toBe(true);

    const click = buttonInteraction(w.base(w.alice), buttonId, message);
    w.fake.sendInteraction(click);
    const job = await w.jobOf(w.alice);
    expect((callback(click) as { type?: number } | undefined)?.type).toBe(7);
    await w.waitJob(job.id, (j) => j.state === 'completed' && j.delivered, 'the confirmed video delivered');
    // The files were fetched once, after the click; the answer is on the message that asked.
    expect(w.fake.downloads.filter((d) => paths.includes(d.path))).toHaveLength(2);
    expect(textOf(w.fake.messages.get(String(message.id)))).toContain('ready');
    expect(await w.h.core.consent.needed('discord', w.alice.id)).toBe(false);

    // The next request goes straight ahead.
    const second = await startSlash(w.alice);
    await w.waitFor(() => edits(second.interaction).find((r) => contentOf(r).includes('ready')), 20_000, 'the second video');
    expect(edits(second.interaction).some((r) => buttonsOf(r).some((b) => b.startsWith('avatar:consent:')))).toBe(false);
  });

  it('typed text from someone not yet asked: the question comes first, with no "making the voice" line before it', async () => {
    const carol = { id: '333333333333333333', username: 'carol' };
    await w.h.core.faces.save('discord', carol.id, bytesInput(await makeJpeg()));
    const interaction = slashInteraction(w.base(carol), {
      name: 'avatar',
      options: [{ name: 'text', type: 3, value: 'Hello team.' }],
      attachments: [],
    });
    w.fake.sendInteraction(interaction);
    await w.waitFor(
      () => edits(interaction).find((r) => buttonsOf(r).some((b) => b.startsWith('avatar:consent:'))),
      10_000,
      'the consent question',
    );
    expect(
      edits(interaction)
        .map(contentOf)
        .filter((c) => /making the voice/i.test(c)),
    ).toEqual([]);
    expect(w.h.mock.speechRequests()).toEqual([]);
  });

  it('a click after the wait is gone records the consent and asks to send the request again', async () => {
    const { interaction } = await startSlash(w.bob);
    const asked = await w.waitFor(
      () => edits(interaction).find((r) => buttonsOf(r).some((b) => b.startsWith('avatar:consent:'))),
      10_000,
      'the consent question',
    );
    const message = w.fake.originalOf(String(interaction.token));
    if (message === undefined) throw new Error('no @original');
    // A nonce this process never handed out: what a click after a restart looks like.
    const stale = buttonInteraction(w.base(w.bob), `avatar:consent:AAAAAAAAAAAA:${w.bob.id}`, message);
    w.fake.sendInteraction(stale);
    const answer = (await w.waitFor(() => callback(stale), 10_000, 'the answer')) as { type: number; data: { content: string } };
    expect(answer.type).toBe(7);
    expect(answer.data.content).toBe(
      'Thank you, noted. I will not ask you again. That request is no longer waiting, so please send it again.',
    );
    expect(await w.h.core.consent.needed('discord', w.bob.id)).toBe(false);
    expect(await w.h.core.jobs.listForRequester('discord', w.bob.id, 5)).toEqual([]);
    expect(buttonsOf(asked)).toHaveLength(1);
  });
});
