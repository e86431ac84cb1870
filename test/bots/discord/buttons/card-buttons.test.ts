/** Delete and "Same face, new voice note" on the result card, through real button interactions. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modalSubmitInteraction } from '../../../fakes/discord/modal-payloads.js';
import { buttonInteraction, slashInteraction, type FakeUser, type Json } from '../../../fakes/discord/payloads.js';
import { makeJpeg, makeTone } from '../../../helpers/media.js';
import { attachmentOption, contentOf, startWorld, textOf, type World } from '../world.js';

let w: World;
let n = 0;

beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w?.stop();
});

function person(): FakeUser {
  n += 1;
  return { id: `6${String(n).padStart(17, '0')}`, username: `deleter${n}` };
}

/** A finished video for `user`: the job and its card message as the fake keeps it. */
async function finishedCard(user: FakeUser): Promise<{ jobId: string; message: Json; token: string }> {
  const image = w.fake.addAttachment({ filename: 'f.jpg', contentType: 'image/jpeg', bytes: await makeJpeg() });
  const audio = w.fake.addAttachment({ filename: 'v.wav', contentType: 'audio/wav', bytes: await makeTone(1) });
  const i = slashInteraction(w.base(user), {
    name: 'avatar',
    options: [attachmentOption('audio', audio), attachmentOption('image', image)],
    attachments: [audio, image],
  });
  w.fake.sendInteraction(i);
  const token = String(i.token);
  await w.waitFor(
    () => w.fake.requests.find((r) => r.method === 'PATCH' && r.path.includes(token) && contentOf(r).startsWith('✅')),
    30_000,
    'the card',
  );
  const job = await w.jobOf(user);
  await w.waitJob(job.id, (j) => j.delivered, 'delivery');
  const message = w.fake.originalOf(token);
  if (message === undefined) throw new Error('no card message');
  return { jobId: job.id, message, token };
}

/** The private answer to a click: the deferred reply's edit, or an immediate ephemeral reply. */
async function privateAnswer(click: Json): Promise<string> {
  const token = String(click.token);
  const r = await w.waitFor(
    () =>
      w.fake.requests.find((q) => q.method === 'PATCH' && q.path.includes(token) && contentOf(q) !== '') ??
      w.fake.requests.find(
        (q) => q.method === 'POST' && q.path.includes(`/interactions/${String(click.id)}/`) && (q.json as Json).type === 4,
      ),
    10_000,
    'the private answer',
  );
  const body = r.json as Json;
  return r.method === 'PATCH' ? contentOf(r) : String((body.data as Json).content);
}

