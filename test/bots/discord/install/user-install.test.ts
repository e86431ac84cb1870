/**
 * The app installed to a person and used where the bot is no member: answers go through the
 * interaction only (never the bot token in that channel), a job that outlives the token is
 * answered by DM, and a server that keeps external apps private gets a note saying so.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { decodeReplyState } from '../../../../src/bots/discord/replies/reply-state.js';
import { slashInteraction, type Json } from '../../../fakes/discord/payloads.js';
import { asUserInstall, type UserInstallPlace } from '../../../fakes/discord/user-install.js';
import { makeJpeg, makeTone } from '../../../helpers/media.js';
import { attachmentOption, contentOf, startWorld, textOf, type World } from '../world.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function world(opts: Parameters<typeof startWorld>[0] = {}): Promise<World> {
  const w = await startWorld(opts);
  cleanups.push(() => w.stop());
  return w;
}

async function sendUserInstalled(w: World, where: UserInstallPlace, opts: { externalAppsOff?: boolean } = {}): Promise<Json> {
  const audio = w.fake.addAttachment({ filename: 'v.wav', contentType: 'audio/wav', bytes: await makeTone(1) });
  const image = w.fake.addAttachment({ filename: 'f.jpg', contentType: 'image/jpeg', bytes: await makeJpeg() });
  const interaction = asUserInstall(
    slashInteraction(w.base(w.alice), {
      name: 'avatar',
      options: [attachmentOption('audio', audio), attachmentOption('image', image)],
      attachments: [audio, image],
    }),
    where,
    opts,
  );
  w.fake.sendInteraction(interaction);
  return interaction;
}

/** Every request made with the bot token to the channel's messages (there must be none). */
function botPostsTo(w: World, channelId: string) {
  return w.fake.requests.filter((r) => r.path.startsWith(`/channels/${channelId}/`) || r.path === `/channels/${channelId}`);
}

