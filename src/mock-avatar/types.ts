/**
 * Public types of the local Mirako-compatible preview server (src/mock-avatar). The server is
 * the bot's embedded default when no avatar API URL is configured, and the test double for the
 * avatar client: fault knobs let tests script 429s, resets, stalls and odd answers.
 */
import type { Logger } from 'pino';

/** Service task states, as the real API spells them. */
export type MockTaskStatus = 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'CANCELED' | 'TIMED_OUT';

/** Probabilities (0..1) of random faults. `stuck` is per task; the others per request. */
export interface FaultRates {
  /** A 500/502/503 problem+json answer. */
  error5xx: number;
  /** A 429 with a Retry-After header. */
  rateLimit: number;
  /** Seconds in the Retry-After header of random 429s (default 1). */
  retryAfterSeconds: number;
  /** The socket is destroyed without an answer. */
  reset: number;
  /** Nothing is answered for `stallMs`, then the socket is destroyed. */
  stall: number;
  /** Milliseconds a random stall lasts (default 5000). */
  stallMs: number;
  /** A 200 whose body is not JSON. */
  malformed: number;
  /** Per task: it stays IN_PROGRESS forever (until `completeNow`). */
  stuck: number;
}

/** A one-shot fault for the next request to an endpoint. */
export type ScriptedFault =
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string>; contentType?: string }
  | { kind: 'malformed' }
  | { kind: 'reset' }
  | { kind: 'stall'; ms: number };

/** Inputs of the render-time function. */
export interface RenderTimeInfo {
  audioBytes: number;
  /** Measured with ffmpeg; null when not rendering or when it could not be measured. */
  audioSeconds: number | null;
  taskId: string;
}

export interface MockAvatarOptions {
  /** Default 0 (ephemeral); the host is always 127.0.0.1. */
  port?: number;
  /** When set, a missing or wrong bearer gets a 401 problem+json. */
  apiKey?: string;
  /** Default: the @ffmpeg-installer binary. */
  ffmpegPath?: string;
  /** Milliseconds from submit to the final state. Default: min(30 s, 500 ms + audioSeconds * 500). */
  renderMs?: (info: RenderTimeInfo) => number;
  /** Milliseconds spent IN_QUEUE before IN_PROGRESS (default 200). */
  queueMs?: number;
  /** When set, each accepted submit uses one; at 0 submits get 402. */
  credits?: number;
  /** Default true; false skips ffmpeg and serves a tiny placeholder file (load tests). */
  render?: boolean;
  /** Random faults, default none. */
  faults?: Partial<FaultRates>;
  /** Makes random faults reproducible. */
  seed?: number;
  logger?: Logger;
  /** Submit body cap in bytes (default 80 MB); beyond it the answer is 413. */
  maxBodyBytes?: number;
  /** Waits between webhook attempts (default [250, 1000, 3000]: four attempts in all). */
  webhookRetryDelaysMs?: number[];
  /** Kill an ffmpeg run after this many ms (default 120 000). */
  ffmpegTimeoutMs?: number;
}

export interface MockAvatarStats {
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
}

export interface MockTaskView {
  taskId: string;
  status: string;
  createdAt: number;
  finishedAt: number | null;
  webhookUrl: string | null;
}

/** A forced outcome for the next submitted task. */
export type ScriptedOutcome =
  | { status: 'FAILED' | 'TIMED_OUT' | 'CANCELED'; error?: string }
  | { status: 'STUCK' };

export interface MockAvatarServer {
  /** http://127.0.0.1:<port>, valid after start(). */
  readonly url: string;
  start(): Promise<void>;
  /** Also stops timers, ffmpeg processes and webhook retries, and removes the temp dir. */
  close(): Promise<void>;
  /** Queues one-shot faults for the next requests to an endpoint (FIFO). */
  failNext(endpoint: 'submit' | 'status', ...faults: ScriptedFault[]): void;
  /** Decides the outcome of the next submitted task (FIFO when called several times). */
  nextOutcome(outcome: ScriptedOutcome): void;
  stats(): MockAvatarStats;
  /** Forces a task to finish now (as soon as its render is done, when it renders). */
  completeNow(taskId: string): void;
  tasks(): MockTaskView[];
}
