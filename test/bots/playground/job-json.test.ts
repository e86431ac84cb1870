/** The page's job JSON: the phase a job is in, the clocks the page counts from, and its words. */
import { describe, expect, it } from 'vitest';
import { toPublicJob } from '../../../src/bots/playground/job-json.js';
import { failedJob } from '../shared/job-view.js';

const running = failedJob({
  platform: 'playground',
  state: 'submitted',
  taskStatus: 'IN_QUEUE',
  errorCode: null,
  createdAt: 1_000,
  submittedAt: 2_000,
  finishedAt: null,
  etaAt: 9_000,
});

describe('toPublicJob', () => {
  it("the service's queue is waiting: no ETA and no rendering clock, though the row has an early ETA", () => {
    const job = toPublicJob(running, undefined, 5_000);
    expect(job).toMatchObject({ phase: 'waiting', etaAt: null, renderStartedAt: null });
    const told = toPublicJob(running, { state: 'waiting', elapsedMs: 4_000 }, 5_000);
    expect(told).toMatchObject({ phase: 'waiting', etaAt: null, renderStartedAt: null });
  });

  it('rendering counts from when the service started, and its ETA from the update when it has one', () => {
    const started = { ...running, taskStatus: 'IN_PROGRESS' as const, renderStartedAt: 3_000, etaAt: 12_000 };
    expect(toPublicJob(started, undefined, 5_000)).toMatchObject({ phase: 'rendering', renderStartedAt: 3_000, etaAt: 12_000 });
    const told = toPublicJob(started, { state: 'rendering', elapsedMs: 6_000, renderingMs: 2_500, etaMs: 4_000 }, 7_000);
    expect(told).toMatchObject({ phase: 'rendering', renderStartedAt: 4_500, etaAt: 11_000 });
    // A service that answered IN_PROGRESS at once and a row from before the start was kept: the submit.
    const unknownStart = { ...running, taskStatus: 'IN_PROGRESS' as const };
    expect(toPublicJob(unknownStart, undefined, 5_000).renderStartedAt).toBe(2_000);
  });

  it('a failure is worded with its facts (a timeout says after how long) and a finished video is labelled AI-generated', () => {
    const timedOut = failedJob({ state: 'timed_out', errorCode: 'JOB_TIMEOUT', errorFacts: { seconds: 600 } });
    expect(toPublicJob(timedOut).error?.message).toContain('after 10 min');
    const done = failedJob({ state: 'completed', errorCode: null, fileUrl: 'https://cdn.example/v.mp4' });
    expect(toPublicJob(done).aiLabel).toBe('AI-generated');
    expect(toPublicJob({ ...done, preview: true }).aiLabel).toMatch(/^AI-generated · preview/);
    expect(toPublicJob(timedOut).aiLabel).toBeNull();
  });

  it('carries the typed text and when the person deleted it', () => {
    const deleted = failedJob({ spokenText: null, discardedAt: 42 });
    expect(toPublicJob(deleted)).toMatchObject({ spokenText: null, discardedAt: 42 });
    expect(toPublicJob(failedJob({ spokenText: 'Hello there' })).spokenText).toBe('Hello there');
  });
});
