/**
 * The handed-over video and caption files on Discord, through the real discord.js REST path
 * into the fake: the MP4 and the .vtt/.srt arrive as multipart files with their bytes and
 * names, each shown by a component (a V2 message shows no attachment nothing points at), the
 * transcript excerpt and the notes on the card; and the same files on the interaction token,
 * the bot-token message, the plain fallback and the DM.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordReply } from '../../../../src/bots/discord/replies/chat-reply.js';
import { encodeReplyState, decodeReplyState } from '../../../../src/bots/discord/replies/reply-state.js';
import { formatReplyTo } from '../../../../src/bots/discord/reply-to.js';
import { createRest } from '../../../../src/bots/discord/rest.js';
import type { JobView } from '../../../../src/core/ports.js';
import { startFakeDiscord, type FakeDiscord } from '../../../fakes/discord/fake-discord.js';
import { IS_COMPONENTS_V2 } from '../../../fakes/discord/forms.js';
import { messageJson, slashInteraction, snowflake, type Json } from '../../../fakes/discord/payloads.js';
import { captionFiles, handedResult, makeMp4 } from '../../../helpers/handover.js';
import { failedJob } from '../../shared/job-view.js';
import { contentOf, textOf } from '../world.js';

let fake: FakeDiscord;
let rest: ReturnType<typeof createRest>;
beforeAll(async () => {
  fake = await startFakeDiscord();
  rest = createRest({
    token: fake.token,
    apiUrl: fake.apiUrl,
    messageContent: false,
    tokenTtlMs: 1,
    allowedChannels: [],
    allowedRoles: [],
    shards: undefined,
  });
});
afterAll(async () => {
  rest.clearHashSweeper();
  rest.clearHandlerSweeper();
  await fake.close();
});

function flat(nodes: unknown): Json[] {
  return Array.isArray(nodes) ? (nodes as Json[]).flatMap((c) => [c, ...flat(c.components)]) : [];
}

/** The bytes Discord keeps for a message's attachment, by file name. */
async function attachmentBytes(message: Json | undefined): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const a of (message?.attachments as Json[] | undefined) ?? []) {
    const res = await fetch(String(a.url));
    out.set(String(a.filename), Buffer.from(await res.arrayBuffer()));
  }
  return out;
}

function channelJob(id: string, sizeLimit: number, over: Partial<JobView> = {}): JobView {
  const asked = fake.seedMessage(messageJson({ channelId: fake.channelId, guildId: fake.guildId, author: { id: '1', username: 'a' } }));
  return {
    ...failedJob({
      id,
      platform: 'discord',
      replyTo: formatReplyTo({ guildId: fake.guildId, channelId: fake.channelId, messageId: String(asked.id) }),
      replyState: encodeReplyState({ v: 1, sizeLimit }),
    }),
    state: 'completed',
    ...over,
  };
}

const reply = () => createDiscordReply({ tokenTtlMs: 60_000, progressIntervalMs: 0 }, { rest, logger: pino({ level: 'silent' }) });

