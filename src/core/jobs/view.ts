import type { JobView } from '../ports.js';
import type { JobRecord } from '../store/port.js';

/** The adapter-facing view of a job: the record without the core's private fields. */
export function toView(r: JobRecord): JobView {
  return {
    id: r.id,
    platform: r.platform,
    requesterId: r.requesterId,
    groupId: r.groupId,
    replyTo: r.replyTo,
    replyState: r.replyState,
    state: r.state,
    taskId: r.taskId,
    taskStatus: r.taskStatus,
    fileUrl: r.fileUrl,
    outputDuration: r.outputDuration,
    audioSeconds: r.audioSeconds,
    errorCode: r.errorCode,
    errorMessage: r.errorMessage,
    errorFacts: r.errorFacts,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    submittedAt: r.submittedAt,
    finishedAt: r.finishedAt,
    etaAt: r.etaAt,
    renderStartedAt: r.renderStartedAt,
    spokenText: r.spokenText,
    discardedAt: r.discardedAt,
    captions: r.captions,
    delivered: r.delivered,
    preview: r.preview,
  };
}
