/** A `jobs` row and a JobRecord, both ways. */
import { decodeCaptions } from '../captions-codec.js';
import { decodeFacts } from '../facts-codec.js';
import type { ErrorCode } from '../../errors.js';
import type { JobState, PreparedMedia, TaskStatus } from '../../ports.js';
import type { JobPatch, JobRecord } from '../port.js';

export interface JobRow {
  id: string;
  platform: string;
  requester_id: string;
  group_id: string;
  reply_to: string;
  reply_state: string | null;
  state: JobState;
  task_id: string | null;
  task_status: TaskStatus | null;
  file_url: string | null;
  output_duration: number | null;
  audio_seconds: number;
  error_code: ErrorCode | null;
  error_message: string | null;
  /** JSON of ErrorFacts. */
  error_facts: string | null;
  created_at: number;
  updated_at: number;
  submitted_at: number | null;
  finished_at: number | null;
  eta_at: number | null;
  delivered: number;
  delivered_at: number | null;
  preview: number;
  webhook_token: string | null;
  submit_started_at: number | null;
  next_poll_at: number | null;
  poll_count: number;
  deadline_at: number | null;
  delivery_started_at: number | null;
  retry_of: string | null;
  render_started_at: number | null;
  spoken_text: string | null;
  discarded_at: number | null;
  captions: string | null;
  /** Not part of the record: who claimed the submit slot (see SubmitClaims). */
  claim_owner: string | null;
}

export interface MediaRow {
  image: Buffer;
  image_type: string;
  audio: Buffer;
  audio_type: string;
  audio_seconds: number;
}

/** The column of each JobRecord field but the id. */
export const COLUMNS: Record<keyof Omit<JobRecord, 'id'>, keyof JobRow> = {
  platform: 'platform',
  requesterId: 'requester_id',
  groupId: 'group_id',
  replyTo: 'reply_to',
  replyState: 'reply_state',
  state: 'state',
  taskId: 'task_id',
  taskStatus: 'task_status',
  fileUrl: 'file_url',
  outputDuration: 'output_duration',
  audioSeconds: 'audio_seconds',
  errorCode: 'error_code',
  errorMessage: 'error_message',
  errorFacts: 'error_facts',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  submittedAt: 'submitted_at',
  finishedAt: 'finished_at',
  etaAt: 'eta_at',
  delivered: 'delivered',
  deliveredAt: 'delivered_at',
  preview: 'preview',
  webhookToken: 'webhook_token',
  submitStartedAt: 'submit_started_at',
  nextPollAt: 'next_poll_at',
  pollCount: 'poll_count',
  deadlineAt: 'deadline_at',
  deliveryStartedAt: 'delivery_started_at',
  retryOf: 'retry_of',
  renderStartedAt: 'render_started_at',
  spokenText: 'spoken_text',
  discardedAt: 'discarded_at',
  captions: 'captions',
};

export function fromRow(r: JobRow): JobRecord {
  return {
    id: r.id,
    platform: r.platform,
    requesterId: r.requester_id,
    groupId: r.group_id,
    replyTo: r.reply_to,
    replyState: r.reply_state,
    state: r.state,
    taskId: r.task_id,
    taskStatus: r.task_status,
    fileUrl: r.file_url,
    outputDuration: r.output_duration,
    audioSeconds: r.audio_seconds,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    errorFacts: decodeFacts(r.error_facts),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    submittedAt: r.submitted_at,
    finishedAt: r.finished_at,
    etaAt: r.eta_at,
    delivered: r.delivered === 1,
    deliveredAt: r.delivered_at,
    preview: r.preview === 1,
    webhookToken: r.webhook_token,
    submitStartedAt: r.submit_started_at,
    nextPollAt: r.next_poll_at,
    pollCount: r.poll_count,
    deadlineAt: r.deadline_at,
    deliveryStartedAt: r.delivery_started_at,
    retryOf: r.retry_of,
    renderStartedAt: r.render_started_at,
    spokenText: r.spoken_text,
    discardedAt: r.discarded_at,
    captions: decodeCaptions(r.captions),
  };
}

/** SQLite has no booleans (1 and 0) and no objects (the error facts are JSON). */
function toDb(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
}

/** Named parameters (`@column`) for an insert of the whole record. */
export function insertParams(job: JobRecord): Record<string, unknown> {
  const params: Record<string, unknown> = { id: job.id };
  for (const [field, column] of Object.entries(COLUMNS)) params[column] = toDb(job[field as keyof JobRecord]);
  return params;
}

/** Named parameters (`@column`) for the fields of a patch (undefined reads as null). */
export function patchParams(patch: JobPatch): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const f of Object.keys(patch) as Array<keyof JobPatch>) params[COLUMNS[f]] = toDb(patch[f] ?? null);
  return params;
}

export function mediaFromRow(r: MediaRow): PreparedMedia {
  return { image: r.image, imageType: r.image_type, audio: r.audio, audioType: r.audio_type, audioSeconds: r.audio_seconds };
}
