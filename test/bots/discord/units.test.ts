/** Pure top-level parts of the adapter: replyTo, access rules, words and button ids. */
import { describe, expect, it } from 'vitest';
import { checkAccess } from '../../../src/bots/discord/access.js';
import { actionId, parseActionId } from '../../../src/bots/discord/replies/components.js';
import { formatReplyTo, parseReplyTo, type DiscordTarget } from '../../../src/bots/discord/reply-to.js';
import { errorWords, progressWords } from '../../../src/bots/discord/words.js';
import { AvatarError, MediaError } from '../../../src/core/errors.js';

describe('replyTo', () => {
  it('round-trips guild, DM and message-less targets', () => {
    const targets: DiscordTarget[] = [
      { guildId: '123456789012345678', channelId: '223456789012345678', messageId: '323456789012345678' },
      { guildId: undefined, channelId: '223456789012345678', messageId: undefined },
      { guildId: '1', channelId: '2', messageId: undefined },
    ];
    for (const t of targets) expect(parseReplyTo(formatReplyTo(t))).toEqual(t);
    expect(formatReplyTo(targets[1] as DiscordTarget)).toBe('discord:@me:223456789012345678:-');
  });

  it('rejects other platforms and malformed ids', () => {
    for (const bad of ['slack:T1:C1:1.2', 'discord:1:2', 'discord:x:2:3', 'discord:1:2:3:4', 'discord:1::3', 'discord:1:2:abc']) {
      expect(parseReplyTo(bad)).toBeNull();
    }
  });
});

describe('access rules', () => {
  const rules = { allowedChannels: ['10'], allowedRoles: ['20'] };
  it('allows the listed channel (or a thread under it) with a listed role', () => {
    expect(checkAccess(rules, { channelId: '10', parentChannelId: null, roleIds: ['20'] })).toBeNull();
    expect(checkAccess(rules, { channelId: '99', parentChannelId: '10', roleIds: ['5', '20'] })).toBeNull();
    expect(checkAccess({ allowedChannels: [], allowedRoles: [] }, { channelId: '1', parentChannelId: null, roleIds: null })).toBeNull();
  });
  it('names the channels or roles that would work', () => {
    expect(checkAccess(rules, { channelId: '11', parentChannelId: null, roleIds: ['20'] })).toContain('<#10>');
    expect(checkAccess(rules, { channelId: '10', parentChannelId: null, roleIds: ['21'] })).toContain('<@&20>');
    expect(checkAccess(rules, { channelId: '10', parentChannelId: null, roleIds: null })).toContain('<@&20>');
  });
});

describe('words', () => {
  it('media errors are worded from their facts; other codes get short actionable words', () => {
    const media = new MediaError('audio', 'NOT_AUDIO', 'audio: not a sound file', { facts: { looks: 'a PDF document' } });
    expect(errorWords(media)).toBe('The audio file is not audio: it looks like a PDF document.');
    expect(errorWords(new AvatarError('API_CREDITS', 'HTTP 402 from https://x?key=secret'))).toContain('out of credits');
    expect(errorWords(new AvatarError('API_CREDITS', 'HTTP 402 from https://x?key=secret'))).not.toContain('secret');
    expect(errorWords(new AvatarError('API_RATE_LIMIT', ''))).toContain('rate limit');
    expect(errorWords(new AvatarError('JOB_TIMEOUT', ''))).toContain('timed out');
  });
  it('progress: the shared sentence with Discord emoji; waiting at the service has no ETA, rendering is timed from its start', () => {
    expect(progressWords({ state: 'queued', queuePosition: 3, elapsedMs: 0 })).toBe('⏳ Queued: you are number 3 in line.');
    const waiting = progressWords({ state: 'waiting', elapsedMs: 65_000 });
    expect(waiting).toBe('📨 Sent. Waiting at the avatar service for rendering to start… 1:05 so far.');
    expect(waiting).not.toContain('left');
    const r = progressWords({ state: 'rendering', elapsedMs: 65_000, renderingMs: 12_000, etaMs: 30_000 });
    expect(r).toBe('🎬 Rendering your talking avatar… 0:12 so far, about 0:30 left.');
    expect(progressWords({ state: 'rendering', elapsedMs: 1000, etaMs: -5 })).toContain('longer than expected');
  });
  it('button ids round-trip and foreign ids are ignored', () => {
    expect(parseActionId(actionId('retry', 'job-1'))).toEqual({ action: 'retry', jobId: 'job-1' });
    expect(parseActionId('other:cancel:1')).toBeNull();
  });
});
