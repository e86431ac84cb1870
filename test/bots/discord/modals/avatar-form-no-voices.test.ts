/**
 * The form when the voice list cannot be had in time (the avatar service stalls on it): the
 * voice becomes a typed field instead of a select, and a typed voice name still works.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bytesInput } from '../../../../src/core/media-input.js';
import { modalSubmitInteraction } from '../../../fakes/discord/modal-payloads.js';
import { slashInteraction, type Json } from '../../../fakes/discord/payloads.js';
import { makeJpeg } from '../../../helpers/media.js';
import { contentOf, startWorld, type World } from '../world.js';

let w: World;

beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w?.stop();
});

it('a stalled voice list: the form asks for a typed voice; the typed name is used', async () => {
  // Far beyond the form's deadline (the modal must be shown within Discord's 3 s).
  w.h.mock.failNext('voices', { kind: 'stall', ms: 8000 });
  const user = { id: '510000000000000001', username: 'novoices' };
  await w.h.core.faces.save('discord', user.id, bytesInput(await makeJpeg(), 'face.jpg'));
  const open = slashInteraction(w.base(user), { name: 'avatar', options: [], attachments: [] });
  w.fake.sendInteraction(open);
  const modal = await w.waitFor(() => w.fake.forms.modals.find((m) => m.token === String(open.token)), 10_000, 'the modal');
  const voice = (modal.data.components as Json[]).map((l) => l.component as Json).find((c) => c.custom_id === 'voice');
  expect(voice).toMatchObject({ type: 4, style: 1, required: false });

  const before = w.h.mock.speechRequests().length;
  const submit = modalSubmitInteraction(w.base(user), {
    customId: 'avatar:form',
    fields: [
      { customId: 'face', files: [] },
      { customId: 'voice-note', files: [] },
      { customId: 'text', value: 'Typed voice' },
      { customId: 'voice', value: 'preview-fr' },
    ],
  });
  w.fake.sendInteraction(submit);
  const token = String(submit.token);
  const final = await w.waitFor(
    () => w.fake.requests.find((r) => r.method === 'PATCH' && r.path.includes(token) && /^(✅|⚠️)/.test(contentOf(r))),
    30_000,
    'the final answer',
  );
  expect(contentOf(final)).toContain('ready');
  expect(
    w.h.mock
      .speechRequests()
      .slice(before)
      .map((s) => s.voice_profile_id),
  ).toEqual(['preview-fr']);
});
