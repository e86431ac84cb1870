import { afterAll, beforeAll, expect, it } from 'vitest';
import { slashInteraction } from '../../../fakes/discord/payloads.js';
import { makeJpeg, makeTone } from '../../../helpers/media.js';
import { attachmentOption, startWorld, type World } from '../world.js';

let w: World;
beforeAll(async () => {
  w = await startWorld({ harness: { env: { QUOTA_PER_PERSON_DAILY: '2', QUOTA_PER_GROUP_DAILY: '5' } } });
});
afterAll(async () => {
  await w?.stop();
});

async function slash(user: World['alice']) {
  const audio = w.fake.addAttachment({ filename: 'voice.wav', contentType: 'audio/wav', bytes: await makeTone(1) });
  const image = w.fake.addAttachment({ filename: 'face.jpg', contentType: 'image/jpeg', bytes: await makeJpeg() });
  const interaction = slashInteraction(w.base(user), {
    name: 'avatar',
    options: [attachmentOption('audio', audio), attachmentOption('image', image)],
    attachments: [audio, image],
  });
  w.fake.sendInteraction(interaction);
  return String(interaction.token);
}

/** The private follow-ups (POST /webhooks/<app>/<token>) of one interaction. */
const followUps = (token: string) =>
  w.fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/webhooks/${w.fake.applicationId}/${token}`));

it('/avatar tells the person privately how many videos are left today, then refuses past the quota', async () => {
  const first = await slash(w.alice);
  const note = await w.waitFor(() => followUps(first)[0], 20_000, 'the quota follow-up');
  const body = note.json as { content: string; flags: number };
  expect(body.content).toContain('**1** of 2 videos left');
  expect(body.content).toContain('this server has **4** of 5 left');
  expect(body.flags & 64).toBe(64);

  const second = await slash(w.alice);
  expect(((await w.waitFor(() => followUps(second)[0], 20_000, 'the second note')).json as { content: string }).content).toContain(
    '**0** of 2',
  );

  const third = await slash(w.alice);
  const refusal = await w.waitFor(
    () =>
      w.fake.requests.find(
        (r) => r.method === 'PATCH' && r.path.includes(third) && JSON.stringify(r.json).includes('used your 2 videos for today'),
      ),
    20_000,
    'the quota refusal',
  );
  expect(JSON.stringify(refusal.json)).toContain('Try again tomorrow');
  expect(w.h.mock.stats().submits).toBe(2);
  expect(followUps(third)).toHaveLength(0);
});
