/**
 * What the core needs from durable storage, as narrow ports: each consumer names only the ones
 * it uses. One object per backend implements them all (`JobStore`, for wiring): SQLite
 * (`sqlite/store.ts`, one process, the default) and Redis (`redis/store.ts`, shared by
 * replicas). Both pass the one contract suite in `test/core/store/store-contract.ts`.
 *
 * Everything is async because Redis is a network hop. Whatever must stay exact across replicas
 * (daily quotas, the queue length, the concurrency caps, de-duplication, "a final state is
 * final") is one atomic operation here, never a read followed by a write in the engine.
 */
import type { JobState, JobView, PreparedMedia, SealedInstallations } from '../ports.js';
import type { InsertOutcome, InsertRules } from './insert-rules.js';

export type { InsertOutcome, InsertRules };

/** A job with the fields only the core sees. */
export interface JobRecord extends JobView {
  webhookToken: string | null;
  /** Set when a submit slot was claimed: from then on the job may have reached the service. */
  submitStartedAt: number | null;
  nextPollAt: number | null;
  pollCount: number;
  deadlineAt: number | null;
  deliveredAt: number | null;
  /**
   * When the last attempt to send the final answer began. Set and the job not delivered: an
   * attempt may have reached the platform before its process died (see ChatReply.answered).
   */
  deliveryStartedAt: number | null;
  retryOf: string | null;
}

export type JobPatch = Partial<Omit<JobRecord, 'id' | 'createdAt'>>;

/** The concurrency caps a submit slot is claimed against. */
export interface SlotCaps {
  inFlight: number;
  perPerson: number;
  perGroup: number;
}

/**
 * ok: the slot is this caller's, go and submit. mine: `owner` claimed it earlier (a task re-run
 * after its process died mid-submit: the job may have been accepted). wait: a person or group
 * cap is reached. full: the global cap is reached. gone: not queued or claimed by someone else.
 */
export type ClaimOutcome = 'ok' | 'mine' | 'wait' | 'full' | 'gone';

interface ActiveCounts {
  total: number;
  /** Keyed `platform:requesterId`. */
  byRequester: Map<string, number>;
  /** Keyed `platform:groupId`. */
  byGroup: Map<string, number>;
}

/** The jobs themselves: the record, its lines (waiting, unfinished) and its counts. */
export interface JobRecords {
  /**
   * Atomically checks `rules` (see insert-rules.ts), then stores the job and its media. Saving
   * the person's face is a separate call (SavedFaces.saveFace), made by the engine.
   */
  insertJob(job: JobRecord, media: PreparedMedia, rules: InsertRules): Promise<InsertOutcome>;
  getJob(id: string): Promise<JobRecord | null>;
  /**
   * Applies a patch; with `expectState`, only when the job is still in that state (a guard
   * against two paths, e.g. a webhook and a poll, finishing the same job). Moving a job to a
   * final state frees its submit slot. Returns the new record, or null when the guard failed.
   */
  updateJob(id: string, patch: JobPatch, expectState?: JobState): Promise<JobRecord | null>;
  /** Jobs that need work after a restart: queued, submitted, or final but not delivered. */
  unfinishedJobs(): Promise<JobRecord[]>;
  /** Queued jobs with no slot claimed yet, oldest first (the waiting line). */
  waitingJobs(limit: number): Promise<JobRecord[]>;
  listForRequester(platform: string, requesterId: string, limit: number): Promise<JobRecord[]>;
  countActive(): Promise<ActiveCounts>;
  /** Jobs created since `since` by a person (and by their group, when groupId is not ''). */
  countCreatedSince(since: number, platform: string, requesterId: string, groupId: string): Promise<{ person: number; group: number }>;
  /** For /metrics and the queue-full check: queued jobs with no slot claimed. */
  countWaiting(): Promise<number>;
}

/** Submit slots, claimed against the concurrency caps. */
export interface SubmitClaims {
  /** Atomically: the job is queued with no slot, the caps allow one more, so mark it claimed. */
  claimSubmit(id: string, caps: SlotCaps, now: number, owner: string): Promise<ClaimOutcome>;
}

