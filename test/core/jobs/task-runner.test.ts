import { describe, expect, test } from 'vitest';
import { outcomeOf } from '../../../src/core/jobs/task-runner.js';
import type { StatusAnswer, TaskStatus } from '../../../src/core/ports.js';

type Pending = Exclude<TaskStatus, 'COMPLETED'>;

function status(s: Pending, error: string | null = null): StatusAnswer {
  return { taskId: 't1', status: s, fileUrl: null, outputDuration: null, error, raw: {} };
}

describe('a status answer -> what happens to the job', () => {
  test('IN_QUEUE and IN_PROGRESS are not final: poll again', () => {
    expect(outcomeOf(status('IN_QUEUE'))).toBeNull();
    expect(outcomeOf(status('IN_PROGRESS', 'still busy'))).toBeNull();
  });

  test('COMPLETED (checked by the client: it has a file) completes the job with the file and its duration', () => {
    const done: StatusAnswer = { taskId: 't1', status: 'COMPLETED', fileUrl: 'https://x/v.mp4', outputDuration: 3.2, error: null, raw: {} };
    expect(outcomeOf(done)).toEqual({
      state: 'completed',
      patch: { taskStatus: 'COMPLETED', fileUrl: 'https://x/v.mp4', outputDuration: 3.2 },
    });
  });

  test.each([
    ['FAILED', 'failed', 'JOB_FAILED', 'The avatar service could not render the video.'],
    ['CANCELED', 'canceled', 'JOB_CANCELED', 'The avatar service canceled the task.'],
    ['TIMED_OUT', 'timed_out', 'JOB_TIMEOUT', 'The avatar service timed out.'],
  ] as const)('%s ends the job %s with %s, keeping the service’s reason when it gives one', (s, state, code, fallback) => {
    expect(outcomeOf(status(s))).toEqual({ state, patch: { taskStatus: s, errorCode: code, errorMessage: fallback } });
    const withReason = outcomeOf(status(s, 'face not detected'));
    expect(withReason).toEqual({ state, patch: { taskStatus: s, errorCode: code, errorMessage: 'face not detected' } });
  });
});
