/** Every command can be used with both install kinds and everywhere, and Discord's registration rules accept them. */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandDefinitions, registerDiscordCommands } from '../../../../src/bots/discord/index.js';
import { commandProblems } from '../../../fakes/discord/command-rules.js';
import { startFakeDiscord, type FakeDiscord } from '../../../fakes/discord/fake-discord.js';
import type { Json } from '../../../fakes/discord/payloads.js';

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

describe('install kinds and contexts', () => {
  it('every definition declares server and user install, and servers, the bot DM and other DMs; none uses dm_permission', () => {
    const defs = commandDefinitions() as unknown as Json[];
    expect(defs.map((d) => d.name)).toContain('avatar-history');
    for (const d of defs) {
      expect(d.integration_types, String(d.name)).toEqual([0, 1]);
      expect(d.contexts, String(d.name)).toEqual([0, 1, 2]);
      expect(d.dm_permission, String(d.name)).toBeUndefined();
    }
  });

  it('the global registration carries them and passes the fake’s rules', async () => {
    await registerDiscordCommands(config(), {}, { logger: pino({ level: 'silent' }) });
    const put = fake.find('PUT', new RegExp(`^/applications/${fake.applicationId}/commands$`)).at(-1);
    expect(put?.status).toBe(200);
    expect(fake.commands.global.every((c) => JSON.stringify(c.integration_types) === '[0,1]')).toBe(true);
  });

  it('a server’s own list leaves them out (Discord takes them for global commands only)', async () => {
    await registerDiscordCommands(config(), { guildId: fake.guildId }, { logger: pino({ level: 'silent' }) });
    const put = fake.find('PUT', /\/guilds\/\d+\/commands$/).at(-1);
    expect(put?.status).toBe(200);
    for (const c of put?.json as Json[]) {
      expect(c.integration_types).toBeUndefined();
      expect(c.contexts).toBeUndefined();
    }
  });

  it('an application with user install off gets server-install commands without other people’s DMs (Discord would refuse the rest)', async () => {
    const off = await startFakeDiscord({ userInstall: false });
    try {
      const r = await registerDiscordCommands(
        { ...config(), token: off.token, apiUrl: off.apiUrl },
        {},
        { logger: pino({ level: 'silent' }) },
      );
      expect(r.count).toBe(commandDefinitions().length);
      for (const c of off.commands.global) {
        expect(c.integration_types).toEqual([0]);
        expect(c.contexts).toEqual([0, 1]);
      }
      expect(commandProblems(commandDefinitions(), 'global', [0])).not.toEqual([]);
    } finally {
      await off.close();
    }
  });

  it('the rules refuse what Discord refuses: unknown kinds, empty lists, install fields on a server list', () => {
    const base = { type: 1, name: 'x', description: 'x' };
    expect(commandProblems([{ ...base, integration_types: [0, 2] }])).toHaveLength(1);
    expect(commandProblems([{ ...base, contexts: [] }])).toHaveLength(1);
    expect(commandProblems([{ ...base, contexts: [0], dm_permission: true }])).toHaveLength(1);
    expect(commandProblems([{ ...base, contexts: [0, 1] }], 'guild')).toHaveLength(1);
    expect(commandProblems(commandDefinitions())).toEqual([]);
  });
});
