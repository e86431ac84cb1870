/**
 * Where the bot token goes (only to the Slack hosts), what the person hears when a file cannot
 * be fetched, Slack Connect stubs, the channel allow-list, and the upload size limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeJpeg, makeTone } from '../../../helpers/media.js';
import { mentionEnvelope } from '../../../fakes/slack/signer.js';
import { ALICE, BOB, botMessage, BOT_TOKEN, CHANNEL, startWorld, waitFor, type SlackWorld } from '../world.js';

let w: SlackWorld;
let small: SlackWorld;
let jpeg: Buffer;
let wav: Buffer;

beforeAll(async () => {
  // Two worlds: the default one, and one whose upload limit (1 byte) forces link-only answers
  // and whose allow-list has a single channel.
  [w, small] = await Promise.all([
    startWorld(),
    startWorld({ env: { SLACK_UPLOAD_MAX_MB: '0.000001', SLACK_ALLOWED_CHANNELS: `${CHANNEL},C0OTHER` } }),
  ]);
  jpeg = await makeJpeg();
  wav = await makeTone(1.5, 'wav');
});

afterAll(async () => {
  await Promise.all([w?.stop(), small?.stop()]);
});

async function mention(world: SlackWorld, user: string, files: unknown[], channel = CHANNEL): Promise<string> {
  const ts = world.fake.nextTs();
  const res = await world.signer.postEvent(
    mentionEnvelope({ team: world.fake.teamId, channel, user, ts, text: 'go', files, botUserId: world.fake.botUserId }),
  );
  expect(res.status).toBe(200);
  return ts;
}

describe('slack security and limits', () => {
  it('a voice clip on a foreign host is refused: no request reaches it, the person is told', async () => {
    const image = w.fake.addFile({ name: 'me.jpg', mimetype: 'image/jpeg', bytes: jpeg });
    const audio = w.fake.addFile({ name: 'clip.wav', mimetype: 'audio/wav', bytes: wav, where: 'foreign' });
    const ts = await mention(w, ALICE, [image, audio]);
    const msg = await waitFor('refusal', () => botMessage(w.fake, ts, /could not fetch/));
    expect(msg.text).toMatch(/not stored in Slack/);
    expect(w.foreign.requests).toHaveLength(0);
    expect(await w.jobsOf(ALICE)).toHaveLength(0);
  });

  it('an external file (is_external) is never fetched with the token', async () => {
    const image = w.fake.addFile({ name: 'me.jpg', mimetype: 'image/jpeg', bytes: jpeg });
    const audio = w.fake.addFile({ name: 'clip.wav', mimetype: 'audio/wav', bytes: wav, isExternal: true });
    const before = w.fake.fileRequests.length;
    const ts = await mention(w, ALICE, [image, audio]);
    await waitFor('refusal', () => botMessage(w.fake, ts, /could not fetch/));
    expect(w.fake.fileRequests.slice(before).some((r) => r.path.includes(String(audio['id'])))).toBe(false);
  });

  it('a redirect from the Slack file host to another host drops the token', async () => {
    const image = w.fake.addFile({ name: 'me.jpg', mimetype: 'image/jpeg', bytes: jpeg });
    const audio = w.fake.addFile({ name: 'clip.wav', mimetype: 'audio/wav', bytes: wav, where: 'redirect' });
    const ts = await mention(w, BOB, [image, audio]);
    await waitFor('result', () => botMessage(w.fake, ts, /ready/));
    // The first hop (Slack's host) got the token; the foreign hop got the request without it.
    const hop1 = w.fake.fileRequests.find((r) => r.path.startsWith(`/redirect/${String(audio['id'])}`));
    expect(hop1?.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(w.foreign.requests.length).toBeGreaterThan(0);
    for (const r of w.foreign.requests) expect(r.authorization).toBeUndefined();
  });

  it('a Slack Connect stub is resolved with files.info', async () => {
    const image = w.fake.addFile({ name: 'me.jpg', mimetype: 'image/jpeg', bytes: jpeg, stub: true });
    const audio = w.fake.addFile({ name: 'audio_message.m4a', mimetype: 'audio/mp4', subtype: 'slack_audio', bytes: wav, stub: true });
    // Stubs carry no name or type: only files.info tells the clip from the image.
    expect(image['name']).toBeUndefined();
    const ts = await mention(w, BOB, [image, audio]);
    await waitFor('result', () => botMessage(w.fake, ts, /ready/));
    const asked = w.fake.callsOf('files.info').map((c) => c.params['file']);
    expect(asked).toEqual(expect.arrayContaining([image['id'], audio['id']]));
  });

  it('over SLACK_UPLOAD_MAX_MB the answer is the link only', async () => {
    const image = small.fake.addFile({ name: 'me.jpg', mimetype: 'image/jpeg', bytes: jpeg });
    const audio = small.fake.addFile({ name: 'audio_message.m4a', mimetype: 'audio/mp4', subtype: 'slack_audio', bytes: wav });
    const ts = await mention(small, ALICE, [image, audio]);
    const done = await waitFor('result', () => botMessage(small.fake, ts, /ready/));
    const job = (await small.jobsOf(ALICE))[0];
    expect(done.text).toContain(job?.fileUrl ?? 'missing');
    expect(done.text).not.toMatch(/The video (is|and)/);
    expect(small.fake.callsOf('files.getUploadURLExternal').filter((c) => String(c.params['filename']).endsWith('.mp4'))).toHaveLength(0);
  });

  it('a channel outside SLACK_ALLOWED_CHANNELS gets a private explanation and no job', async () => {
    const image = small.fake.addFile({ name: 'me.jpg', mimetype: 'image/jpeg', bytes: jpeg });
    const audio = small.fake.addFile({ name: 'audio_message.m4a', mimetype: 'audio/mp4', subtype: 'slack_audio', bytes: wav });
    await mention(small, BOB, [image, audio], 'C0NOTALLOWED');
    const note = await waitFor('ephemeral', () => small.fake.callsOf('chat.postEphemeral').find((c) => c.params['user'] === BOB));
    expect(String(note.params['text'])).toMatch(/SLACK_ALLOWED_CHANNELS/);
    expect(await small.jobsOf(BOB)).toHaveLength(0);
    // Refused before any download.
    expect(small.fake.fileRequests.some((r) => r.path.includes(String(audio['id'])))).toBe(false);
  });
});
