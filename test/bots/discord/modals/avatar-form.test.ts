/**
 * The one-step form end to end: `/avatar` with no options opens the modal (callback type 9,
 * checked by the fake as Discord would), and its submit (MODAL_SUBMIT with the uploads in
 * `data.resolved.attachments`) starts the job as `/avatar` does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesInput } from '../../../../src/core/media-input.js';
import type { RecordedRequest } from '../../../fakes/discord/fake-discord.js';
import { modalSubmitInteraction, type SubmittedField } from '../../../fakes/discord/modal-payloads.js';
import { slashInteraction, type FakeUser, type Json } from '../../../fakes/discord/payloads.js';
import { makeJpeg, makePng, makeTone } from '../../../helpers/media.js';
import { contentOf, startWorld, type World } from '../world.js';

let w: World;
let n = 0;

beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w?.stop();
});

async function person(opts: { face?: boolean } = {}): Promise<FakeUser> {
  n += 1;
  const user = { id: `8${String(n).padStart(17, '0')}`, username: `former${n}` };
  if (opts.face === true) await w.h.core.faces.save('discord', user.id, bytesInput(await makeJpeg(), 'face.jpg'));
  return user;
}

/** Sends `/avatar` with no options; resolves with the modal the bot opened. */
async function openForm(user: FakeUser): Promise<Json> {
  const i = slashInteraction(w.base(user), { name: 'avatar', options: [], attachments: [] });
  w.fake.sendInteraction(i);
  const modal = await w.waitFor(() => w.fake.forms.modals.find((m) => m.token === String(i.token)), 10_000, 'the modal');
  return modal.data;
}

/** The Label children of a modal, by custom id. */
function fieldsOf(modal: Json): Map<string, Json & { label: string; description?: string }> {
  return new Map(
    (modal.components as Json[]).map((label) => {
      const child = label.component as Json;
      return [String(child.custom_id), { ...child, label: String(label.label), description: label.description as string | undefined }];
    }),
  );
}

function edits(token: string): RecordedRequest[] {
  return w.fake.requests.filter(
    (r) => r.method === 'PATCH' && r.path.includes(`/webhooks/${w.fake.applicationId}/${token}/messages/@original`),
  );
}

/** Submits the form; resolves with the interaction (its token answers). */
function submit(user: FakeUser, fields: SubmittedField[], customId = 'avatar:form'): Json {
  const i = modalSubmitInteraction(w.base(user), { customId, fields });
  w.fake.sendInteraction(i);
  return i;
}

async function finalAnswer(i: Json): Promise<RecordedRequest> {
  return w.waitFor(() => edits(String(i.token)).find((r) => /^(✅|⚠️)/.test(contentOf(r))), 30_000, 'the final answer');
}

/** The private refusal (callback type 4, ephemeral) of a submit. */
async function refusal(i: Json): Promise<{ content: string; flags: number }> {
  const cb = await w.waitFor(() => w.fake.find('POST', new RegExp(`/interactions/${String(i.id)}/`))[0], 10_000, 'the callback');
  const body = cb.json as { type: number; data: { content: string; flags: number } };
  expect(body.type).toBe(4);
  return body.data;
}

const file = async (name: string, type: string, bytes: Uint8Array | Promise<Uint8Array>) =>
  w.fake.addAttachment({ filename: name, contentType: type, bytes: await bytes });

