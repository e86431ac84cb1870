/** Command registration, the invite log, the allow-lists, and /avatar-face show|clear. */
import { Writable } from 'node:stream';
import pino from 'pino';
import { createDiscordBot } from '../../../../src/bots/discord/index.js';
import { startHarness } from '../../../helpers/harness.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandDefinitions, inviteUrl, registerDiscordCommands, userInstallUrl } from '../../../../src/bots/discord/index.js';
import { startFakeDiscord, type FakeDiscord } from '../../../fakes/discord/fake-discord.js';
import { slashInteraction, type Json } from '../../../fakes/discord/payloads.js';
import { makeJpeg, makeTone } from '../../../helpers/media.js';
import { attachmentOption, contentOf, startWorld, type World } from '../world.js';

const silent = pino({ level: 'silent' });

describe('command registration', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord();
  });
  afterAll(async () => {
    await fake.close();
  });
  const config = () => ({
    token: fake.token,
    apiUrl: fake.apiUrl,
    messageContent: false,
    tokenTtlMs: 840_000,
    allowedChannels: [],
    allowedRoles: [],
    shards: undefined,
  });

  it('overwrites guild commands with one PUT, authenticated with the bot token', async () => {
    const r = await registerDiscordCommands(config(), { guildId: fake.guildId }, { logger: silent });
    expect(r).toEqual({ scope: 'guild', count: 5 });
    const put = fake.find('PUT', /\/commands$/);
    expect(put).toHaveLength(1);
    expect(put[0]?.path).toBe(`/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`);
    expect(put[0]?.auth).toBe(`Bot ${fake.token}`);
    const names = (fake.commands.guild.get(fake.guildId) ?? []).map((c) => c.name);
    expect(names).toEqual(['avatar', 'avatar-face', 'avatar-voice', 'avatar-history', 'Make it talk']);
  });

  it('registers globally without a guild', async () => {
    const r = await registerDiscordCommands(config(), {}, { logger: silent });
    expect(r.scope).toBe('global');
    expect(fake.commands.global.map((c) => c.type)).toEqual([1, 1, 1, 1, 3]);
  });

  it('filters the attachment options by file type', () => {
    const avatar = commandDefinitions().find((c) => c.name === 'avatar') as unknown as {
      options: Array<{ name: string; file_types?: string[]; required?: boolean }>;
    };
    expect(avatar.options.find((o) => o.name === 'audio')).toMatchObject({ file_types: ['audio'], required: false });
    expect(avatar.options.find((o) => o.name === 'image')).toMatchObject({ file_types: ['image'], required: false });
  });
});

describe('a bot in no server', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ fakeOptions: { inGuild: false } });
  });
  afterAll(async () => {
    await w?.stop();
  });
  it('logs the invite URL with the scopes and permissions it needs', () => {
    expect(w.bot.isReady()).toBe(true);
    const line = w.logs.find((l) => typeof l.invite === 'string');
    expect(line?.invite).toBe(inviteUrl(w.fake.applicationId));
    const url = new URL(String(line?.invite));
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    // ViewChannel, SendMessages, SendMessagesInThreads, AttachFiles, ReadMessageHistory
    expect(BigInt(url.searchParams.get('permissions') ?? '0')).toBe((1n << 10n) | (1n << 11n) | (1n << 38n) | (1n << 15n) | (1n << 16n));
    // The user-install link: commands only, installed to the person's account.
    const user = new URL(String(line?.userInstall));
    expect(line?.userInstall).toBe(userInstallUrl(w.fake.applicationId));
    expect(user.searchParams.get('integration_type')).toBe('1');
    expect(user.searchParams.get('scope')).toBe('applications.commands');
    expect(user.searchParams.get('permissions')).toBeNull();
    expect(JSON.stringify(w.logs)).not.toContain(w.fake.token);
  });
});

describe('MESSAGE_CONTENT asked for but not enabled in the portal', () => {
  it('start() fails with a log line saying which switch to flip', async () => {
    const fake = await startFakeDiscord({ allowMessageContent: false });
    const h = await startHarness({ env: { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DISCORD_MESSAGE_CONTENT: 'true' } });
    const lines: string[] = [];
    const sink = new Writable({
      write: (c: Buffer, _e, cb) => {
        lines.push(c.toString());
        cb();
      },
    });
    try {
      const bot = createDiscordBot(h.config.discord ?? (undefined as never), { core: h.core, logger: pino({ level: 'info' }, sink) });
      await expect(bot.start()).rejects.toThrow(/disallowed intents/i);
      expect(bot.isReady()).toBe(false);
      expect(lines.join('')).toContain('DISCORD_MESSAGE_CONTENT=false');
      expect((fake.gateway.lastIntents ?? 0) & (1 << 15)).toBe(1 << 15);
      await bot.stop();
    } finally {
      await h.stop();
      await fake.close();
    }
  });
});

describe('allow-lists and /avatar-face', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ allowedChannels: ['999999999999999999'] });
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('refuses /avatar outside the allowed channels, privately and with where to go', async () => {
    const audio = w.fake.addAttachment({ filename: 'v.wav', contentType: 'audio/wav', bytes: await makeTone(1) });
    const interaction = slashInteraction(w.base(w.alice), {
      name: 'avatar',
      options: [attachmentOption('audio', audio)],
      attachments: [audio],
    });
    w.fake.sendInteraction(interaction);
    const cb = await w.waitFor(() => w.fake.find('POST', new RegExp(`/interactions/${String(interaction.id)}/`))[0], 10_000, 'the refusal');
    const body = cb.json as { type: number; data: { content: string; flags: number } };
    expect(body.type).toBe(4);
    expect(body.data.flags & 64).toBe(64);
    expect(body.data.content).toContain('<#999999999999999999>');
    expect(w.h.mock.stats().submits).toBe(0);
  });

  it('save, show and clear a face (answers are private)', async () => {
    const face = w.fake.addAttachment({ filename: 'me.jpg', contentType: 'image/jpeg', bytes: await makeJpeg() });
    const run = async (sub: string, options: Json[] = [], attachments: Json[] = []) => {
      const i = slashInteraction(w.base(w.bob), {
        name: 'avatar-face',
        options: [{ name: sub, type: 1, options: options as never }],
        attachments,
      });
      w.fake.sendInteraction(i);
      const edit = await w.waitFor(
        () => w.fake.requests.find((r) => r.method === 'PATCH' && r.path.includes(String(i.token))),
        10_000,
        `/avatar-face ${sub}`,
      );
      const defer = w.fake.find('POST', new RegExp(`/interactions/${String(i.id)}/`))[0];
      expect((defer?.json as { data: { flags: number } }).data.flags & 64).toBe(64);
      return edit;
    };
    expect(contentOf(await run('show'))).toContain('no saved face');
    expect(contentOf(await run('save', [attachmentOption('image', face)], [face]))).toContain('Face saved');
    const shown = await run('show');
    expect(shown.files).toHaveLength(1);
    expect(shown.files[0]?.contentType).toMatch(/^image\//);
    expect(contentOf(await run('clear'))).toContain('cleared');
    expect(await w.h.core.faces.get('discord', w.bob.id)).toBeNull();
    expect(contentOf(await run('clear'))).toContain('had no saved face');
  });
});