describe('the handed-over video on Discord', () => {
  it('the card through the interaction token: the MP4, the .vtt and the .srt with their bytes, each shown by a component; transcript and notes', async () => {
    const i = slashInteraction(
      { applicationId: fake.applicationId, guildId: fake.guildId, channelId: fake.channelId, user: { id: snowflake(), username: 'p' } },
      { name: 'avatar', options: [], attachments: [] },
    );
    fake.sendInteraction(i);
    await fetch(`${fake.apiUrl}/v10/interactions/${String(i.id)}/${String(i.token)}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 5 }),
    });
    const job: JobView = {
      ...channelJob('hand-token', 10 * 1024 * 1024),
      replyState: encodeReplyState({
        v: 1,
        sizeLimit: 10 * 1024 * 1024,
        token: String(i.token),
        appId: fake.applicationId,
        issuedAt: Date.now(),
      }),
    };
    const long = `${'Every word here is whole. '.repeat(30)}The end.`;
    const result = await handedResult(job.id, { captions: captionFiles(long), notes: ['BURN_FAILED'] });
    const r = reply();
    await r.result(job, result);
    r.dispose();
    const [patch] = fake.find('PATCH', new RegExp(`^/webhooks/${fake.applicationId}/${String(i.token)}/messages/@original$`));
    expect(patch?.status).toBe(200);
    const names = patch?.files.map((f) => f.filename);
    expect(names).toEqual([`talking-avatar-${job.id}.mp4`, `talking-avatar-${job.id}.vtt`, `talking-avatar-${job.id}.srt`]);
    const body = patch?.json as Json;
    expect(Number(body.flags) & IS_COMPONENTS_V2).toBe(IS_COMPONENTS_V2);
    // Every attachment is pointed at: the video by the gallery, the caption files by File components.
    const refs = flat(body.components).flatMap((c) =>
      c.type === 12
        ? ((c.items as Json[]) ?? []).map((it) => String((it.media as Json).url))
        : c.type === 13
          ? [String((c.file as Json).url)]
          : [],
    );
    expect(refs.sort()).toEqual((names ?? []).map((n) => `attachment://${n}`).sort());
    const words = patch === undefined ? '' : contentOf(patch);
    expect(words).toContain('Transcript');
    expect(words).toContain('Every word here is whole.');
    expect(words).toContain('…');
    expect(words).not.toContain('The end.');
    expect(words).toContain('could not be drawn into the video');
    expect(words).toContain('AI-generated');
    // What Discord keeps: the three files, byte for byte.
    const kept = await attachmentBytes(fake.originalOf(String(i.token)));
    expect(kept.get(`talking-avatar-${job.id}.mp4`)?.equals(await makeMp4())).toBe(true);
    expect(kept.get(`talking-avatar-${job.id}.vtt`)?.toString('utf8')).toBe(result.captions?.vtt);
    expect(kept.get(`talking-avatar-${job.id}.srt`)?.toString('utf8')).toBe(result.captions?.srt);
  });

  it('a video over the upload limit: the link, the caption files still attached, and the too-large line', async () => {
    const job = channelJob('hand-big', 1000);
    const r = reply();
    const result = await handedResult(job.id);
    await r.result(job, result);
    r.dispose();
    const [post] = fake
      .find('POST', new RegExp(`^/channels/${fake.channelId}/messages$`))
      .filter((p) => contentOf(p).includes(result.fileUrl));
    expect(post?.status).toBe(200);
    expect(post?.files.map((f) => f.filename)).toEqual([`talking-avatar-${job.id}.vtt`, `talking-avatar-${job.id}.srt`]);
    const words = post === undefined ? '' : contentOf(post);
    expect(words).toContain('too large to upload here; use the link');
    expect(words).toContain('> Hello there. This is a test of captions.');
    expect(words).toContain('AI-generated');
  });

  it('a voice note in preview with no speech-to-text: the video, no caption files, one plain line saying why', async () => {
    const job = channelJob('hand-nostt', 10 * 1024 * 1024);
    const r = reply();
    await r.result(job, await handedResult(job.id, { captions: null, notes: ['CAPTIONS_NEED_SPEECH_TO_TEXT'], preview: true }));
    r.dispose();
    const post = fake
      .find('POST', new RegExp(`^/channels/${fake.channelId}/messages$`))
      .find((p) => p.files.some((f) => f.filename === `talking-avatar-${job.id}.mp4`));
    expect(post?.files).toHaveLength(1);
    const words = post === undefined ? '' : contentOf(post);
    expect(words).toContain('No captions: the preview server has no speech-to-text, so a voice note cannot be transcribed.');
    expect(words).toContain('AI-generated');
  });

  it('no video handed over: the link and the caption files in the plain answer, never a download of the link', async () => {
    const job = channelJob('hand-novideo', 10 * 1024 * 1024);
    const r = reply();
    const result = await handedResult(job.id, { video: false, notes: ['VIDEO_UNAVAILABLE'], fileUrl: `${fake.apiUrl}/nowhere.mp4` });
    await r.result(job, result);
    r.dispose();
    const post = fake.find('POST', new RegExp(`^/channels/${fake.channelId}/messages$`)).find((p) => contentOf(p).includes(result.fileUrl));
    expect(post?.files.map((f) => f.filename)).toEqual([`talking-avatar-${job.id}.vtt`, `talking-avatar-${job.id}.srt`]);
    expect(post === undefined ? '' : contentOf(post)).toContain('could not be prepared for upload here; use the link');
    expect(fake.requests.some((q) => q.path.includes('nowhere.mp4'))).toBe(false);
  });

  it('the DM (a user install whose token is gone) carries the same files', async () => {
    const person = snowflake();
    const job: JobView = {
      ...channelJob('hand-dm', 10 * 1024 * 1024, { requesterId: person }),
      replyTo: formatReplyTo({ guildId: fake.guildId, channelId: snowflake(), messageId: undefined }),
      replyState: encodeReplyState({ v: 1, sizeLimit: 10 * 1024 * 1024, reach: 'interaction' }),
    };
    const r = reply();
    const shown = await r.result(job, await handedResult(job.id));
    r.dispose();
    const state = decodeReplyState(typeof shown === 'string' ? shown : null);
    expect(state.dmMessageId).toBeDefined();
    const [dm] = fake.find('POST', new RegExp(`^/channels/${state.dmChannelId}/messages$`));
    expect(dm?.files.map((f) => f.filename)).toEqual([
      `talking-avatar-${job.id}.mp4`,
      `talking-avatar-${job.id}.vtt`,
      `talking-avatar-${job.id}.srt`,
    ]);
    expect(textOf(fake.messages.get(String(state.dmMessageId)))).toContain('AI-generated');
  });
});
