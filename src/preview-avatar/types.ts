/**
 * Public types of the local Mirako-compatible preview server (src/preview-avatar): the bot's
 * embedded default when no avatar API URL is configured. Tests plug their fault scenarios in
 * through `PreviewAvatarFaults` (test/fakes/avatar); the server has none of its own.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { FfmpegLimits } from '../core/media/ffmpeg-limits.js';

/** Service task states, as the real API spells them. */
export type PreviewTaskStatus = 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'CANCELED' | 'TIMED_OUT';

/**
 * The API endpoints a fault plug-in can intercept: video submit and status, text to speech, the
 * premade and own voice lists, and speech to text.
 */
export type PreviewEndpoint = 'submit' | 'status' | 'tts' | 'voices' | 'own-voices' | 'stt';

/** How a task ends when a fault plug-in decides it: STUCK stays IN_PROGRESS until `completeNow`. */
export type TaskOutcome = { status: 'FAILED' | 'TIMED_OUT' | 'CANCELED'; error?: string } | { status: 'STUCK' };

/** Runs a callback later under the server's timers, so close() cancels it. */
export type Later = (ms: number, fn: () => void) => void;

/**
 * A plug-in that makes the server misbehave on purpose (tests only; production passes none).
 * Each hook is asked at one point of a request or a task.
 */
export interface PreviewAvatarFaults {
  /**
   * Before a request is answered (a submit's body has been read, auth not yet checked):
   * true when the plug-in answered or dropped the request itself.
   */
  intercept(endpoint: PreviewEndpoint, req: IncomingMessage, res: ServerResponse, later: Later): boolean;
  /** A valid submit is about to become a task: true when the plug-in refused it (and answered). */
  refuseTask(res: ServerResponse): boolean;
  /** How the new task ends; null: as rendered. */
  outcome(): TaskOutcome | null;
  /** Sees each TTS request's parsed JSON body, before faults and auth (so tests can check what was sent). */
  speechRequested?(body: unknown): void;
  /** Sees each speech-to-text request's parsed JSON body (null when not JSON), before faults and auth. */
  sttRequested?(body: unknown): void;
  /**
   * Answers a speech-to-text request (its parsed JSON body, null when not JSON) with the
   * answer's JSON; null or absent: the preview's own answer, a 404 (it has no speech-to-text).
   */
  transcribe?(body: unknown): unknown;
}

/** Inputs of the render-time function. */
export interface RenderTimeInfo {
  audioBytes: number;
  /** Measured with ffmpeg; null when not rendering or when it could not be measured. */
  audioSeconds: number | null;
  taskId: string;
}

export interface PreviewAvatarOptions {
  /** Default 0 (ephemeral); the host is always 127.0.0.1. */
  port?: number;
  /** When set, a missing or wrong bearer gets a 401 problem+json. */
  apiKey?: string;
  /** Default: the one `resolveFfmpeg` chooses (a maintained ffmpeg on PATH, else the bundled one). */
  ffmpegPath?: string;
  /** Memory and CPU caps of each ffmpeg run (default `defaultFfmpegLimits`). */
  ffmpegLimits?: FfmpegLimits;
  /** Milliseconds from submit to the final state. Default: min(30 s, 500 ms + audioSeconds * 500). */
  renderMs?: (info: RenderTimeInfo) => number;
  /** Milliseconds spent IN_QUEUE before IN_PROGRESS (default 200). */
  queueMs?: number;
  /** Default true; false skips ffmpeg and serves a tiny placeholder file (load tests). */
  render?: boolean;
  /** Test-only misbehaviour; default none. */
  faults?: PreviewAvatarFaults;
  logger?: Logger;
  /** Submit body cap in bytes (default 80 MB); beyond it the answer is 413. */
  maxBodyBytes?: number;
  /** Waits between webhook attempts (default [250, 1000, 3000]: four attempts in all). */
  webhookRetryDelaysMs?: number[];
  /** Kill an ffmpeg run after this many ms (default 120 000). */
  ffmpegTimeoutMs?: number;
}

export interface PreviewAvatarStats {
  /** Every POST to the submit endpoint, faulted or not. */
  submits: number;
  /** Submits that created a task. */
  accepted: number;
  /** Every GET to the status endpoint, faulted or not. */
  statusCalls: number;
  /** Status calls per task id asked about (unknown ids included). */
  statusCallsByTask: Record<string, number>;
  /** Webhook POSTs answered with a 2xx. */
  webhooksSent: number;
  /** Webhook attempts that failed (network error or non-2xx), retries included. */
  webhookFailures: number;
  /** Every POST to the TTS endpoint, faulted or not. */
  ttsCalls: number;
  /** Every GET of a voice list (premade or own), faulted or not. */
  voiceListCalls: number;
}

export interface PreviewTaskView {
  taskId: string;
  status: string;
  createdAt: number;
  finishedAt: number | null;
  webhookUrl: string | null;
}

export interface PreviewAvatarServer {
  /** http://127.0.0.1:<port>, valid after start(). */
  readonly url: string;
  start(): Promise<void>;
  /** Also stops timers, ffmpeg processes, the speech worker and webhook retries, and removes the temp dir. */
  close(): Promise<void>;
  stats(): PreviewAvatarStats;
  /** Forces a task to finish now (as soon as its render is done, when it renders). */
  completeNow(taskId: string): void;
  tasks(): PreviewTaskView[];
}