/** A job's prepared media, kept while the job may still need it (a retry reuses it). */
export interface KeptMedia {
  getMedia(jobId: string): Promise<PreparedMedia | null>;
  /** Drops a job's media now (keepUntil undefined) or lets it expire at `keepUntil`. */
  releaseMedia(jobId: string, keepUntil?: number): Promise<void>;
  /** SQLite purges expired media here; Redis lets keys expire on their own. */
  purgeExpiredMedia(now: number): Promise<number>;
}

/** One saved face per person and platform. */
export interface SavedFaces {
  getFace(platform: string, userId: string): Promise<Uint8Array | null>;
  /** Overwrites the person's saved face (the engine calls it with the face of each new job). */
  saveFace(platform: string, userId: string, image: Uint8Array, now: number): Promise<void>;
  clearFace(platform: string, userId: string): Promise<boolean>;
}

/** One chosen voice (an id from the service's list) per person and platform. */
export interface SavedVoices {
  getVoice(platform: string, userId: string): Promise<string | null>;
  saveVoice(platform: string, userId: string, voiceId: string, now: number): Promise<void>;
  clearVoice(platform: string, userId: string): Promise<boolean>;
}

/**
 * Each person's confirmation that they may use the face they send (FACE_CONSENT), per platform.
 * Only when it was given is kept: the time, nothing about the face.
 */
export interface Consents {
  /** When the person last confirmed, or null when they never did (or were forgotten since). */
  getConsent(platform: string, userId: string): Promise<number | null>;
  saveConsent(platform: string, userId: string, now: number): Promise<void>;
}

/** What `forgetPerson` deleted: the saved face, voice and consent (if there were), the jobs, and the jobs' kept files. */
export interface ForgetCounts {
  face: boolean;
  voice: boolean;
  /** True when a recorded consent to use a face was deleted (the person is asked again). */
  consent: boolean;
  jobs: number;
  media: number;
}

/**
 * What is kept about people, and for how long. The store deletes; the engine decides when
 * (JOB_RETENTION_DAYS) and cancels a person's running jobs before forgetting them.
 */
export interface Retention {
  /**
   * Deletes final, delivered jobs created before `before`, with their media and every index
   * entry. A queued, submitted or undelivered job is never expired: it still has work to do.
   * Returns how many jobs were deleted.
   */
  expireJobsBefore(before: number): Promise<number>;
  /**
   * Deletes everything kept of one person on one platform: the saved face and every job,
   * whatever its state, with its media, the saved voice and the recorded consent. Anything later keyed by person
   * belongs here too. Cancel running jobs first: this does not tell the service or the platform.
   */
  forgetPerson(platform: string, requesterId: string): Promise<ForgetCounts>;
}

/** De-duplication keys (Slack event ids, Discord interaction ids). */
interface DedupeKeys {
  /** True the first time `key` is claimed until it expires. */
  claimKey(key: string, ttlMs: number, now: number): Promise<boolean>;
}

/** Small named values the core learns and keeps (e.g. the render speed). */
export interface Values {
  getValue(key: string): Promise<string | null>;
  setValue(key: string, value: string): Promise<void>;
}

/** The app's installations, sealed by the adapter that stores them. */
interface InstallationRecords {
  readonly installations: SealedInstallations;
}

/** For /readyz, /metrics and shutdown. */
interface StoreHealth {
  /** How many jobs are in each state, per platform. */
  countByStateAndPlatform(): Promise<Array<{ platform: string; state: JobState; n: number }>>;
  /** True while the store answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Every port: what one backend implements, and what the wiring passes around. */
export type JobStore = JobRecords &
  SubmitClaims &
  KeptMedia &
  SavedFaces &
  SavedVoices &
  Consents &
  Retention &
  DedupeKeys &
  Values &
  InstallationRecords &
  StoreHealth;
