/**
 * DISCORD_SHARDS: the real discord.js opens the shards (internal sharding, one Client) against
 * the fake Discord, which routes each guild's dispatches only to the session of its shard, so an
 * answered `/avatar` in a guild proves that guild's shard is connected and handled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardOptions } from '../../../src/bots/discord/shard-options.js';
import { shardOf, snowflakeOnShard, type FakeGuild, type ShardPair } from '../../fakes/discord/fake-discord.js';
import { slashInteraction, type FakeUser } from '../../fakes/discord/payloads.js';
import { makeJpeg, makeTone } from '../../helpers/media.js';
import { attachmentOption, contentOf, startWorld, type World } from './world.js';

const byShardId = (a: ShardPair | null, b: ShardPair | null): number => (a?.[0] ?? -1) - (b?.[0] ?? -1);

/** The shards the bot identified with, ordered by shard id. */
function identifiedShards(w: World): Array<ShardPair | null> {
  return w.fake
    .identifies()
    .map((i) => i.shard)
    .sort(byShardId);
}

/** Sends `/avatar` in `guild` and waits for the video edit of its `@original`. */
async function avatarIn(w: World, guild: FakeGuild, user: FakeUser) {
  const audio = w.fake.addAttachment({ filename: 'voice.wav', contentType: 'audio/wav', bytes: await makeTone(1) });
  const image = w.fake.addAttachment({ filename: 'face.jpg', contentType: 'image/jpeg', bytes: await makeJpeg() });
  const interaction = slashInteraction(
    w.base(user, { guildId: guild.id, channelId: guild.channelId, attachmentSizeLimit: 25 * 1024 * 1024 }),
    { name: 'avatar', options: [attachmentOption('audio', audio), attachmentOption('image', image)], attachments: [audio, image] },
  );
  w.fake.sendInteraction(interaction);
  const original = `/webhooks/${w.fake.applicationId}/${String(interaction.token)}/messages/@original`;
  const final = await w.fake.waitFor(
    () => w.fake.requests.find((r) => r.method === 'PATCH' && r.path === original && contentOf(r).includes('ready')),
    30_000,
    `the video answer in guild ${guild.id}`,
  );
  const callback = w.fake.find('POST', new RegExp(`^/interactions/${String(interaction.id)}/`));
  return { final, callback };
}

async function expectVideoIn(w: World, guild: FakeGuild, user: FakeUser, shard: ShardPair) {
  const { final, callback } = await avatarIn(w, guild, user);
  // Acknowledged (deferred) by the bot, then answered with the MP4.
  expect(callback).toHaveLength(1);
  expect((callback[0]?.json as { type?: number }).type).toBe(5);
  expect(final.status).toBe(200);
  // One MP4 (caption files may go beside it).
  expect(final.files.filter((f) => /\.mp4$/.test(f.filename ?? ''))).toHaveLength(1);
  expect(final.files[0]?.filename).toMatch(/\.mp4$/);
  expect(final.files[0]?.size).toBeGreaterThan(100);
  // The fake delivered the interaction to that shard's session only.
  const got = w.fake.deliveries.filter((d) => d.t === 'INTERACTION_CREATE' && d.guildId === guild.id).map((d) => d.shard);
  expect(got).toEqual([shard]);
}

describe('shardOptions (DISCORD_SHARDS -> discord.js Client options)', () => {
  it('maps unset, auto and a number', () => {
    expect(shardOptions(undefined)).toEqual({});
    expect(shardOptions('auto')).toEqual({ shards: 'auto' });
    expect(shardOptions(3)).toEqual({ shards: [0, 1, 2], shardCount: 3 });
    expect(shardOptions(1)).toEqual({ shards: [0], shardCount: 1 });
    expect(() => shardOptions(0)).toThrow(RangeError);
  });
});

describe('DISCORD_SHARDS=auto, Discord recommends 2', () => {
  const g0: FakeGuild = { id: snowflakeOnShard(0, 2), channelId: '' };
  const g1: FakeGuild = { id: snowflakeOnShard(1, 2), channelId: '' };
  let w: World;

  beforeAll(async () => {
    // max_concurrency 1 (the default, as for most bots): discord.js spaces the two IDENTIFYs itself.
    w = await startWorld({
      fakeOptions: { recommendedShards: 2, extraGuilds: [g0.id, g1.id] },
      harness: { env: { DISCORD_SHARDS: 'auto' } },
    });
    const byId = new Map(w.fake.guilds.map((g) => [g.id, g]));
    g0.channelId = byId.get(g0.id)?.channelId ?? '';
    g1.channelId = byId.get(g1.id)?.channelId ?? '';
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('identifies twice, as shard [0,2] and [1,2]; each READY carries only its own guilds', () => {
    expect(shardOf(g0.id, 2)).toBe(0);
    expect(shardOf(g1.id, 2)).toBe(1);
    expect(w.fake.find('GET', /^\/gateway\/bot$/).length).toBeGreaterThan(0);
    expect(identifiedShards(w)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    for (const i of w.fake.identifies()) {
      const expected = w.fake.guilds.filter((g) => shardOf(g.id, 2) === i.shard?.[0]).map((g) => g.id);
      expect(new Set(i.readyGuilds)).toEqual(new Set(expected));
    }
    expect(w.bot.isReady()).toBe(true);
    // One "connected" line once all shards are ready: both shards' guilds, and the count.
    const connected = w.logs.filter((l) => l.msg === 'discord: connected');
    expect(connected).toHaveLength(1);
    expect(connected[0]).toMatchObject({ shards: 2, guilds: w.fake.guilds.length });
  });

  it('answers /avatar with the video in a guild on shard 0 and in a guild on shard 1', async () => {
    await expectVideoIn(w, g0, w.alice, [0, 2]);
    await expectVideoIn(w, g1, w.bob, [1, 2]);
  });
});

describe('DISCORD_SHARDS=3 while Discord recommends 2', () => {
  const g2: FakeGuild = { id: snowflakeOnShard(2, 3), channelId: '' };
  let w: World;

  beforeAll(async () => {
    // A bucketed max_concurrency (as large bots get) lets the three IDENTIFYs go at once.
    w = await startWorld({
      fakeOptions: { recommendedShards: 2, maxConcurrency: 16, extraGuilds: [g2.id] },
      harness: { env: { DISCORD_SHARDS: '3' } },
    });
    g2.channelId = w.fake.guilds.find((g) => g.id === g2.id)?.channelId ?? '';
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('identifies three times, [0,3] [1,3] [2,3], ignoring the recommendation', () => {
    expect(identifiedShards(w)).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
    ]);
    expect(w.fake.identifies().find((i) => i.shard?.[0] === 2)?.readyGuilds).toContain(g2.id);
    expect(w.logs.find((l) => l.msg === 'discord: connected')).toMatchObject({ shards: 3 });
  });

  it('answers /avatar with the video in a guild on shard 2', async () => {
    await expectVideoIn(w, g2, w.alice, [2, 3]);
  });
});
