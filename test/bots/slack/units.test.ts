/**
 * The Slack adapter's pure parts and its ChatReply against the fake Web API: replyTo
 * round-trip, the token host rule, file picking, capped downloads and progress throttling.
 */
import { webApi } from '@slack/bolt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackChatReply } from '../../../src/bots/slack/chat-reply.js';
import { createTokenHostCheck, downloadCapped } from '../../../src/bots/slack/download.js';
import { audioScore, pickAudio, pickImage, toSlackFile, type SlackFile } from '../../../src/bots/slack/files.js';
import { parseReplyState } from '../../../src/bots/slack/reply-state.js';
import { formatReplyTo, parseReplyTo } from '../../../src/bots/slack/reply-to.js';
import { AvatarError } from '../../../src/core/errors.js';
import type { JobView } from '../../../src/core/ports.js';
import { createFakeSlack, type FakeSlack } from '../../fakes/slack/fake-slack.js';
import { createForeignHost, type ForeignHost } from '../../fakes/slack/foreign-host.js';
import { waitFor } from './world.js';

const TOKEN = 'xoxb-unit-token';
let fake: FakeSlack;
let foreign: ForeignHost;

beforeAll(async () => {
  foreign = createForeignHost();
  await foreign.start();
  fake = createFakeSlack({ botToken: TOKEN, foreign });
  await fake.start();
});

afterAll(async () => {
  await fake?.close();
  await foreign?.close();
});

describe('replyTo', () => {
  it('round-trips and refuses other formats', () => {
    const to = { team: 'T123', channel: 'C456', threadTs: '1700000000.000100' };
    const s = formatReplyTo(to);
    expect(s).toBe('slack:T123:C456:1700000000.000100');
    expect(parseReplyTo(s)).toEqual(to);
    expect(parseReplyTo('discord:g:c:m')).toBeNull();
    expect(parseReplyTo('slack:T1:C1')).toBeNull();
    expect(parseReplyTo('slack:T1:C1:notats')).toBeNull();
    expect(() => formatReplyTo({ ...to, channel: 'C:1' })).toThrow();
  });

  it('reply state survives garbage', () => {
    expect(parseReplyState('{"ts":"1.2","uploaded":true}')).toEqual({ ts: '1.2', uploaded: true });
    expect(parseReplyState('not json')).toEqual({});
    expect(parseReplyState(null)).toEqual({});
  });
});

describe('token host rule', () => {
  it('accepts Slack https hosts and the exact SLACK_API_URL origin only', () => {
    const check = createTokenHostCheck('http://127.0.0.1:4567/api/');
    expect(check(new URL('https://files.slack.com/files-pri/T1-F1/a.m4a'))).toBe(true);
    expect(check(new URL('https://slack.com/api/'))).toBe(true);
    expect(check(new URL('http://files.slack.com/x'))).toBe(false);
    expect(check(new URL('https://files.slack.com.evil.test/x'))).toBe(false);
    expect(check(new URL('https://evilslack.com/x'))).toBe(false);
    expect(check(new URL('https://files.slack.com:8443/x'))).toBe(false);
    expect(check(new URL('http://127.0.0.1:4567/files/F1'))).toBe(true);
    expect(check(new URL('http://127.0.0.1:4568/files/F1'))).toBe(false);
    expect(createTokenHostCheck(undefined)(new URL('http://127.0.0.1:4567/x'))).toBe(false);
  });
});

describe('file picking', () => {
  const f = (o: Record<string, unknown>): SlackFile => {
    const file = toSlackFile({ id: `F${Math.random()}`, url_private: 'https://files.slack.com/x', ...o });
    if (file === null) throw new Error('bad file');
    return file;
  };

  it('prefers a Slack clip over an audio file over a video clip, and the image is another file', () => {
    const video = f({ name: 'clip.mp4', mimetype: 'video/mp4' });
    const mp3 = f({ name: 'song.mp3', mimetype: 'audio/mpeg' });
    const recorded = f({ name: 'audio_message.webm', mimetype: 'audio/webm', subtype: 'slack_audio' });
    const photo = f({ name: 'face.heic', mimetype: 'application/octet-stream' });
    expect(audioScore(photo)).toBe(0);
    expect(pickAudio([video, mp3, recorded, photo])).toBe(recorded);
    expect(pickAudio([video, mp3])).toBe(mp3);
    expect(pickAudio([video])).toBe(video);
    expect(pickAudio([photo])).toBeUndefined();
    expect(pickImage([mp3, photo], mp3)).toBe(photo);
  });

  it('marks Slack Connect stubs', () => {
    expect(toSlackFile({ id: 'F1', file_access: 'check_file_info' })?.isStub).toBe(true);
    expect(toSlackFile({ id: 'F1', url_private: 'https://files.slack.com/a' })?.isStub).toBe(false);
    expect(toSlackFile({ name: 'no id' })).toBeNull();
  });
});

