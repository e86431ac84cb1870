/**
 * `/avatar` end to end: real discord.js against the fake Discord, the real core and the local
 * avatar server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slashInteraction } from '../../../fakes/discord/payloads.js';
import { makeJpeg, makePng, makeTone } from '../../../helpers/media.js';
import { attachmentOption, buttonsOf, contentOf, startWorld, type World } from '../world.js';

let w: World;

beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w?.stop();
});

async function slash(opts: { user?: World['alice']; image?: Buffer | null; audio: Buffer; audioType?: string; sizeLimit?: number }) {
  const atts = [];
  const options = [];
  const audio = w.fake.addAttachment({ filename: 'voice.wav', contentType: opts.audioType ?? 'audio/wav', bytes: opts.audio });
  atts.push(audio);
  options.push(attachmentOption('audio', audio));
  if (opts.image !== null && opts.image !== undefined) {
    const image = w.fake.addAttachment({ filename: 'face.jpg', contentType: 'image/jpeg', bytes: opts.image });
    atts.push(image);
    options.push(attachmentOption('image', image));
  }
  const interaction = slashInteraction(w.base(opts.user, { attachmentSizeLimit: opts.sizeLimit ?? 25 * 1024 * 1024 }), {
    name: 'avatar',
    options,
    attachments: atts,
  });
  w.fake.sendInteraction(interaction);
  return Object.assign(interaction, { audioPath: new URL(String(audio.url)).pathname });
}

function webhookEdits(token: string) {
  return w.fake.requests.filter(
    (r) => r.method === 'PATCH' && r.path.includes(`/webhooks/${w.fake.applicationId}/${token}/messages/@original`),
  );
}

describe('/avatar', () => {
  it('defers, shows progress with Cancel, then edits @original with the link and the MP4; the face is saved', async () => {
    const interaction = await slash({ image: await makeJpeg(), audio: await makeTone(1) });
    const token = String(interaction.token);
    const final = await w.waitFor(() => webhookEdits(token).find((r) => contentOf(r).includes('ready')), 20_000, 'the result edit');
    const callback = w.fake.find('POST', new RegExp(`/interactions/${String(interaction.id)}/`))[0];
    expect((callback?.json as { type?: number }).type).toBe(5);
    // The defer came before anything else about this interaction (no download first).
    const firstForToken = w.fake.requests.find((r) => r.path.includes(token));
    expect(firstForToken).toBe(callback);
    // ...and before the first attachment download.
    const download = w.fake.downloads.find((d) => d.path === interaction.audioPath);
    expect(download).toBeDefined();
    expect(callback?.seq ?? Infinity).toBeLessThan(download?.seq ?? -1);
    const edits = webhookEdits(token);
    const progress = edits.filter((r) => buttonsOf(r).some((id) => id.startsWith('avatar:cancel:')));
    expect(progress.length).toBeGreaterThan(0);
    const job = await w.jobOf(w.alice);
    expect(job.state).toBe('completed');
    expect(contentOf(final)).toContain(job.fileUrl ?? 'missing');
    // One MP4, first (caption files may go beside it).
    expect(final.files.filter((f) => /\.mp4$/.test(f.filename ?? ''))).toHaveLength(1);
    expect(final.files[0]?.size).toBeGreaterThan(100);
    expect(final.files[0]?.filename).toMatch(/\.mp4$/);
    // The result card's buttons: no Cancel any more.
    expect(buttonsOf(final)).toEqual([`avatar:delete:${job.id}`, `avatar:same-face:${job.id}`]);
    expect(await w.h.core.faces.get('discord', w.alice.id)).not.toBeNull();
    expect(job.replyTo).toMatch(new RegExp(`^discord:${w.fake.guildId}:${w.fake.channelId}:\\d+$`));
  });

  it('sends only the link when the video is over the interaction upload limit', async () => {
    const interaction = await slash({ user: w.bob, image: await makePng(), audio: await makeTone(1), sizeLimit: 200 });
    const final = await w.waitFor(
      () => webhookEdits(String(interaction.token)).find((r) => contentOf(r).includes('ready')),
      20_000,
      'the result edit',
    );
    expect(contentOf(final)).toMatch(/https?:\/\/127\.0\.0\.1:\d+\//);
    expect(contentOf(final)).toContain('too large');
    expect(final.files.filter((f) => /\.mp4$/.test(f.filename ?? ''))).toHaveLength(0);
  });

  it('refuses a non-audio file passed as audio with a clear error, and nothing reaches the avatar server', async () => {
    const before = w.h.mock.stats().submits;
    const carol = { id: '333333333333333333', username: 'carol' };
    const interaction = await slash({ user: carol, image: await makeJpeg(), audio: await makePng(), audioType: 'audio/ogg' });
    const answer = await w.waitFor(
      () => webhookEdits(String(interaction.token)).find((r) => contentOf(r).includes('⚠️')),
      10_000,
      'the error',
    );
    expect(contentOf(answer).toLowerCase()).toContain('audio');
    expect(await w.h.core.jobs.listForRequester('discord', carol.id, 5)).toHaveLength(0);
    expect(w.h.mock.stats().submits).toBe(before);
  });

  it('without an image and without a saved face, says how to give one', async () => {
    const dave = { id: '444444444444444444', username: 'dave' };
    const before = w.h.mock.stats().submits;
    const interaction = await slash({ user: dave, image: null, audio: await makeTone(1) });
    const answer = await w.waitFor(() => webhookEdits(String(interaction.token)).find((r) => contentOf(r) !== ''), 10_000, 'the answer');
    expect(contentOf(answer)).toContain('/avatar-face save');
    expect(w.h.mock.stats().submits).toBe(before);
  });

  it('a handler that throws still answers (the boundary catches and logs it)', async () => {
    // `image` arrives as a string option: discord.js throws when the handler reads it (before the defer).
    const audio = w.fake.addAttachment({ filename: 'voice.wav', contentType: 'audio/wav', bytes: await makeTone(1) });
    const interaction = slashInteraction(w.base(w.alice), {
      name: 'avatar',
      options: [attachmentOption('audio', audio), { name: 'image', type: 3, value: 'not a file' }],
      attachments: [audio],
    });
    w.fake.sendInteraction(interaction);
    const answer = await w.waitFor(
      () => w.fake.find('POST', new RegExp(`/interactions/${String(interaction.id)}/`)).find((r) => r.status === 204 || r.status === 200),
      10_000,
      'the fallback answer',
    );
    const body = answer.json as { type: number; data: { content: string; flags: number } };
    expect(body.type).toBe(4);
    expect(body.data.content).toContain('went wrong');
    expect(body.data.flags & 64).toBe(64);
    await w.waitFor(() => w.logs.find((l) => l.msg === 'discord: interaction handler failed'), 5_000, 'the error log');
  });
});
