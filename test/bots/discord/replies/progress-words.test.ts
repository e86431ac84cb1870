/**
 * Through the real path: while the avatar service keeps the job in its queue the message says
 * so (no rendering clock, no ETA), then it says rendering, timed from when rendering started.
 * (The local avatar server's renderMs counts from submission, so it includes the queue.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { slashInteraction } from '../../../fakes/discord/payloads.js';
import { makeJpeg, makeTone } from '../../../helpers/media.js';
import { attachmentOption, contentOf, startWorld, type World } from '../world.js';

let w: World;
beforeAll(async () => {
  w = await startWorld({ harness: { mockOptions: { queueMs: 1000, renderMs: () => 3000 } } });
});
afterAll(async () => {
  await w?.stop();
});

it('edits say waiting at the avatar service, then rendering, with Discord’s emoji', async () => {
  const audio = w.fake.addAttachment({ filename: 'v.wav', contentType: 'audio/wav', bytes: await makeTone(1) });
  const image = w.fake.addAttachment({ filename: 'f.jpg', contentType: 'image/jpeg', bytes: await makeJpeg() });
  const interaction = slashInteraction(w.base(w.alice), {
    name: 'avatar',
    options: [attachmentOption('audio', audio), attachmentOption('image', image)],
    attachments: [audio, image],
  });
  w.fake.sendInteraction(interaction);
  const job = await w.jobOf(w.alice);
  await w.waitJob(job.id, (j) => j.delivered, 'delivery');
  const edits = w.fake.requests.filter((r) => r.method === 'PATCH' && r.path.includes(String(interaction.token))).map(contentOf);
  const waiting = edits.findIndex((c) => c.startsWith('📨 Sent. Waiting at the avatar service for rendering to start…'));
  const rendering = edits.findIndex((c) => c.startsWith('🎬 Rendering your talking avatar…'));
  expect(waiting, edits.join('\n')).toBeGreaterThanOrEqual(0);
  expect(rendering, edits.join('\n')).toBeGreaterThan(waiting);
  expect(edits[waiting]).not.toContain('left');
});
