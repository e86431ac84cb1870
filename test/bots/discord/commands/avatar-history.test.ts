/**
 * /avatar-history: the person's last ten videos, privately, newest first, and "Post n" to put
 * one in the channel publicly; only the person's own finished video with its link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../../src/core/store/port.js';
import { buttonInteraction, slashInteraction, type Json } from '../../../fakes/discord/payloads.js';
import { asUserInstall } from '../../../fakes/discord/user-install.js';
import { makeJob, makeMedia, OPEN_RULES } from '../../../core/store/store-contract.js';
import { buttonsOf, startWorld, type World } from '../world.js';

let w: World;
/** Alice's jobs, oldest first: 1..12 (12 failed, 5 with no link any more). */
const jobs: JobRecord[] = [];
let carolsJob: JobRecord;

beforeAll(async () => {
  w = await startWorld();
  const t0 = Date.now() - 3_600_000;
  for (let i = 1; i <= 12; i++) {
    const failed = i === 12;
    jobs.push(
      makeJob({
        platform: 'discord',
        requesterId: w.alice.id,
        groupId: w.fake.guildId,
        replyTo: `discord:${w.fake.guildId}:${w.fake.channelId}:-`,
        createdAt: t0 + i * 60_000,
        state: failed ? 'failed' : 'completed',
        errorCode: failed ? 'JOB_FAILED' : null,
        fileUrl: failed || i === 5 ? null : `https://files.example/video-${i}.mp4`,
        spokenText: `Words of video number ${i}`,
        delivered: true,
      }),
    );
  }
  carolsJob = makeJob({
    platform: 'discord',
    requesterId: w.bob.id,
    replyTo: `discord:${w.fake.guildId}:${w.fake.channelId}:-`,
    state: 'completed',
    fileUrl: 'https://files.example/bobs.mp4',
    delivered: true,
  });
  for (const j of [...jobs, carolsJob]) expect(await w.h.store.insertJob(j, makeMedia(), OPEN_RULES)).toBe('ok');
});
afterAll(async () => {
  await w?.stop();
});

async function history(interaction: Json): Promise<Json> {
  w.fake.sendInteraction(interaction);
  await w.waitFor(
    () => w.fake.requests.find((r) => r.method === 'PATCH' && r.path.includes(String(interaction.token)) && r.status === 200),
    10_000,
    'the history answer',
  );
  const msg = w.fake.originalOf(String(interaction.token));
  if (msg === undefined) throw new Error('no answer');
  return msg;
}

async function click(user: World['alice'], customId: string, message: Json): Promise<Json> {
  const i = buttonInteraction(w.base(user), customId, message);
  w.fake.sendInteraction(i);
  const cb = await w.waitFor(() => w.fake.find('POST', new RegExp(`^/interactions/${String(i.id)}/`))[0], 10_000, 'the click answer');
  return cb.json as Json;
}

describe('/avatar-history', () => {
  let answer: Json;
  beforeAll(async () => {
    answer = await history(slashInteraction(w.base(w.alice), { name: 'avatar-history', options: [], attachments: [] }));
  });

  it('is private and lists 10 of 12 videos, newest first, with state, Discord time, link and short text', () => {
    const defer = w.fake.find('POST', /^\/interactions\/\d+\/[^/]+\/callback$/).at(-1);
    expect(((defer?.json as Json).data as Json).flags).toBe(64);
    const lines = String(answer.content)
      .split('\n')
      .filter((l) => /^\*\*\d+\.\*\*/.test(l));
    expect(lines).toHaveLength(10);
    expect(lines[0]).toContain('failed');
    expect(lines[0]).toContain('video number 12');
    expect(lines[1]).toContain('[video](<https://files.example/video-11.mp4>)');
    expect(lines[1]).toContain(`<t:${Math.floor((jobs[10]?.createdAt ?? 0) / 1000)}:R>`);
    expect(lines[7]).toContain('link no longer kept');
    expect(lines[9]).toContain('video number 3');
    expect(String(answer.content)).not.toContain('video number 2”');
  });

  it('has a Post button for each listed video that still has its link (not the failed one, not the one without link)', () => {
    const ids = buttonsOf({ json: answer } as never);
    // Lines 1..10 are videos 12..3; 12 failed and 5 has no link.
    const expected = [11, 10, 9, 8, 7, 6, 4, 3].map((n) => `avatar:repost:${jobs[n - 1]?.id}`);
    expect(ids).toEqual(expected);
  });

  it('Post posts the link publicly through the interaction, naming the person without pinging', async () => {
    const before = w.fake.find('POST', new RegExp(`^/channels/${w.fake.channelId}/messages$`)).length;
    const cb = await click(w.alice, `avatar:repost:${jobs[10]?.id}`, answer);
    expect(cb.type).toBe(4);
    const data = cb.data as Json;
    expect(Number(data.flags ?? 0) & 64).toBe(0);
    expect(String(data.content)).toContain('https://files.example/video-11.mp4');
    expect(String(data.content)).toContain(`<@${w.alice.id}>`);
    expect(data.allowed_mentions).toEqual({ parse: [] });
    // Through the interaction: no bot-token post in the channel.
    expect(w.fake.find('POST', new RegExp(`^/channels/${w.fake.channelId}/messages$`))).toHaveLength(before);
  });

  it('where the server keeps external apps private, the post says only the person sees it', async () => {
    const i = asUserInstall(buttonInteraction(w.base(w.alice), `avatar:repost:${jobs[9]?.id}`, answer), 'foreign-server', {
      externalAppsOff: true,
    });
    w.fake.sendInteraction(i);
    const cb = await w.waitFor(() => w.fake.find('POST', new RegExp(`^/interactions/${String(i.id)}/`))[0], 10_000, 'the click answer');
    const data = (cb.json as Json).data as Json;
    expect(String(data.content)).toContain('https://files.example/video-10.mp4');
    expect(String(data.content)).toContain('Only you can see this');
  });

  it('someone else’s video, or one without a link, is refused privately and nothing is posted', async () => {
    const foreign = await click(w.alice, `avatar:repost:${carolsJob.id}`, answer);
    expect(Number((foreign.data as Json).flags) & 64).toBe(64);
    expect(String((foreign.data as Json).content)).toContain('Only the person who asked');
    const noLink = await click(w.alice, `avatar:repost:${jobs[4]?.id}`, answer);
    expect(Number((noLink.data as Json).flags) & 64).toBe(64);
    expect(String((noLink.data as Json).content)).toContain('cannot be posted again');
    const bobs = await click(w.bob, `avatar:repost:${jobs[10]?.id}`, answer);
    expect(String((bobs.data as Json).content)).toContain('Only the person who asked');
    expect(String((bobs.data as Json).content)).not.toContain('files.example');
  });

  it('someone with no videos is told so', async () => {
    const other = { id: '333333333333333333', username: 'carol' };
    const msg = await history(slashInteraction(w.base(other), { name: 'avatar-history', options: [], attachments: [] }));
    expect(msg.content).toBe('You have no videos yet.');
  });

  it('works where the app is installed to the person only (a group DM)', async () => {
    const msg = await history(
      asUserInstall(slashInteraction(w.base(w.alice), { name: 'avatar-history', options: [], attachments: [] }), 'group-dm'),
    );
    expect(String(msg.content)).toContain('video number 11');
  });
});
