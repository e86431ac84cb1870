/**
 * The four entry points end to end: real Bolt on the bot's HTTP server, signed requests from
 * the fake Slack's signer, a real core and local avatar server through the harness.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeJpeg, makeTone } from '../../../helpers/media.js';
import { commandFields, mentionEnvelope, shortcutPayload } from '../../../fakes/slack/signer.js';
import { ALICE, BOB, botMessage, BOT_TOKEN, CHANNEL, startWorld, waitFor, type SlackWorld } from '../world.js';

let w: SlackWorld;
let jpeg: Buffer;
let wav: Buffer;

beforeAll(async () => {
  w = await startWorld();
  jpeg = await makeJpeg();
  wav = await makeTone(1.5, 'wav');
});

afterAll(async () => {
  await w?.stop();
});

function clip(): Record<string, unknown> {
  return w.fake.addFile({ name: 'audio_message.m4a', mimetype: 'audio/mp4', subtype: 'slack_audio', bytes: wav });
}

function face(): Record<string, unknown> {
  return w.fake.addFile({ name: 'me.jpg', mimetype: 'image/jpeg', bytes: jpeg });
}

describe('slack entry points', () => {
  it('a mention is acknowledged while its "Got it" message is still being posted', async () => {
    const release = w.fake.hold('chat.postMessage');
    const before = w.fake.callsOf('chat.postMessage').length;
    try {
      const ts = w.fake.nextTs();
      const envelope = mentionEnvelope({
        team: w.fake.teamId,
        channel: CHANNEL,
        user: BOB,
        ts,
        text: `<@${w.fake.botUserId}> talk`,
        files: [face(), clip()],
        botUserId: w.fake.botUserId,
      });
      const res = await w.signer.postEvent(envelope);
      expect(res.status).toBe(200);
      // The message was asked for and is held unanswered: the ack did not wait for it.
      await waitFor('starting message asked', () => w.fake.callsOf('chat.postMessage').length > before || undefined);
      expect(w.fake.botMessagesIn(CHANNEL, ts)).toHaveLength(0);
      release();
      await waitFor('result message', () => botMessage(w.fake, ts, /ready/));
    } finally {
      release();
    }
  });

  it('a mention with an image and a voice clip answers in its thread with progress, link and upload', async () => {
    const ts = w.fake.nextTs();
    const res = await w.signer.postEvent(
      mentionEnvelope({
        team: w.fake.teamId,
        channel: CHANNEL,
        user: ALICE,
        ts,
        text: `<@${w.fake.botUserId}> talk`,
        files: [face(), clip()],
        botUserId: w.fake.botUserId,
      }),
    );
    expect(res.status).toBe(200);
    const done = await waitFor('result message', () => botMessage(w.fake, ts, /ready/));
    // One progress message in the thread, edited into the result (no second message).
    expect(w.fake.botMessagesIn(CHANNEL, ts)).toHaveLength(1);
    expect(done.edits).toBeGreaterThanOrEqual(1);
    const job = (await w.jobsOf(ALICE))[0];
    expect(job?.state).toBe('completed');
    expect(job?.replyTo).toBe(`slack:${w.fake.teamId}:${CHANNEL}:${ts}`);
    expect(done.text).toContain(job?.fileUrl ?? 'missing');
    // The MP4 went into the same thread through the external upload flow.
    const up = await waitFor('upload', () => w.fake.uploads.find((u) => u.completed?.thread_ts === ts));
    expect(up.completed?.channel_id).toBe(CHANNEL);
    expect(up.bytes.length).toBeGreaterThan(0);
    // The files were fetched with the bot token from the Slack file host.
    expect(w.fake.fileRequests.filter((r) => r.authorization === `Bearer ${BOT_TOKEN}`).length).toBeGreaterThanOrEqual(2);
    // The image used became Alice's saved face.
    expect(await w.h.core.faces.get('slack', ALICE)).not.toBeNull();
  });

  it('a retried event (same event_id) starts only one job', async () => {
    const before = (await w.jobsOf(ALICE)).length;
    const ts = w.fake.nextTs();
    const env = mentionEnvelope({
      team: w.fake.teamId,
      channel: CHANNEL,
      user: ALICE,
      ts,
      text: 'go',
      files: [face(), clip()],
      botUserId: w.fake.botUserId,
      eventId: 'EvRETRY1',
    });
    const first = await w.signer.postEvent(env);
    const again = await w.signer.postEvent(env, { retryNum: 1 });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    await waitFor('result', () => botMessage(w.fake, ts, /ready/)).catch(async (e) => {
      console.log(
        JSON.stringify(w.fake.botMessagesIn(CHANNEL, ts)),
        JSON.stringify(await w.jobsOf(ALICE)),
        JSON.stringify(w.fake.calls.slice(-6)),
      );
      throw e;
    });
    expect((await w.jobsOf(ALICE)).length).toBe(before + 1);
    expect(w.fake.botMessagesIn(CHANNEL, ts)).toHaveLength(1);
  });

  it('a bad signature gets 401 and starts nothing', async () => {
    const before = w.fake.calls.length;
    const jobs = (await w.jobsOf(BOB)).length;
    const ts = w.fake.nextTs();
    const res = await w.signer.postEvent(
      mentionEnvelope({
        team: w.fake.teamId,
        channel: CHANNEL,
        user: BOB,
        ts,
        text: 'go',
        files: [face(), clip()],
        botUserId: w.fake.botUserId,
      }),
      { signature: `v0=${'0'.repeat(64)}` },
    );
    expect(res.status).toBe(401);
    // A correct signature over a stale timestamp (replay) is refused too.
    const stale = await w.signer.postEvent(
      mentionEnvelope({
        team: w.fake.teamId,
        channel: CHANNEL,
        user: BOB,
        ts,
        text: 'go',
        files: [face(), clip()],
        botUserId: w.fake.botUserId,
      }),
      { timestamp: Math.floor(Date.now() / 1000) - 600 },
    );
    expect(stale.status).toBe(401);
    expect((await w.jobsOf(BOB)).length).toBe(jobs);
    expect(w.fake.calls.slice(before).filter((c) => c.method.startsWith('chat.'))).toHaveLength(0);
  });

  it('a mention in a thread uses the clip posted earlier in it and answers under the parent', async () => {
    // Bob saves his face first: only an image and the word "face".
    const faceTs = w.fake.nextTs();
    await w.signer.postEvent(
      mentionEnvelope({
        team: w.fake.teamId,
        channel: CHANNEL,
        user: BOB,
        ts: faceTs,
        text: `<@${w.fake.botUserId}> face`,
        files: [face()],
        botUserId: w.fake.botUserId,
      }),
    );
    await waitFor('face saved', () => botMessage(w.fake, faceTs, /Saved as your face/));
    expect(await w.h.core.faces.get('slack', BOB)).not.toBeNull();

    const parent = w.fake.addMessage({ channel: CHANNEL, user: BOB, text: 'listen', files: [clip()] });
    const reply = w.fake.addMessage({ channel: CHANNEL, user: ALICE, text: 'nice', thread_ts: parent.ts });
    const mentionTs = w.fake.nextTs();
    await w.signer.postEvent(
      mentionEnvelope({
        team: w.fake.teamId,
        channel: CHANNEL,
        user: BOB,
        ts: mentionTs,
        threadTs: parent.ts,
        text: `<@${w.fake.botUserId}> make it talk`,
        botUserId: w.fake.botUserId,
      }),
    );
    const done = await waitFor('thread result', () => botMessage(w.fake, parent.ts, /ready/));
    expect(done.thread_ts).toBe(parent.ts);
    expect(done.thread_ts).not.toBe(reply.ts);
    expect(w.fake.callsOf('conversations.replies').some((c) => c.params['ts'] === parent.ts)).toBe(true);
    expect((await w.jobsOf(BOB))[0]?.replyTo).toBe(`slack:${w.fake.teamId}:${CHANNEL}:${parent.ts}`);
  });

  it('the Make it talk shortcut uses the saved face and answers in the message thread', async () => {
    const target = w.fake.addMessage({ channel: CHANNEL, user: BOB, text: 'my clip', files: [clip()] });
    const before = (await w.jobsOf(BOB)).length;
    const res = await w.signer.postInteractive(
      shortcutPayload({
        team: w.fake.teamId,
        channel: CHANNEL,
        user: BOB,
        message: { ts: target.ts, user: BOB, text: 'my clip', files: target.files },
      }),
    );
    expect(res.status).toBe(200);
    await waitFor('shortcut result', () => botMessage(w.fake, target.ts, /ready/));
    expect((await w.jobsOf(BOB)).length).toBe(before + 1);
  });

  it('the shortcut without a saved face tells the person privately how to save one', async () => {
    const carol = 'U0CAROL';
    const target = w.fake.addMessage({ channel: CHANNEL, user: carol, text: 'clip', files: [clip()] });
    await w.signer.postInteractive(
      shortcutPayload({ team: w.fake.teamId, channel: CHANNEL, user: carol, message: { ts: target.ts, user: carol, files: target.files } }),
    );
    const note = await waitFor('ephemeral', () =>
      w.fake.callsOf('chat.postEphemeral').find((c) => c.params['user'] === carol && /face/.test(String(c.params['text']))),
    );
    expect(String(note.params['text'])).toMatch(/save one/);
    expect(await w.jobsOf(carol)).toHaveLength(0);
  });

  it('/avatar answers help, face, face clear and jobs ephemerally', async () => {
    const send = async (user: string, text: string) => {
      const res = await w.signer.postCommand(commandFields({ team: w.fake.teamId, channel: CHANNEL, user, text }));
      expect(res.status).toBe(200);
      const body = JSON.parse(res.text) as { response_type?: string; text?: string };
      expect(body.response_type).toBe('ephemeral');
      return body.text ?? '';
    };
    expect(await send(ALICE, '')).toMatch(/Make it talk/);
    expect(await send(ALICE, 'start')).toMatch(/cannot carry files/);
    // `jobs` (the older word) answers as `history` does.
    expect(await send(ALICE, 'jobs')).toMatch(/Your last videos/);
    expect(await send(BOB, 'face')).toMatch(/You have a saved face/);
    expect(await send(BOB, 'face clear')).toMatch(/forgotten/);
    expect(await w.h.core.faces.get('slack', BOB)).toBeNull();
    expect(await send(BOB, 'face')).toMatch(/no saved face/);
    expect(await send(BOB, 'face clear')).toMatch(/had no saved face/);
  });
});
