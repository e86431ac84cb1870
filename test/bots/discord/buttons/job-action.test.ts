/** Cancel and Retry on the progress message, through real button interactions. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonInteraction, slashInteraction, type Json } from '../../../fakes/discord/payloads.js';
import { makeJpeg, makeTone } from '../../../helpers/media.js';
import { attachmentOption, buttonsOf, contentOf, startWorld, textOf, type World } from '../world.js';

let w: World;

beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w?.stop();
});

async function startSlash(user: World['alice']): Promise<Json> {
  const audio = w.fake.addAttachment({ filename: 'v.wav', contentType: 'audio/wav', bytes: await makeTone(1) });
  const image = w.fake.addAttachment({ filename: 'f.jpg', contentType: 'image/jpeg', bytes: await makeJpeg() });
  const interaction = slashInteraction(w.base(user), {
    name: 'avatar',
    options: [attachmentOption('audio', audio), attachmentOption('image', image)],
    attachments: [audio, image],
  });
  w.fake.sendInteraction(interaction);
  return interaction;
}

/** The @original message of an interaction, as the fake holds it. */
function original(interaction: Json): Json {
  const msg = w.fake.originalOf(String(interaction.token));
  if (msg === undefined) throw new Error('original not found');
  return msg;
}

function callbackTypes(path: RegExp): number[] {
  return w.fake.find('POST', path).map((r) => (r.json as { type?: number }).type ?? -1);
}

describe('buttons', () => {
  it('a failed job shows Retry; the requester retries and the same message gets the video', async () => {
    w.h.mock.nextOutcome({ status: 'FAILED', error: 'render crashed' });
    const interaction = await startSlash(w.alice);
    const token = String(interaction.token);
    const failed = await w.waitFor(
      () =>
        w.fake.requests.find(
          (r) => r.method === 'PATCH' && r.path.includes(token) && buttonsOf(r).some((b) => b.startsWith('avatar:retry:')),
        ),
      20_000,
      'the failure with a Retry button',
    );
    expect(contentOf(failed)).toContain('failed');
    const job = await w.jobOf(w.alice);
    expect(job.state).toBe('failed');
    const message = original(interaction);
    const click = buttonInteraction(w.base(w.alice), `avatar:retry:${job.id}`, message);
    w.fake.sendInteraction(click);
    const done = await w.waitFor(
      () => w.fake.requests.find((r) => r.method === 'PATCH' && r.path.includes(String(click.token)) && contentOf(r).includes('ready')),
      20_000,
      'the retried result',
    );
    expect(callbackTypes(new RegExp(`/interactions/${String(click.id)}/`))).toEqual([7]);
    const retried = (await w.h.core.jobs.listForRequester('discord', w.alice.id, 1))[0];
    expect(retried?.id).not.toBe(job.id);
    expect(retried?.state).toBe('completed');
    expect(contentOf(done)).toContain(retried?.fileUrl ?? 'missing');
    // The edit went to the message the button was on.
    expect(textOf(w.fake.messages.get(String(message.id)))).toBe(contentOf(done));
  });

  it('Cancel: another user is refused, the requester cancels and the message says so', async () => {
    w.h.mock.nextOutcome({ status: 'STUCK' });
    const interaction = await startSlash(w.bob);
    const token = String(interaction.token);
    await w.waitFor(
      () =>
        w.fake.requests.find(
          (r) => r.method === 'PATCH' && r.path.includes(token) && buttonsOf(r).some((b) => b.startsWith('avatar:cancel:')),
        ),
      20_000,
      'a progress edit with Cancel',
    );
    const job = await w.jobOf(w.bob);
    const message = original(interaction);

    const intruder = buttonInteraction(w.base(w.alice), `avatar:cancel:${job.id}`, message);
    w.fake.sendInteraction(intruder);
    const refusal = await w.waitFor(
      () => w.fake.find('POST', new RegExp(`/interactions/${String(intruder.id)}/`))[0],
      10_000,
      'the refusal',
    );
    const refusalBody = refusal.json as { type: number; data: { content: string; flags: number } };
    expect(refusalBody.type).toBe(4);
    expect(refusalBody.data.flags & 64).toBe(64);
    expect(refusalBody.data.content).toContain('Only the person');
    expect((await w.h.core.jobs.get(job.id))?.state).not.toBe('canceled');

    const click = buttonInteraction(w.base(w.bob), `avatar:cancel:${job.id}`, message);
    w.fake.sendInteraction(click);
    await w.waitJob(job.id, (j) => j.state === 'canceled' && j.delivered, 'the canceled job delivered');
    expect(callbackTypes(new RegExp(`/interactions/${String(click.id)}/`))).toEqual([6]);
    const last = w.fake.requests.filter((r) => r.method === 'PATCH' && r.path.includes(token)).at(-1);
    expect(last && contentOf(last)).toContain('Canceled');
    expect(last && buttonsOf(last)).toEqual([]);
  });
});
