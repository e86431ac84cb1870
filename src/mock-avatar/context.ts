import type { Logger } from 'pino';
import type { FaultPlan } from './faults.js';
import type { TaskBook } from './task-book.js';
import type { MockAvatarStats, ScriptedOutcome } from './types.js';

/** What the handlers share: one object per server, built by createMockAvatarServer. */
export interface MockContext {
  apiKey: string | undefined;
  maxBodyBytes: number;
  tasks: TaskBook;
  faults: FaultPlan;
  counters: MockAvatarStats;
  /** Remaining credits; null for unlimited. */
  credits: { remaining: number | null };
  outcomes: ScriptedOutcome[];
  baseUrl(): string;
  /** setTimeout that close() cancels. */
  schedule(ms: number, fn: () => void): void;
  logger: Logger;
}

/** The submit path, as in the OpenAPI description. */
export const SUBMIT_PATH = '/v1/video/async_generate_talking_avatar';
/** Matches the status path and captures the task id. */
export const STATUS_PATH = /^\/v1\/video\/async_generate_talking_avatar\/([^/]+)\/status$/;
/** Matches file URLs: `/files/preview-<id>.mp4` (what file_url gives) or `/files/<id>.mp4`. */
export const FILE_PATH = /^\/files\/(?:preview-)?([a-z0-9]+)\.mp4$/;