describe('the one-step form', () => {
  it('opens on /avatar without options: a required face upload when none is saved, a voice note, text and a voice select', async () => {
    const modal = await openForm(await person());
    expect(modal.custom_id).toBe('avatar:form');
    const fields = fieldsOf(modal);
    expect([...fields.keys()]).toEqual(['face', 'voice-note', 'text', 'voice']);
    expect(fields.get('face')).toMatchObject({ type: 19, required: true, max_values: 1 });
    expect(fields.get('voice-note')).toMatchObject({ type: 19, required: false, min_values: 0 });
    expect(fields.get('text')).toMatchObject({ type: 4, style: 2, required: false });
    const voice = fields.get('voice') as Json;
    expect(voice.type).toBe(3);
    expect((voice.options as Json[]).map((o) => o.value)).toContain('preview-en-us');
    expect((voice.options as Json[]).length).toBeLessThanOrEqual(25);
  });

  it('says the face is optional when one is saved', async () => {
    const fields = fieldsOf(await openForm(await person({ face: true })));
    expect(fields.get('face')).toMatchObject({ type: 19, required: false, min_values: 0 });
    expect(fields.get('face')?.description).toContain('saved face');
  });

  it('a face file and a voice note make a video, shown on the result card', async () => {
    const user = await person();
    const face = await file('me.jpg', 'image/jpeg', makeJpeg());
    const note = await file('note.wav', 'audio/wav', makeTone(1));
    const i = submit(user, [
      { customId: 'face', files: [face] },
      { customId: 'voice-note', files: [note] },
      { customId: 'text', value: '' },
      { customId: 'voice', values: [] },
    ]);
    const final = await finalAnswer(i);
    expect(contentOf(final)).toContain('ready');
    expect(final.files[0]?.filename).toMatch(/\.mp4$/);
    const job = await w.jobOf(user);
    expect(job.state).toBe('completed');
    expect(job.spokenText).toBeNull();
    // Both uploads were fetched from the fake's host, as slash-command attachments are.
    expect(w.fake.downloads.some((d) => String(face.url).includes(d.path))).toBe(true);
    expect(w.fake.downloads.some((d) => String(note.url).includes(d.path))).toBe(true);
    expect(await w.h.core.faces.get('discord', user.id)).not.toBeNull();
  });

  it('typed text and a voice, with the saved face: the service speaks that text in that voice', async () => {
    const user = await person({ face: true });
    const before = w.h.mock.speechRequests().length;
    const i = submit(user, [
      { customId: 'voice-note', files: [] },
      { customId: 'text', value: 'Hello from the form' },
      { customId: 'voice', values: ['preview-de'] },
    ]);
    const final = await finalAnswer(i);
    expect(contentOf(final)).toContain('ready');
    expect(contentOf(final)).toContain('Hello from the form');
    expect(
      w.h.mock
        .speechRequests()
        .slice(before)
        .map((s) => [s.text, s.voice_profile_id]),
    ).toEqual([['Hello from the form', 'preview-de']]);
  });

  it('neither a voice note nor text: a private refusal, nothing started', async () => {
    const user = await person({ face: true });
    const i = submit(user, [
      { customId: 'voice-note', files: [] },
      { customId: 'text', value: '   ' },
    ]);
    const answer = await refusal(i);
    expect(answer.flags & 64).toBe(64);
    expect(answer.content).toBe('Give a voice note or type something to say. Open the form again and fill in one of them.');
    expect(await w.h.core.jobs.listForRequester('discord', user.id, 5)).toHaveLength(0);
  });

  it('both a voice note and text: a private refusal, the file is not even downloaded', async () => {
    const user = await person({ face: true });
    const note = await file('both.wav', 'audio/wav', makeTone(1));
    const i = submit(user, [
      { customId: 'voice-note', files: [note] },
      { customId: 'text', value: 'Hi' },
    ]);
    const answer = await refusal(i);
    expect(answer.flags & 64).toBe(64);
    expect(answer.content).toContain('not both');
    expect(w.fake.downloads.some((d) => String(note.url).includes(d.path))).toBe(false);
    expect(await w.h.core.jobs.listForRequester('discord', user.id, 5)).toHaveLength(0);
  });

  it('a file that is not audio is refused like an attachment; nothing reaches the avatar service', async () => {
    const user = await person({ face: true });
    const before = { submits: w.h.mock.stats().submits };
    const fake = await file('song.ogg', 'audio/ogg', makePng());
    const i = submit(user, [{ customId: 'voice-note', files: [fake] }]);
    const final = await finalAnswer(i);
    expect(contentOf(final)).toMatch(/^⚠️/);
    expect(contentOf(final).toLowerCase()).toContain('audio');
    expect(w.h.mock.stats().submits).toBe(before.submits);
    expect(await w.h.core.jobs.listForRequester('discord', user.id, 5)).toHaveLength(0);
  });

  it('a file on a foreign host is refused like an attachment, and is not fetched', async () => {
    const user = await person({ face: true });
    const before = w.h.mock.stats().submits;
    const foreign = { ...(await file('x.wav', 'audio/wav', makeTone(1))), url: 'https://example.invalid/x.wav' };
    const i = submit(user, [{ customId: 'voice-note', files: [foreign] }]);
    const final = await finalAnswer(i);
    expect(contentOf(final)).toContain('not stored in Discord');
    expect(w.h.mock.stats().submits).toBe(before);
  });
});
