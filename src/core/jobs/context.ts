/**
 * What every part of the job engine shares: its dependencies, the few flags of its life
 * (started, stopped), the learned render ratio and spread, per-job memory that never needs to outlive the
 * process, and small helpers (a logger per job, update listeners, task scheduling). The store
 * is the truth for everything else.
 */
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { CoreConfig } from '../config.js';
import type { JobRecord, JobRecords, KeptMedia, Retention, SavedFaces, SavedVoices, SubmitClaims, Values } from '../store/port.js';
import { createVoiceShelf } from '../voices/shelf.js';

/** The ports of the store the engine uses: no dedupe, installations or health. */
type EngineStore = JobRecords & SubmitClaims & KeptMedia & SavedFaces & SavedVoices & Retention & Values;
import { toView } from './view.js';
import type { Limiter } from '../limiter.js';
import type { AvatarApi, AvatarCore, ChatReply, JobView, PreparedMedia, SniffResult, VoiceShelf } from '../ports.js';
import type { VideoFinisher } from '../handover-ports.js';
import type { EngineHandover } from './handover.js';
import { createLocalScheduler } from '../schedule/local.js';
import type { PollPlan, PollPolicy } from '../schedule/policy.js';
import type { JobScheduler, TaskKind } from '../schedule/port.js';

/** What the engine needs from media preparation, and the finishing of a video (src/core/media implements both). */
export interface MediaPreparation extends VideoFinisher {
  prepare(image: Uint8Array, audio: Uint8Array): Promise<PreparedMedia>;
  prepareImage(bytes: Uint8Array): Promise<{ data: Uint8Array; type: string }>;
  sniff(bytes: Uint8Array): Promise<SniffResult>;
}

export interface JobEngineConfig {
  /** A submitted job not final after this long ends as timed_out. */
  timeoutMs: number;
  poll: PollPlan;
  /** Seconds of rendering per second of audio before any job was measured. */
  renderRatio: number;
  /** How long a failed job's media is kept for Retry. */
  retentionMs: number;
  /** Finished, delivered jobs older than this are deleted (see recovery.ts, purge). */
  jobRetentionMs: number;
  /** Concurrency caps, queue length and daily quotas, as configured. */
  limits: CoreConfig['limits'];
  media: AvatarCore['limits'];
  /** Base URL for webhooks (`<publicUrl>/avatar/webhook/<jobId>`); undefined: poll only. */
  publicUrl: string | undefined;
  /** With webhooks: the safety-net poll interval. */
  webhookFallbackMs: number;
  preview: boolean;
  /** Durable scheduler only: how often (and how overdue) jobs are checked for a missing task. */
  sweepMs: number;
  /** Captions and the handed-over video (default `defaultHandover`: caption files, corner mark, 100 MB). */
  handover?: EngineHandover;
}

export interface JobEngineDeps {
  store: EngineStore;
  /** Where polls and submits are scheduled (default: a timer heap in this process). */
  scheduler?: JobScheduler;
  api: AvatarApi;
  media: MediaPreparation;
  /** Bounds how many requests are downloaded and prepared at once (default: unbounded). */
  intake?: Limiter;
  /** The voices typed text is spoken in (default: a shelf over `api` and `store`, no default voice). */
  voices?: VoiceShelf;
  logger: Logger;
  now?: () => number;
  random?: () => number;
}

export interface EngineStats {
  statusPolls: number;
  submits: number;
  deliveries: number;
  deliveryFailures: number;
  webhookWakes: number;
  apiErrors: Record<string, number>;
}

