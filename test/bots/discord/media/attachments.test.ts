/** Discord attachments: the CDN host rule and the capped loader in the core's error terms. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentInput, discordHostPolicy } from '../../../../src/bots/discord/media/attachments.js';
import { downloadCapped, DownloadError } from '../../../../src/bots/shared/download.js';
import { startFakeDiscord, type FakeDiscord } from '../../../fakes/discord/fake-discord.js';

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
    const same = await downloadCapped(fake.redirectUrl(String(att.url)), { maxBytes: 1000, policy });
    expect(same.bytes.length).toBe(50);
    const foreign = other.addAttachment({ filename: 'b.bin', contentType: 'audio/ogg', bytes: new Uint8Array(10) });
    await expect(downloadCapped(fake.redirectUrl(String(foreign.url)), { maxBytes: 1000, policy })).rejects.toMatchObject({
      failure: 'host',
    });
  });

  it('caps bytes: an oversize attachment becomes a MediaError TOO_LARGE, a missing one DOWNLOAD_FAILED', async () => {
    const policy = discordHostPolicy(fake.apiUrl);
    const att = fake.addAttachment({ filename: 'big.ogg', contentType: 'audio/ogg', bytes: new Uint8Array(4096) });
    const input = attachmentInput({ url: String(att.url), name: 'big.ogg', contentType: 'audio/ogg', size: 4096 }, 'audio', policy);
    await expect(input.load(1000)).rejects.toMatchObject({ code: 'INVALID_MEDIA', reason: 'TOO_LARGE', kind: 'audio' });
    expect((await input.load(5000)).length).toBe(4096);
    const gone = attachmentInput(
      { url: `${fake.origin}/attachments/none/x.ogg`, name: 'x.ogg', contentType: null, size: 1 },
      'audio',
      policy,
    );
    await expect(gone.load(1000)).rejects.toMatchObject({ code: 'DOWNLOAD_FAILED' });
    await expect(downloadCapped(`${fake.origin}/attachments/none`, { maxBytes: 10, policy })).rejects.toBeInstanceOf(DownloadError);
  });
});