describe('result card buttons', () => {
  it('Delete by the requester removes the card and discards the job: files, link and history entry gone', async () => {
    const alice = person();
    const { jobId, message, token } = await finishedCard(alice);
    expect((await w.h.core.jobs.get(jobId))?.fileUrl).not.toBeNull();
    const click = buttonInteraction(w.base(alice), `avatar:delete:${jobId}`, message);
    w.fake.sendInteraction(click);
    expect(await privateAnswer(click)).toContain('Deleted');
    expect(w.fake.messages.has(String(message.id))).toBe(false);
    // Through the job's own interaction token, which still lives.
    const deletes = w.fake.find('DELETE', new RegExp(`/webhooks/${w.fake.applicationId}/${token}/messages/@original$`));
    expect(deletes.map((r) => r.status)).toEqual([204]);
    const job = await w.h.core.jobs.get(jobId);
    expect(job?.discardedAt).not.toBeNull();
    expect(job?.fileUrl).toBeNull();
    expect(await w.h.store.getMedia(jobId)).toBeNull();
    expect(await w.h.core.jobs.listForRequester('discord', alice.id, 10)).toHaveLength(0);
  });

  it('Delete by someone else is refused privately; the card and the job stay', async () => {
    const alice = person();
    const bob = person();
    const { jobId, message } = await finishedCard(alice);
    const click = buttonInteraction(w.base(bob), `avatar:delete:${jobId}`, message);
    w.fake.sendInteraction(click);
    expect(await privateAnswer(click)).toBe('Only the person who asked for this video can do that.');
    expect(w.fake.messages.has(String(message.id))).toBe(true);
    expect((await w.h.core.jobs.get(jobId))?.discardedAt).toBeNull();
    expect(await w.h.core.jobs.listForRequester('discord', alice.id, 10)).toHaveLength(1);
  });

  it('Delete when the message is already gone still discards the job', async () => {
    const alice = person();
    const { jobId, message } = await finishedCard(alice);
    w.fake.messages.delete(String(message.id));
    const click = buttonInteraction(w.base(alice), `avatar:delete:${jobId}`, message);
    w.fake.sendInteraction(click);
    const answer = await privateAnswer(click);
    expect(answer).toContain('Deleted');
    expect(answer).not.toContain('could not remove');
    expect((await w.h.core.jobs.get(jobId))?.discardedAt).not.toBeNull();
  });

  it('Same face opens the form without the face field (the saved face is used)', async () => {
    const alice = person();
    const { jobId, message } = await finishedCard(alice);
    const click = buttonInteraction(w.base(alice), `avatar:same-face:${jobId}`, message);
    w.fake.sendInteraction(click);
    const modal = await w.waitFor(() => w.fake.forms.modals.find((m) => m.token === String(click.token)), 10_000, 'the modal');
    expect(modal.data.custom_id).toBe('avatar:form:saved-face');
    const ids = (modal.data.components as Json[]).map((l) => String((l.component as Json).custom_id));
    expect(ids).toEqual(['voice-note', 'text', 'voice']);

    // Its submit (opened from the card, so it carries the card message) uses the saved face.
    const note = w.fake.addAttachment({ filename: 'again.wav', contentType: 'audio/wav', bytes: await makeTone(1) });
    const submit = modalSubmitInteraction(w.base(alice), {
      customId: 'avatar:form:saved-face',
      fields: [{ customId: 'voice-note', files: [note] }],
      message,
    });
    w.fake.sendInteraction(submit);
    const token = String(submit.token);
    await w.waitFor(
      () => w.fake.requests.find((r) => r.method === 'PATCH' && r.path.includes(token) && contentOf(r).startsWith('✅')),
      30_000,
      'the second video',
    );
    const jobs = await w.h.core.jobs.listForRequester('discord', alice.id, 10);
    expect(jobs.map((j) => j.state)).toEqual(['completed', 'completed']);
    expect(jobs[0]?.id).not.toBe(jobId);
    // A new message for the new video: the first card is left as it was.
    expect(w.fake.originalOf(token)?.id).not.toBe(message.id);
  });

  it('Same face by someone else is refused privately, no modal', async () => {
    const alice = person();
    const bob = person();
    const { jobId, message } = await finishedCard(alice);
    const click = buttonInteraction(w.base(bob), `avatar:same-face:${jobId}`, message);
    w.fake.sendInteraction(click);
    expect(await privateAnswer(click)).toBe('Only the person who asked for this video can do that.');
    expect(w.fake.forms.modals.some((m) => m.token === String(click.token))).toBe(false);
  });
});

describe('Delete once the interaction token is past its window', () => {
  let late: World;
  beforeAll(async () => {
    late = await startWorld({ tokenTtlMs: 1 });
  });
  afterAll(async () => {
    await late?.stop();
  });

  it('removes the card the bot posted with its bot token (DELETE /channels/{c}/messages/{m}), then discards', async () => {
    const alice = person();
    const image = late.fake.addAttachment({ filename: 'f.jpg', contentType: 'image/jpeg', bytes: await makeJpeg() });
    const audio = late.fake.addAttachment({ filename: 'v.wav', contentType: 'audio/wav', bytes: await makeTone(1) });
    late.fake.sendInteraction(
      slashInteraction(late.base(alice), {
        name: 'avatar',
        options: [attachmentOption('audio', audio), attachmentOption('image', image)],
        attachments: [audio, image],
      }),
    );
    const job = await late.jobOf(alice);
    await late.waitJob(job.id, (j) => j.delivered, 'delivery');
    const card = [...late.fake.messages.values()].find((m) => textOf(m).startsWith('✅'));
    if (card === undefined) throw new Error('no card posted with the bot token');
    const click = buttonInteraction(late.base(alice), `avatar:delete:${job.id}`, card);
    late.fake.sendInteraction(click);
    await late.waitFor(() => (late.fake.messages.has(String(card.id)) ? undefined : true), 10_000, 'the card deleted');
    const del = late.fake.find('DELETE', new RegExp(`^/channels/${late.fake.channelId}/messages/${String(card.id)}$`));
    expect(del.map((r) => [r.status, r.auth])).toEqual([[204, `Bot ${late.fake.token}`]]);
    await late.waitJob(job.id, (j) => j.discardedAt !== null, 'the discard');
  });
});
