/**
 * Jobs that outlive their interaction token are answered with the bot token in the channel,
 * replying to the original message; after a restart the same holds, exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFakeAvatarServer } from '../../../fakes/avatar/index.js';
import { startFakeDiscord, type FakeDiscord } from '../../../fakes/discord/fake-discord.js';
import { slashInteraction, type Json } from '../../../fakes/discord/payloads.js';
import { makeJpeg, makeTone } from '../../../helpers/media.js';
import { attachmentOption, contentOf, startWorld, textOf, type World } from '../world.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function sendSlash(w: World): Promise<Json> {
  const audio = w.fake.addAttachment({ filename: 'v.wav', contentType: 'audio/wav', bytes: await makeTone(1) });
  const image = w.fake.addAttachment({ filename: 'f.jpg', contentType: 'image/jpeg', bytes: await makeJpeg() });
  const interaction = slashInteraction(w.base(w.alice), {
    name: 'avatar',
    options: [attachmentOption('audio', audio), attachmentOption('image', image)],
    attachments: [audio, image],
  });
  w.fake.sendInteraction(interaction);
  return interaction;
}

function channelPosts(fake: FakeDiscord) {
  return fake.find('POST', new RegExp(`^/channels/${fake.channelId}/messages$`));
}

describe('the interaction token window', () => {
  it('a job that outlives its token is answered by bot token, replying to the original response', async () => {
    const w = await startWorld({ tokenTtlMs: 1 });
    cleanups.push(() => w.stop());
    const interaction = await sendSlash(w);
    const job = await w.jobOf(w.alice);
    const done = await w.waitJob(job.id, (j) => j.delivered, 'delivery');
    expect(done.state).toBe('completed');
    const original = w.fake.originalOf(String(interaction.token));
    const posts = channelPosts(w.fake);
    expect(posts.length).toBeGreaterThan(0);
    for (const p of posts) {
      expect(p.auth).toBe(`Bot ${w.fake.token}`);
      expect(((p.json as Json).message_reference as Json).message_id).toBe(original?.id);
    }
    // One bot message, posted once and then edited into the result.
    expect(posts).toHaveLength(1);
    const botMessage = [...w.fake.messages.values()].find((m) => (m.message_reference as Json | undefined)?.message_id === original?.id);
    expect(textOf(botMessage)).toContain(done.fileUrl ?? 'missing');
    expect((botMessage?.attachments as Json[]).filter((a) => /\.mp4$/.test(String(a.filename)))).toHaveLength(1);
    // Nothing after the defer went through the dead token.
    expect(w.fake.requests.filter((r) => r.method === 'PATCH' && r.path.includes(String(interaction.token)))).toHaveLength(0);
  });

  it('when Discord already refuses the token (401 / 50027), falls back to the bot token', async () => {
    const w = await startWorld({ fakeOptions: { interactionTokenTtlMs: 1 } });
    cleanups.push(() => w.stop());
    await sendSlash(w);
    const job = await w.jobOf(w.alice);
    const done = await w.waitJob(job.id, (j) => j.delivered, 'delivery');
    const refused = w.fake.requests.filter((r) => r.path.startsWith('/webhooks/') && r.status === 401);
    expect(refused.length).toBeGreaterThan(0);
    const reply = [...w.fake.messages.values()].find((m) => textOf(m).includes(done.fileUrl ?? 'missing'));
    expect(reply?.message_reference).toBeDefined();
  });

  it('a restart while a job is pending: the new process answers it exactly once, by bot token', async () => {
    const fake = await startFakeDiscord();
    const mock = createFakeAvatarServer({ renderMs: () => 300, queueMs: 50 });
    await mock.start();
    const dataDir = mkdtempSync(join(tmpdir(), 'discord-restart-'));
    cleanups.push(async () => {
      await fake.close();
      await mock.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const first = await startWorld({ fake, harness: { dataDir, mock } });
    mock.nextOutcome({ status: 'STUCK' });
    const interaction = await sendSlash(first);
    const job = await first.jobOf(first.alice);
    const submitted = await first.waitJob(job.id, (j) => j.taskId !== null, 'the submit');
    await first.stop();
    expect(first.bot.isReady()).toBe(false);

    // A new process, long after: the interaction token is past its window.
    const second = await startWorld({ fake, harness: { dataDir, mock }, tokenTtlMs: 1 });
    cleanups.push(() => second.stop());
    mock.completeNow(submitted.taskId ?? '');
    const done = await second.waitJob(job.id, (j) => j.delivered, 'delivery after the restart');
    expect(done.state).toBe('completed');
    const original = fake.originalOf(String(interaction.token));
    const answers = [...fake.messages.values()].filter((m) => textOf(m).includes(done.fileUrl ?? 'missing'));
    expect(answers).toHaveLength(1);
    expect((answers[0]?.message_reference as Json | undefined)?.message_id).toBe(original?.id);
    // One bot message in the channel (posted once, then edited), all with the bot token.
    const posts = channelPosts(fake);
    expect(posts).toHaveLength(1);
    const edits = fake.requests.filter((r) => r.method === 'PATCH' && r.path.startsWith(`/channels/${fake.channelId}/`));
    expect([...posts, ...edits].every((p) => p.auth === `Bot ${fake.token}`)).toBe(true);
    // The result is that message itself, or an edit of it when a progress update came first.
    expect([...posts, ...edits].some((e) => contentOf(e).includes('ready'))).toBe(true);
  });
});
