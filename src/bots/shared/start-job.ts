/**
 * The platform-free half of starting a job, shared by the chat adapters: the face (given, or
 * the person's saved one), the core's `create`, and a log line for a refusal. Each adapter
 * keeps only its platform parts: where to answer, its reply state, and the words it shows.
 */
import type { Logger } from 'pino';
import { toAvatarError, type AvatarError } from '../../core/errors.js';
import { bytesInput } from '../../core/media-input.js';
import type { AvatarCore, AvatarRequest, JobView, MediaInput, Platform } from '../../core/ports.js';

export interface StartDeps {
  core: AvatarCore;
  logger: Logger;
  platform: Platform;
}

/** The given face, else the person's saved face, else null (the adapter says NO_FACE its way). */
export async function faceOrSaved(deps: StartDeps, requesterId: string, given: MediaInput | null | undefined): Promise<MediaInput | null> {
  if (given !== null && given !== undefined) return given;
  const saved = await deps.core.faces.get(deps.platform, requesterId);
  return saved === null ? null : bytesInput(saved, 'saved-face');
}

export type StartOutcome = { job: JobView } | { refused: AvatarError };

/**
 * Asks the core for a job. A refusal (bad media, quota, queue full...) is logged and returned
 * for the adapter to put into words; a bug is logged as an error.
 */
export async function createJob(deps: StartDeps, request: Omit<AvatarRequest, 'platform'>): Promise<StartOutcome> {
  try {
    return { job: await deps.core.jobs.create({ ...request, platform: deps.platform }) };
  } catch (err) {
    const e = toAvatarError(err);
    const level = e.code === 'INTERNAL' ? 'error' : 'info';
    deps.logger[level]({ code: e.code, reason: e.reason, detail: e.detail, err: e.message }, `${deps.platform}: job refused`);
    return { refused: e };
  }
}