describe('capped download', () => {
  it('stops at the cap with the caller\'s error and gives up after too many redirects', async () => {
    const url = foreign.serve('/big.bin', new Uint8Array(5000));
    await expect(downloadCapped(url, { maxBytes: 1000, tooLarge: () => new Error('too big') })).rejects.toThrow('too big');
    const ok = await downloadCapped(url, { maxBytes: 5000, tooLarge: () => new Error('too big') });
    expect(ok.bytes.byteLength).toBe(5000);
    expect(ok.sentToken).toBe(false);
    const missing = downloadCapped(`${foreign.url}/nope`, { maxBytes: 10, tooLarge: () => new Error('x') });
    await expect(missing).rejects.toBeInstanceOf(AvatarError);
    await expect(missing).rejects.toMatchObject({ code: 'DOWNLOAD_FAILED' });
  });
});

function jobView(over: Partial<JobView>): JobView {
  return {
    id: 'job-1',
    platform: 'slack',
    requesterId: 'U1',
    groupId: 'T1',
    replyTo: 'slack:T1:C1:1700000000.000001',
    replyState: null,
    state: 'submitted',
    taskId: 't',
    taskStatus: 'IN_PROGRESS',
    fileUrl: null,
    outputDuration: null,
    audioSeconds: 2,
    errorCode: null,
    errorMessage: null,
    errorFacts: null,
    createdAt: 0,
    updatedAt: 0,
    submittedAt: 0,
    finishedAt: null,
    etaAt: null,
    delivered: false,
    preview: false,
    ...over,
  };
}

describe('progress throttling', () => {
  it('edits at most once per gap, keeps the newest, and always sends the final answer', async () => {
    const client = new webApi.WebClient(TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    const reply = createSlackChatReply({ uploadMaxBytes: 0, throttleMs: 150 }, { client, logger: pino({ level: 'silent' }) });
    try {
      const first = await reply.progress(jobView({}), { state: 'rendering', elapsedMs: 1000 });
      expect(typeof first).toBe('string');
      const job = jobView({ replyState: first as string });
      const ts = parseReplyState(job.replyState).ts ?? '';
      expect(fake.callsOf('chat.postMessage')).toHaveLength(1);

      // Two more within the gap: nothing sent now, the newest later.
      await reply.progress(job, { state: 'rendering', elapsedMs: 2000 });
      await reply.progress(job, { state: 'rendering', elapsedMs: 3000, etaMs: 4000 });
      expect(fake.callsOf('chat.update')).toHaveLength(0);
      const edited = await waitFor('throttled edit', () => fake.messages.find((m) => m.ts === ts && m.edits === 1), 5000);
      expect(edited.text).toMatch(/3 s so far, about 4 s left/);

      // Within the next gap: the final answer still goes out at once, and a pending edit never lands after it.
      await reply.progress(job, { state: 'rendering', elapsedMs: 3500 });
      await reply.error(job, { code: 'JOB_TIMEOUT', message: 'deadline' });
      expect(fake.messages.find((m) => m.ts === ts)?.text).toMatch(/timed out/);
      await new Promise((r) => setTimeout(r, 300));
      expect(fake.messages.find((m) => m.ts === ts)?.text).toMatch(/timed out/);
      expect(fake.callsOf('chat.update')).toHaveLength(2);
      // Every Web API call carried the bot token.
      expect(fake.calls.every((c) => c.authorization === `Bearer ${TOKEN}`)).toBe(true);
    } finally {
      reply.dispose();
    }
  });
});

describe('answered()', () => {
  it('is false while the message shows progress and true once it shows the final answer, read by another process', async () => {
    const client = new webApi.WebClient(TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    const first = createSlackChatReply({ uploadMaxBytes: 0, throttleMs: 0 }, { client, logger: pino({ level: 'silent' }) });
    const other = createSlackChatReply({ uploadMaxBytes: 0, throttleMs: 0 }, { client, logger: pino({ level: 'silent' }) });
    try {
      const fresh = jobView({});
      // No message yet: nothing to find.
      expect(await other.answered?.(fresh)).toBe(false);
      const s = await first.progress(fresh, { state: 'rendering', elapsedMs: 1000 });
      const job = jobView({ replyState: s as string });
      expect(await other.answered?.(job)).toBe(false);
      const shown = await first.result(job, { fileUrl: 'https://example.invalid/v.mp4', outputDuration: 3, preview: false });
      // The final answer is recorded in the state to store...
      expect(parseReplyState(shown as string).final).toBe(true);
      // ...and without that state (the process died before storing it) the message itself tells.
      expect(await other.answered?.(job)).toBe(true);
    } finally {
      first.dispose();
      other.dispose();
    }
  });
});
