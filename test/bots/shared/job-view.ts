import type { JobView } from '../../../src/core/ports.js';

/** A failed job as every adapter sees it, for rendering tests. */
export function failedJob(over: Partial<JobView> = {}): JobView {
  return {
    id: 'job-1',
    platform: 'test',
    requesterId: 'U1',
    groupId: 'G1',
    replyTo: 'test:x',
    replyState: null,
    state: 'failed',
    taskId: 't',
    taskStatus: 'FAILED',
    fileUrl: null,
    outputDuration: null,
    audioSeconds: 2,
    errorCode: 'INTERNAL',
    errorMessage: null,
    errorFacts: null,
    createdAt: 0,
    updatedAt: 0,
    submittedAt: 0,
    finishedAt: 1,
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
