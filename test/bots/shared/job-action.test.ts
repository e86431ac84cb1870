/** The shared Cancel/Retry action against a stub of the core's job desk. */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { runJobAction } from '../../../src/bots/shared/job-action.js';
import { AvatarError } from '../../../src/core/errors.js';
import type { AvatarCore, JobView } from '../../../src/core/ports.js';

const logger = pino({ level: 'silent' });

function view(over: Partial<JobView>): JobView {
  return {
    id: 'j1',
    platform: 'slack',
    requesterId: 'U1',
    groupId: 'T1',
    replyTo: 'r',
    replyState: null,
    state: 'failed',
    taskId: null,
    taskStatus: null,
    fileUrl: null,
    outputDuration: null,
    audioSeconds: 1,
    errorCode: 'JOB_FAILED',
    errorMessage: null,
    errorFacts: null,
    createdAt: 0,
    updatedAt: 0,
    submittedAt: null,
    finishedAt: 0,
    etaAt: null,
    renderStartedAt: null,
    spokenText: null,
    discardedAt: null,
    captions: null,
    delivered: true,
    preview: false,
    ...over,
  };
}

function stubCore(job: JobView | null, fail?: AvatarError) {
  const calls: string[] = [];
  const jobs = {
    get: async () => job,
    cancel: async (id: string, who: string) => {
      calls.push(`cancel ${id} ${who}`);
      if (fail !== undefined) throw fail;
      return view({ state: 'canceled' });
    },
    retry: async (id: string, who: string, state?: string) => {
      calls.push(`retry ${id} ${who} ${state ?? '-'}`);
      if (fail !== undefined) throw fail;
      return view({ id: 'j2', state: 'queued' });
    },
  };
  return { core: { jobs } as unknown as AvatarCore, calls };
}

describe('runJobAction', () => {
  it('the requester: acknowledged, then the core is called with the new reply state', async () => {
    const { core, calls } = stubCore(view({}));
    const acked: string[] = [];
    const out = await runJobAction(
      { core, logger, platform: 'slack' },
      { action: 'retry', jobId: 'j1', requesterId: 'U1', replyState: 'fresh', acknowledge: async () => void acked.push('ack') },
    );
    expect(out).toMatchObject({ job: { id: 'j2' } });
    expect(acked).toEqual(['ack']);
    expect(calls).toEqual(['retry j1 U1 fresh']);
  });

  it('someone else: NOT_ALLOWED before any acknowledgement or core call', async () => {
    const { core, calls } = stubCore(view({}));
    let acked = false;
    const out = await runJobAction(
      { core, logger, platform: 'slack' },
      { action: 'cancel', jobId: 'j1', requesterId: 'U2', acknowledge: async () => void (acked = true) },
    );
    expect(out).toMatchObject({ refused: { code: 'NOT_ALLOWED' }, stage: 'check' });
    expect(acked).toBe(false);
    expect(calls).toEqual([]);
  });

  it("no such job, or another platform's: NOT_FOUND", async () => {
    for (const job of [null, view({ platform: 'discord' })]) {
      const { core, calls } = stubCore(job);
      const out = await runJobAction({ core, logger, platform: 'slack' }, { action: 'cancel', jobId: 'j1', requesterId: 'U1' });
      expect(out).toMatchObject({ refused: { code: 'NOT_FOUND' }, stage: 'check' });
      expect(calls).toEqual([]);
    }
  });

  it('the core refuses after the acknowledgement: its error, marked as acknowledged', async () => {
    const { core } = stubCore(view({}), new AvatarError('MEDIA_GONE', 'files expired'));
    const out = await runJobAction(
      { core, logger, platform: 'slack' },
      { action: 'retry', jobId: 'j1', requesterId: 'U1', acknowledge: async () => undefined },
    );
    expect(out).toMatchObject({ refused: { code: 'MEDIA_GONE' }, stage: 'core' });
  });
});