describe('a user-installed app in a server that never added the bot', () => {
  it('answers through the interaction alone: the video in its own response, nothing with the bot token there', async () => {
    const w = await world();
    const interaction = await sendUserInstalled(w, 'foreign-server');
    const job = await w.jobOf(w.alice);
    const done = await w.waitJob(job.id, (j) => j.delivered, 'delivery');
    expect(done.state).toBe('completed');
    expect(decodeReplyState(done.replyState).reach).toBe('interaction');
    const original = w.fake.originalOf(String(interaction.token));
    expect(textOf(original)).toContain(done.fileUrl ?? 'missing');
    expect((original?.attachments as Json[]).filter((a) => /\.mp4$/.test(String(a.filename)))).toHaveLength(1);
    expect(botPostsTo(w, String(interaction.channel_id))).toEqual([]);
    expect(w.fake.find('POST', /^\/users\/@me\/channels$/)).toEqual([]);
    // Allowed: the callback and edits of @original (no follow-up beyond the quota line's one).
    const followUps = w.fake.find('POST', new RegExp(`^/webhooks/${w.fake.applicationId}/${String(interaction.token)}$`));
    expect(followUps.length).toBeLessThanOrEqual(5);
  });

  it('when the token has expired, the answer comes by DM with the link, never by bot token in the channel', async () => {
    const w = await world({ tokenTtlMs: 1 });
    const interaction = await sendUserInstalled(w, 'foreign-server');
    const job = await w.jobOf(w.alice);
    const done = await w.waitJob(job.id, (j) => j.delivered, 'delivery');
    expect(done.state).toBe('completed');
    const open = w.fake.find('POST', /^\/users\/@me\/channels$/);
    expect(open).toHaveLength(1);
    expect((open[0]?.json as Json).recipient_id).toBe(w.alice.id);
    const dmChannel = w.fake.dms.channels.get(w.alice.id);
    const dmPosts = w.fake.find('POST', new RegExp(`^/channels/${dmChannel}/messages$`));
    // One DM: the final answer only (progress is not sent by DM).
    expect(dmPosts).toHaveLength(1);
    expect(dmPosts[0]?.auth).toBe(`Bot ${w.fake.token}`);
    expect(contentOf(dmPosts[0] as never)).toContain(done.fileUrl ?? 'missing');
    expect(contentOf(dmPosts[0] as never)).toContain('can no longer be updated');
    expect(botPostsTo(w, String(interaction.channel_id))).toEqual([]);
    const state = decodeReplyState(done.replyState);
    expect(state).toMatchObject({ reach: 'interaction', dmChannelId: dmChannel, final: true });
    expect(state.token).toBeUndefined();
  });

  it('when even the DM is refused, it is logged and the job counts as answered (no channel post)', async () => {
    const w = await world({ tokenTtlMs: 1 });
    w.fake.dms.refusing.add(w.alice.id);
    const interaction = await sendUserInstalled(w, 'foreign-server');
    const job = await w.jobOf(w.alice);
    const done = await w.waitJob(job.id, (j) => j.delivered, 'delivery');
    expect(done.state).toBe('completed');
    expect(w.fake.requests.some((r) => r.status === 403 && r.path.endsWith('/messages'))).toBe(true);
    expect(w.logs.some((l) => String(l.msg).includes('direct message either') && l.jobId === job.id)).toBe(true);
    expect(botPostsTo(w, String(interaction.channel_id))).toEqual([]);
  });

  it('where the server keeps external apps private, the answer says only the person sees it', async () => {
    const w = await world();
    const interaction = await sendUserInstalled(w, 'foreign-server', { externalAppsOff: true });
    const job = await w.jobOf(w.alice);
    const done = await w.waitJob(job.id, (j) => j.delivered, 'delivery');
    expect(decodeReplyState(done.replyState).privateOnly).toBe(true);
    const original = w.fake.originalOf(String(interaction.token));
    expect(Number(original?.flags) & 64).toBe(64);
    expect(textOf(original)).toContain(done.fileUrl ?? 'missing');
    expect(textOf(original)).toContain('Only you can see this: this server lets external apps answer privately only.');
  });

  it('a server that added the bot gets no such note and keeps the bot-token fallback', async () => {
    const w = await world({ tokenTtlMs: 1 });
    const audio = w.fake.addAttachment({ filename: 'v.wav', contentType: 'audio/wav', bytes: await makeTone(1) });
    const image = w.fake.addAttachment({ filename: 'f.jpg', contentType: 'image/jpeg', bytes: await makeJpeg() });
    w.fake.sendInteraction(
      slashInteraction(w.base(w.alice), {
        name: 'avatar',
        options: [attachmentOption('audio', audio), attachmentOption('image', image)],
        attachments: [audio, image],
      }),
    );
    const job = await w.jobOf(w.alice);
    const done = await w.waitJob(job.id, (j) => j.delivered, 'delivery');
    expect(decodeReplyState(done.replyState).reach).toBeUndefined();
    expect(w.fake.find('POST', new RegExp(`^/channels/${w.fake.channelId}/messages$`))).toHaveLength(1);
    expect(w.fake.find('POST', /^\/users\/@me\/channels$/)).toEqual([]);
  });
});

describe('a user-installed app in a group DM', () => {
  it('answers through the interaction; the reply state says so', async () => {
    const w = await world();
    const interaction = await sendUserInstalled(w, 'group-dm');
    const job = await w.jobOf(w.alice);
    const done = await w.waitJob(job.id, (j) => j.delivered, 'delivery');
    expect(done.state).toBe('completed');
    expect(decodeReplyState(done.replyState).reach).toBe('interaction');
    expect(textOf(w.fake.originalOf(String(interaction.token)))).toContain(done.fileUrl ?? 'missing');
    expect(botPostsTo(w, String(interaction.channel_id))).toEqual([]);
  });
});