export interface JobContext {
  readonly config: JobEngineConfig;
  readonly store: EngineStore;
  readonly api: AvatarApi;
  readonly media: MediaPreparation;
  readonly intake: Limiter;
  readonly voices: VoiceShelf;
  readonly scheduler: JobScheduler;
  readonly now: () => number;
  readonly random: () => number;
  readonly log: Logger;
  /** Polls alone, or webhooks with polls as a safety net (from `publicUrl`). */
  readonly pollPolicy: PollPolicy;
  /**
   * How long an attempt to send an answer keeps other replicas' tasks away. A video upload can
   * take a while; a crash mid-delivery is rare: the answer then waits this long, at most.
   */
  readonly deliveryLeaseMs: number;
  /** Each platform's answerer, by platform name. */
  readonly replies: Map<string, ChatReply>;
  readonly listeners: Set<(job: JobView) => void>;
  readonly stats: EngineStats;
  /** Seconds of rendering per second of audio, as learned so far. */
  ratio: number;
  /** The learned spread of render times around the ETA (log-normal sigma): how wide the dense poll window is. */
  spread: number;
  started: boolean;
  /** After stop() the store may be closed: every part checks this before touching it. */
  stopped: boolean;
  /** The place in line each waiting job was last told. */
  readonly lastPosition: Map<string, number>;
  /** Failed status polls in a row, per job (for the backoff). */
  readonly pollFailures: Map<string, number>;
  /** Submits in flight: Cancel aborts one, stop() all (after a grace period). */
  readonly submitting: Map<string, AbortController>;
  /** Aborts every in-flight status poll on stop(). */
  readonly pollAbort: AbortController;
  /** Work stop() waits for (bounded). */
  readonly inFlight: Set<Promise<unknown>>;
  track<T>(p: Promise<T>): Promise<T>;
  jobLog(job: { id: string; platform: string }): Logger;
  /** Tells the update listeners (metrics, tests) about a job's new state. */
  emit(job: JobRecord): void;
  countApiError(code: string): void;
  schedule(jobId: string, at: number, kind?: TaskKind): void;
  unschedule(jobId: string): void;
}

export function createJobContext(config: JobEngineConfig, deps: JobEngineDeps): JobContext {
  const now = deps.now ?? Date.now;
  const log = deps.logger;
  const scheduler = deps.scheduler ?? createLocalScheduler(now);
  const listeners = new Set<(job: JobView) => void>();
  const inFlight = new Set<Promise<unknown>>();
  const stats: EngineStats = { statusPolls: 0, submits: 0, deliveries: 0, deliveryFailures: 0, webhookWakes: 0, apiErrors: {} };
  const pollAbort = new AbortController();
  // Every in-flight poll listens on this one signal (combined per request): hundreds is normal.
  setMaxListeners(0, pollAbort.signal);
  return {
    config,
    store: deps.store,
    api: deps.api,
    media: deps.media,
    intake: deps.intake ?? { run: (fn) => fn() },
    voices:
      deps.voices ?? createVoiceShelf({ ttlMs: 600_000, defaultVoiceId: undefined }, { api: deps.api, store: deps.store, logger: log }),
    scheduler,
    now,
    random: deps.random ?? Math.random,
    log,
    pollPolicy: { plan: config.poll, webhookFallbackMs: config.publicUrl === undefined ? undefined : config.webhookFallbackMs },
    deliveryLeaseMs: Math.max(2 * config.sweepMs, 15_000),
    replies: new Map(),
    listeners,
    stats,
    ratio: config.renderRatio,
    spread: config.poll.spread,
    started: false,
    stopped: false,
    lastPosition: new Map(),
    pollFailures: new Map(),
    submitting: new Map(),
    pollAbort,
    inFlight,
    track(p) {
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p)).catch(() => undefined);
      return p;
    },
    jobLog: (job) => log.child({ jobId: job.id, platform: job.platform }),
    emit(job) {
      const view = toView(job);
      for (const l of listeners) {
        try {
          l(view);
        } catch (err) {
          log.error({ err }, 'job listener threw');
        }
      }
    },
    countApiError(code) {
      stats.apiErrors[code] = (stats.apiErrors[code] ?? 0) + 1;
    },
    schedule: (jobId, at, kind = 'check') => scheduler.schedule(jobId, at, kind),
    unschedule: (jobId) => scheduler.cancel(jobId),
  };
}
