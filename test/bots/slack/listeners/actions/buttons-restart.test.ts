/**
 * The buttons on the progress message (Retry after a failure, Cancel for the requester only)
 * and a restart while a job is pending (the answer arrives exactly once, on the same message).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeJpeg, makeTone } from '../../../../helpers/media.js';
import { buttonPayload, mentionEnvelope } from '../../../../fakes/slack/signer.js';
import { ALICE, BOB, botMessage, buttonsOf, CHANNEL, startWorld, waitFor, type SlackWorld } from '../../world.js';

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

async function mention(user: string): Promise<string> {
  const ts = w.fake.nextTs();
  const files = [
    w.fake.addFile({ name: 'me.png', mimetype: 'image/jpeg', bytes: jpeg }),
    w.fake.addFile({ name: 'voice.wav', mimetype: 'audio/wav', bytes: wav }),
  ];
  const res = await w.signer.postEvent(
    mentionEnvelope({ team: w.fake.teamId, channel: CHANNEL, user, ts, text: 'go', files, botUserId: w.fake.botUserId }),
  );
  expect(res.status).toBe(200);
  return ts;
}

function click(user: string, messageTs: string, actionId: string, value: string) {
  return w.signer.postInteractive(buttonPayload({ team: w.fake.teamId, channel: CHANNEL, user, messageTs, actionId, value }));
}

describe('slack buttons and restarts', () => {
  it('a failed job shows Retry; Retry by the requester renders it on the same message', async () => {
    w.mock.nextOutcome({ status: 'FAILED', error: 'render exploded' });
    const ts = await mention(ALICE);
    const failed = await waitFor('failure', () => botMessage(w.fake, ts, /failed to render/));
    // The service's own reason is shown.
    expect(failed.text).toContain('render exploded');
    const failedJob = (await w.jobsOf(ALICE))[0];
    expect(failedJob?.state).toBe('failed');
    expect(buttonsOf(failed)).toEqual([
      { actionId: 'avatar_retry', value: failedJob?.id },
      { actionId: 'avatar_delete', value: failedJob?.id },
    ]);

    // Someone else cannot retry Alice's job.
    const denied = await click(BOB, failed.ts, 'avatar_retry', failedJob?.id ?? '');
    expect(denied.status).toBe(200);
    await waitFor('retry refusal', () =>
      w.fake.callsOf('chat.postEphemeral').find((c) => c.params['user'] === BOB && /retry it/.test(String(c.params['text']))),
    );
    expect(await w.jobsOf(ALICE)).toHaveLength(1);

    await click(ALICE, failed.ts, 'avatar_retry', failedJob?.id ?? '');
    const done = await waitFor('retried result', () => botMessage(w.fake, ts, /ready/));
    expect(done.ts).toBe(failed.ts);
    expect(w.fake.botMessagesIn(CHANNEL, ts)).toHaveLength(1);
    expect(await w.jobsOf(ALICE)).toHaveLength(2);
  });

  it('Cancel works for the requester only', async () => {
    w.mock.nextOutcome({ status: 'STUCK' });
    const ts = await mention(BOB);
    const progress = await waitFor('rendering with Cancel', () => {
      const m = botMessage(w.fake, ts, /Rendering|Queued/);
      return buttonsOf(m).some((b) => b.actionId === 'avatar_cancel') ? m : undefined;
    });
    const job = (await w.jobsOf(BOB))[0];
    expect(buttonsOf(progress)).toEqual([{ actionId: 'avatar_cancel', value: job?.id }]);

    await click(ALICE, progress.ts, 'avatar_cancel', job?.id ?? '');
    await waitFor('cancel refusal', () =>
      w.fake.callsOf('chat.postEphemeral').find((c) => c.params['user'] === ALICE && /cancel it/.test(String(c.params['text']))),
    );
    expect((await w.h.core.jobs.get(job?.id ?? ''))?.state).not.toBe('canceled');

    await click(BOB, progress.ts, 'avatar_cancel', job?.id ?? '');
    const canceled = await waitFor('canceled', () => botMessage(w.fake, ts, /Canceled/));
    expect((await w.h.core.jobs.get(job?.id ?? ''))?.state).toBe('canceled');
    // No Retry after a person's own cancel; Delete still clears the thread.
    expect(buttonsOf(canceled)).toEqual([{ actionId: 'avatar_delete', value: job?.id }]);
  });

  it('a job pending across a restart is answered exactly once, on its progress message', async () => {
    w.mock.nextOutcome({ status: 'STUCK' });
    const carol = 'U0CAROL';
    const ts = await mention(carol);
    const job = await waitFor('submitted', async () => {
      const j = (await w.jobsOf(carol))[0];
      return j?.state === 'submitted' && j.taskId !== null ? j : undefined;
    });
    const progress = await waitFor('progress message', () => w.fake.botMessagesIn(CHANNEL, ts)[0]);
    const uploadsBefore = w.fake.uploads.length;

    await w.restart();
    w.mock.completeNow(job.taskId ?? '');
    await waitFor('delivered', async () => (await w.h.core.jobs.get(job.id))?.delivered === true);

    const msgs = w.fake.botMessagesIn(CHANNEL, ts);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]?.ts).toBe(progress.ts);
    expect(msgs[0]?.text).toMatch(/ready/);
    const completed = w.fake.uploads.slice(uploadsBefore).filter((u) => u.completed?.thread_ts === ts && u.filename.endsWith('.mp4'));
    expect(completed).toHaveLength(1);
  });
});
