/** `/avatar-face forget`, through the real discord.js against the fake Discord: private, counted, complete (face, voice, videos). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { commandDefinitions } from '../../../../src/bots/discord/commands/index.js';
import { slashInteraction } from '../../../fakes/discord/payloads.js';
import { makeJpeg, makeTone } from '../../../helpers/media.js';
import { attachmentOption, contentOf, startWorld, type World } from '../world.js';

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w?.stop();
});

async function video(user: World['alice']) {
  const audio = w.fake.addAttachment({ filename: 'voice.wav', contentType: 'audio/wav', bytes: await makeTone(1) });
  const image = w.fake.addAttachment({ filename: 'face.jpg', contentType: 'image/jpeg', bytes: await makeJpeg() });
  w.fake.sendInteraction(
    slashInteraction(w.base(user), {
      name: 'avatar',
      options: [attachmentOption('audio', audio), attachmentOption('image', image)],
      attachments: [audio, image],
    }),
  );
  const job = await w.jobOf(user);
  return w.waitJob(job.id, (j) => j.delivered, 'the video delivered');
}

it('/avatar-face forget deletes the face and every video of the person, says so privately, and leaves others alone', async () => {
  const mine = await video(w.alice);
  const theirs = await video(w.bob);
  expect(await w.h.core.faces.get('discord', w.alice.id)).not.toBeNull();
  await w.h.core.voices.save('discord', w.alice.id, 'preview-de');

  const forget = slashInteraction(w.base(w.alice), { name: 'avatar-face', options: [{ name: 'forget', type: 1 }], attachments: [] });
  w.fake.sendInteraction(forget);
  const answer = await w.waitFor(
    () => w.fake.requests.find((r) => r.method === 'PATCH' && r.path.includes(String(forget.token))),
    20_000,
    'the forget answer',
  );
  const defer = w.fake.find('POST', new RegExp(`/interactions/${String(forget.id)}/`))[0];
  expect((defer?.json as { data: { flags: number } }).data.flags & 64).toBe(64);
  expect(contentOf(answer)).toBe(
    '🗑️ **Deleted** your saved face, your chosen voice, 1 video. Nothing else of yours is kept; messages already posted in Discord stay until you delete them.',
  );

  expect(await w.h.core.faces.get('discord', w.alice.id)).toBeNull();
  expect(await w.h.core.voices.saved('discord', w.alice.id)).toBeNull();
  expect(await w.h.core.jobs.get(mine.id)).toBeNull();
  expect(await w.h.core.jobs.listForRequester('discord', w.alice.id, 10)).toEqual([]);
  expect(await w.h.core.jobs.get(theirs.id)).not.toBeNull();
  expect(await w.h.core.faces.get('discord', w.bob.id)).not.toBeNull();
});

it('defines forget beside the other /avatar-face subcommands, saying it deletes everything', () => {
  const face = commandDefinitions().find((d) => d.name === 'avatar-face');
  const sub = face !== undefined && 'options' in face ? (face.options ?? []) : [];
  expect(sub.map((o) => o.name)).toEqual(['save', 'show', 'clear', 'forget']);
  expect(sub.find((o) => o.name === 'forget')?.description).toContain('EVERYTHING');
});
