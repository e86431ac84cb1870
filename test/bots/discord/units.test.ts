/** Pure parts of the adapter: replyTo, reply state, access rules, words, multipart, downloads. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAccess } from '../../../src/bots/discord/access.js';
import { parseActionId, actionId } from '../../../src/bots/discord/components.js';
import { attachmentInput, discordHostPolicy, DownloadError, fetchCapped } from '../../../src/bots/discord/download.js';
import { encodeMultipart } from '../../../src/bots/discord/multipart.js';
import { decodeReplyState, DEFAULT_UPLOAD_LIMIT, encodeReplyState, tokenAlive } from '../../../src/bots/discord/reply-state.js';
import { formatReplyTo, parseReplyTo, type DiscordTarget } from '../../../src/bots/discord/reply-to.js';
import { errorWords, progressWords } from '../../../src/bots/discord/words.js';
import { AvatarError, MediaError } from '../../../src/core/errors.js';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord/fake-discord.js';

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

describe('reply state', () => {
  it('round-trips and treats garbage as "no token"', () => {
    const s = { v: 1 as const, token: 't', appId: 'a', issuedAt: 1000, sizeLimit: 5, messageId: '9' };
    expect(decodeReplyState(encodeReplyState(s))).toEqual(s);
    expect(decodeReplyState('not json')).toEqual({ v: 1, sizeLimit: DEFAULT_UPLOAD_LIMIT });
    expect(decodeReplyState(null).token).toBeUndefined();
    expect(decodeReplyState('{"v":1,"token":"t"}').token).toBeUndefined(); // a token without its issue time is not trusted
  });

  it('the token window is config-driven', () => {
    const s = { v: 1 as const, token: 't', appId: 'a', issuedAt: 10_000, sizeLimit: 1 };
    expect(tokenAlive(s, 5_000, 14_999)).toBe(true);
    expect(tokenAlive(s, 5_000, 15_000)).toBe(false);
    expect(tokenAlive({ v: 1, sizeLimit: 1 }, 5_000, 10_000)).toBe(false);
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
  it('progress shows the queue position, elapsed time and ETA', () => {
    expect(progressWords({ state: 'queued', queuePosition: 3, elapsedMs: 0 })).toContain('number 3');
    const r = progressWords({ state: 'rendering', elapsedMs: 65_000, etaMs: 30_000 });
    expect(r).toContain('1:05');
    expect(r).toContain('0:30 left');
    expect(progressWords({ state: 'rendering', elapsedMs: 1000, etaMs: -5 })).toContain('longer than expected');
  });
  it('button ids round-trip and foreign ids are ignored', () => {
    expect(parseActionId(actionId('retry', 'job-1'))).toEqual({ action: 'retry', jobId: 'job-1' });
    expect(parseActionId('other:cancel:1')).toBeNull();
  });
});

describe('multipart encoding', () => {
  it('is parsed back by a standard multipart parser', async () => {
    const data = new Uint8Array([0, 1, 2, 255, 13, 10]);
    const { body, contentType } = encodeMultipart({ content: 'hi' }, [{ name: 'v.mp4', data, contentType: 'video/mp4' }]);
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    expect(JSON.parse(String(form.get('payload_json')))).toEqual({ content: 'hi' });
    const file = form.get('files[0]') as File;
    expect(file.name).toBe('v.mp4');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(data);
  });
});

describe('attachment downloads', () => {
  let fake: FakeDiscord;
  let other: FakeDiscord;
  beforeAll(async () => {
    [fake, other] = await Promise.all([startFakeDiscord(), startFakeDiscord()]);
  });
  afterAll(async () => {
    await Promise.all([fake.close(), other.close()]);
  });

  it('allows https Discord CDN hosts and the overridden API host only', () => {
    const policy = discordHostPolicy(fake.apiUrl);
    expect(policy.allows(new URL('https://cdn.discordapp.com/attachments/1/2/a.ogg'))).toBe(true);
    expect(policy.allows(new URL('https://media.discordapp.net/attachments/1/2/a.ogg'))).toBe(true);
    expect(policy.allows(new URL('http://cdn.discordapp.com/a.ogg'))).toBe(false);
    expect(policy.allows(new URL('https://evil.example/a.ogg'))).toBe(false);
    expect(policy.allows(new URL(`${fake.origin}/attachments/x`))).toBe(true);
    expect(policy.allows(new URL(`${other.origin}/attachments/x`))).toBe(false);
    expect(discordHostPolicy(undefined).allows(new URL(`${fake.origin}/attachments/x`))).toBe(false);
  });

  it('follows a redirect on an allowed host but never to another host', async () => {
    const policy = discordHostPolicy(fake.apiUrl);
    const att = fake.addAttachment({ filename: 'a.bin', contentType: 'audio/ogg', bytes: new Uint8Array(50).fill(7) });
    const same = await fetchCapped(fake.redirectUrl(String(att.url)), { maxBytes: 1000, policy });
    expect(same.length).toBe(50);
    const foreign = other.addAttachment({ filename: 'b.bin', contentType: 'audio/ogg', bytes: new Uint8Array(10) });
    await expect(fetchCapped(fake.redirectUrl(String(foreign.url)), { maxBytes: 1000, policy })).rejects.toMatchObject({ failure: 'host' });
  });

  it('caps bytes: an oversize attachment becomes a MediaError TOO_LARGE, a missing one DOWNLOAD_FAILED', async () => {
    const policy = discordHostPolicy(fake.apiUrl);
    const att = fake.addAttachment({ filename: 'big.ogg', contentType: 'audio/ogg', bytes: new Uint8Array(4096) });
    const input = attachmentInput({ url: String(att.url), name: 'big.ogg', contentType: 'audio/ogg', size: 4096 }, 'audio', policy);
    await expect(input.load(1000)).rejects.toMatchObject({ code: 'INVALID_MEDIA', reason: 'TOO_LARGE', kind: 'audio' });
    expect((await input.load(5000)).length).toBe(4096);
    const gone = attachmentInput({ url: `${fake.origin}/attachments/none/x.ogg`, name: 'x.ogg', contentType: null, size: 1 }, 'audio', policy);
    await expect(gone.load(1000)).rejects.toMatchObject({ code: 'DOWNLOAD_FAILED' });
    await expect(fetchCapped(`${fake.origin}/attachments/none`, { maxBytes: 10, policy })).rejects.toBeInstanceOf(DownloadError);
  });
});
