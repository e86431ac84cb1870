/** The Slack ChatReply against the fake Web API: progress throttling and answered(). */
import { webApi } from '@slack/bolt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackChatReply } from '../../../../src/bots/slack/replies/chat-reply.js';
import { decodeReplyState } from '../../../../src/bots/slack/replies/reply-state.js';
import type { JobView } from '../../../../src/core/ports.js';
import { createFakeSlack, type FakeSlack } from '../../../fakes/slack/fake-slack.js';
import { createForeignHost, type ForeignHost } from '../../../fakes/slack/foreign-host.js';
import { waitFor } from '../world.js';

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
    renderStartedAt: null,
    spokenText: null,
    discardedAt: null,
    captions: null,
    delivered: false,
    preview: false,
    ...over,
  };
}

describe('progress throttling', () => {
  it('edits at most once per gap, keeps the newest, and always sends the final answer', async () => {
    const client = new webApi.WebClient(TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    // A clock that stands still: every update after the first falls inside the gap however slow
    // the machine is, and a held update is sent by the real timer 150 ms later.
    const reply = createSlackChatReply(
      { uploadMaxBytes: 0, throttleMs: 150 },
      { client, logger: pino({ level: 'silent' }), now: () => 1_000_000 },
    );
    try {
      const first = await reply.progress(jobView({}), { state: 'rendering', elapsedMs: 1000 });
      expect(typeof first).toBe('string');
      const job = jobView({ replyState: first as string });
      const ts = decodeReplyState(job.replyState).ts ?? '';
      expect(fake.callsOf('chat.postMessage')).toHaveLength(1);

      // Two more within the gap: nothing sent now, the newest later.
      await reply.progress(job, { state: 'rendering', elapsedMs: 2000 });
      await reply.progress(job, { state: 'rendering', elapsedMs: 3000, etaMs: 4000 });
      expect(fake.callsOf('chat.update')).toHaveLength(0);
      const edited = await waitFor('throttled edit', () => fake.messages.find((m) => m.ts === ts && m.edits === 1), 5000);
      expect(edited.text).toBe(':clapper: Rendering your talking avatar… 0:03 so far, about 0:04 left.');

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
      expect(decodeReplyState(shown as string).final).toBe(true);
      // ...and without that state (the process died before storing it) the message itself tells.
      expect(await other.answered?.(job)).toBe(true);
    } finally {
      first.dispose();
      other.dispose();
    }
  });
});
