/**
 * The handed-over video and caption files on Slack, against the fake Web API: the MP4, the .vtt
 * and the .srt go into the job's thread in one upload (a URL per file, one completion), byte
 * for byte, every file id kept; the card carries the transcript excerpt and the notes; a video
 * over the limit leaves the caption files and a line; a redelivery never uploads twice; and
 * Delete (through real Bolt) removes every upload and the message, and nothing else.
 */
import { webApi } from '@slack/bolt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackChatReply } from '../../../../src/bots/slack/replies/chat-reply.js';
import { decodeReplyState, encodeReplyState } from '../../../../src/bots/slack/replies/reply-state.js';
import { bytesInput } from '../../../../src/core/media-input.js';
import type { JobView } from '../../../../src/core/ports.js';
import { buttonPayload, mentionEnvelope } from '../../../fakes/slack/signer.js';
import { captionFiles, handedResult, makeMp4 } from '../../../helpers/handover.js';
import { makeJpeg } from '../../../helpers/media.js';
import { failedJob } from '../../shared/job-view.js';
import { ALICE, BOT_TOKEN, botMessage, CHANNEL, startWorld, waitFor, type SlackWorld } from '../world.js';

let w: SlackWorld;
let client: webApi.WebClient;

beforeAll(async () => {
  w = await startWorld();
  await w.h.core.faces.save('slack', ALICE, bytesInput(await makeJpeg(), 'face.jpg'));
  client = new webApi.WebClient(BOT_TOKEN, { slackApiUrl: w.fake.apiUrl, retryConfig: { retries: 0 } });
});
afterAll(async () => {
  await w?.stop();
});

const reply = (uploadMaxBytes = 10 * 1024 * 1024) =>
  createSlackChatReply({ uploadMaxBytes, throttleMs: 0 }, { client, logger: pino({ level: 'silent' }) });

function jobIn(threadTs: string, id: string): JobView {
  return { ...failedJob({ id, platform: 'slack', replyTo: `slack:${w.fake.teamId}:${CHANNEL}:${threadTs}` }), state: 'completed' };
}

function textOfBlocks(blocks: unknown): string {
  return JSON.stringify(blocks ?? []);
}

describe('the handed-over video on Slack', () => {
  it('uploads the MP4, the .vtt and the .srt into the thread in one completion, byte for byte; the card says so, with the transcript and notes', async () => {
    const thread = w.fake.nextTs();
    const job = jobIn(thread, 'slack-hand-1');
    const urlsBefore = w.fake.callsOf('files.getUploadURLExternal').length;
    const completesBefore = w.fake.callsOf('files.completeUploadExternal').length;
    const r = reply();
    const long = `${'Each word stays whole here. '.repeat(40)}Last words.`;
    const result = await handedResult(job.id, { captions: captionFiles(long), notes: ['BURN_FAILED'] });
    const stored = await r.result(job, result);
    r.dispose();
    expect(w.fake.callsOf('files.getUploadURLExternal').length - urlsBefore).toBe(3);
    expect(w.fake.callsOf('files.completeUploadExternal').length - completesBefore).toBe(1);
    const mine = w.fake.uploads.filter((u) => u.completed?.thread_ts === thread);
    expect(mine.map((u) => u.filename).sort()).toEqual([
      `talking-avatar-${job.id}.mp4`,
      `talking-avatar-${job.id}.srt`,
      `talking-avatar-${job.id}.vtt`,
    ]);
    expect(mine.every((u) => u.completed?.channel_id === CHANNEL)).toBe(true);
    const byName = new Map(mine.map((u) => [u.filename, u.bytes]));
    expect(byName.get(`talking-avatar-${job.id}.mp4`)?.equals(await makeMp4())).toBe(true);
    expect(byName.get(`talking-avatar-${job.id}.vtt`)?.toString('utf8')).toBe(result.captions?.vtt);
    expect(byName.get(`talking-avatar-${job.id}.srt`)?.toString('utf8')).toBe(result.captions?.srt);
    const state = decodeReplyState(typeof stored === 'string' ? stored : null);
    expect([...(state.fileIds ?? [])].sort()).toEqual(mine.map((u) => u.fileId).sort());
    const card = botMessage(w.fake, thread, /ready/);
    expect(card?.text).toContain('The video and its caption files are attached below.');
    const blocks = textOfBlocks(card?.blocks);
    expect(blocks).toContain('Transcript');
    expect(blocks).toContain('Each word stays whole here.');
    expect(blocks).toContain('…');
    expect(blocks).not.toContain('Last words.');
    expect(blocks).toContain('could not be drawn into the video');
    expect(blocks).toContain('AI-generated');

    // Delivered again (a restart before the state was stored... but after it was): no second upload.
    const again = reply();
    await again.result({ ...job, replyState: encodeReplyState(state) }, result);
    again.dispose();
    expect(w.fake.callsOf('files.getUploadURLExternal').length - urlsBefore).toBe(3);
  });

  it('a video over SLACK_UPLOAD_MAX_MB: the caption files alone, the link, and the too-large line', async () => {
    const thread = w.fake.nextTs();
    const job = jobIn(thread, 'slack-hand-big');
    const r = reply(1000);
    const stored = await r.result(job, await handedResult(job.id));
    r.dispose();
    const mine = w.fake.uploads.filter((u) => u.completed?.thread_ts === thread);
    expect(mine.map((u) => u.filename).sort()).toEqual([`talking-avatar-${job.id}.srt`, `talking-avatar-${job.id}.vtt`]);
    expect(decodeReplyState(typeof stored === 'string' ? stored : null)).toMatchObject({ uploaded: true, videoUploaded: false });
    const card = botMessage(w.fake, thread, /ready/);
    expect(card?.text).toContain('Its caption files are attached below.');
    expect(card?.text).toContain('|open the video>');
    expect(textOfBlocks(card?.blocks)).toContain('too large to upload here; use the link');
  });

  it('a voice clip in preview with no speech-to-text: the video alone, and one plain line saying why', async () => {
    const thread = w.fake.nextTs();
    const job = jobIn(thread, 'slack-hand-nostt');
    const r = reply();
    await r.result(job, await handedResult(job.id, { captions: null, notes: ['CAPTIONS_NEED_SPEECH_TO_TEXT'], preview: true }));
    r.dispose();
    expect(w.fake.uploads.filter((u) => u.completed?.thread_ts === thread).map((u) => u.filename)).toEqual([
      `talking-avatar-${job.id}.mp4`,
    ]);
    const blocks = textOfBlocks(botMessage(w.fake, thread, /ready/)?.blocks);
    expect(blocks).toContain('No captions: the preview server has no speech-to-text, so a voice note cannot be transcribed.');
    expect(blocks).toContain('AI-generated');
  });

  it('Delete removes every upload of the job (video and captions) and its message, and nothing else', async () => {
    const ts = w.fake.nextTs();
    await w.signer.postEvent(
      mentionEnvelope({
        team: w.fake.teamId,
        channel: CHANNEL,
        user: ALICE,
        ts,
        text: `<@${w.fake.botUserId}> Delete my files`,
        botUserId: w.fake.botUserId,
      }),
    );
    const job = await waitFor('delivered', async () => {
      const j = (await w.jobsOf(ALICE)).find((x) => x.spokenText === 'Delete my files');
      return j?.delivered === true ? j : undefined;
    });
    // The answer as the hand-over gives it: the bot's message edited, three files uploaded.
    const r = reply();
    const before = decodeReplyState(job.replyState);
    const stored = await r.result({ ...job, replyState: encodeReplyState({ ...before, uploaded: false }) }, await handedResult(job.id));
    r.dispose();
    const state = decodeReplyState(typeof stored === 'string' ? stored : null);
    expect(state.fileIds).toHaveLength(3);
    await w.h.store.updateJob(job.id, { replyState: encodeReplyState(state) });
    // Someone else's upload in the same thread, which Delete must leave alone.
    const other = await client.filesUploadV2({ channel_id: CHANNEL, thread_ts: ts, file: Buffer.from('not mine'), filename: 'other.txt' });
    const otherUpload = w.fake.uploads.find((u) => u.filename === 'other.txt');
    expect(other.ok).toBe(true);
    const card = await waitFor('result', () => botMessage(w.fake, ts, /ready/));
    await w.signer.postInteractive(
      buttonPayload({ team: w.fake.teamId, channel: CHANNEL, user: ALICE, messageTs: card.ts, actionId: 'avatar_delete', value: job.id }),
    );
    await waitFor('discarded', async () => ((await w.h.core.jobs.get(job.id))?.discardedAt ?? null) !== null);
    for (const id of state.fileIds ?? []) expect(w.fake.uploads.find((u) => u.fileId === id)?.deleted).toBe(true);
    expect(otherUpload?.deleted).toBeUndefined();
    expect(w.fake.botMessagesIn(CHANNEL, ts)).toHaveLength(0);
  });
});
