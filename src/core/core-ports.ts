/**
 * What the core offers adapters: the desk of jobs, saved faces, dedupe, installations, quotas,
 * and the whole `AvatarCore`. Split from ports.ts (which re-exports it) to keep each file short.
 */
import type { AvatarRequest, ChatReply, ConsentDesk, JobView, MediaInput, Platform, SniffResult, VoiceShelf } from './ports.js';

/** A person's saved face, per platform and user, kept in the job store's database. */
interface FaceBook {
  get(platform: Platform, userId: string): Promise<Uint8Array | null>;
  /** Validates and normalises the image (same rules as a job's face), then saves it. Throws MediaError. */
  save(platform: Platform, userId: string, image: MediaInput): Promise<void>;
  /** Returns true when there was a face to clear. */
  clear(platform: Platform, userId: string): Promise<boolean>;
}

/** The jobs as adapters drive them. */
export interface JobDesk {
  /**
   * Loads and prepares both files (refusing bad ones with a MediaError before anything is
   * stored or sent), stores the job and queues it. The job's progress, result or error then
   * arrive through the platform's ChatReply. Throws AvatarError for refusals (INVALID_MEDIA,
   * DOWNLOAD_FAILED, QUEUE_FULL, QUOTA_EXCEEDED).
   */
  create(request: AvatarRequest): Promise<JobView>;
  get(id: string): Promise<JobView | null>;
  /** Only the requester may cancel; throws AvatarError('NOT_ALLOWED') otherwise. */
  cancel(id: string, requesterId: string): Promise<JobView>;
  /**
   * A new job from a failed one's kept media (requester only). `replyState` seeds the new job's
   * adapter state (e.g. the token of the button interaction that asked for the retry).
   */
  retry(id: string, requesterId: string, replyState?: string): Promise<JobView>;
  /** Newest first; results the person deleted are left out. */
  listForRequester(platform: Platform, requesterId: string, limit: number): Promise<JobView[]>;
  /**
   * "Delete" on a result (requester only, else NOT_ALLOWED): a running job is canceled first;
   * then the kept files are dropped and the link, the spoken text and the error detail cleared.
   * The row stays (without them) so the daily quotas still count it. The adapter deletes its
   * own messages and uploads before calling this (it reads their ids from the job's replyState).
   * Deleting twice is harmless.
   */
  discard(id: string, requesterId: string): Promise<JobView>;
  /**
   * "Forget me": cancels the person's running jobs (their answers say so), then deletes their
   * saved face and every job with its kept files. Says what it did.
   */
  forgetPerson(platform: Platform, requesterId: string): Promise<Forgotten>;
}

/** What "forget me" did: running jobs canceled first, then what was deleted. */
export interface Forgotten {
  canceled: number;
  face: boolean;
  jobs: number;
  media: number;
  /** True when a saved voice was cleared. */
  voice: boolean;
  /** True when a recorded consent to use a face was deleted (FACE_CONSENT asks again). */
  consent: boolean;
}

/** Remembers keys (Slack event ids, Discord interaction ids) so a redelivery starts nothing. */
interface Dedupe {
  /** True the first time a key is claimed within `ttlMs`; false for a repeat. */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

/** A person's standing against the daily quotas (null: that quota is off). */
export interface QuotaView {
  personLimit: number | null;
  personRemaining: number | null;
  groupLimit: number | null;
  groupRemaining: number | null;
  /** When the counts reset (ms epoch, next midnight UTC). */
  resetsAt: number;
}

/**
 * The app's installations (today: Slack workspaces), kept beside the jobs (SQLite or Redis) so
 * they outlive a process and are shared by replicas. The store keeps opaque strings and seals
 * nothing: the adapter seals each value (it holds tokens) before `put` and opens it after `get`.
 */
export interface SealedInstallations {
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
  delete(key: string): Promise<boolean>;
}

/** Everything an adapter gets from the core. */
export interface AvatarCore {
  jobs: JobDesk;
  faces: FaceBook;
  voices: VoiceShelf;
  /** Whether a person must confirm they may use a face before their next video (FACE_CONSENT). */
  consent: ConsentDesk;
  dedupe: Dedupe;
  secrets: SealedInstallations;
  /** Remaining daily quota for a person (and their server / workspace). */
  quota(platform: Platform, requesterId: string, groupId: string): Promise<QuotaView>;
  /**
   * Checks typed text as create() will (trimmed, counted in characters against the limit) and
   * returns it tidied; throws AvatarError INVALID_TEXT. For adapters that must refuse before
   * they post anything (e.g. before quoting the text in a channel).
   */
  checkText(text: string): string;
  /** Sniffs bytes (adapters use it to confirm that an `audio/*` attachment really is audio). */
  sniff(bytes: Uint8Array): Promise<SniffResult>;
  /** Registers the platform's answerer; jobs of that platform are answered through it. */
  registerReply(platform: Platform, reply: ChatReply): void;
  /** True when the avatar service is the local preview server (a rough offline render). */
  readonly preview: boolean;
  /** Size limits adapters may pass to downloads. */
  readonly limits: { imageBytes: number; audioBytes: number; audioSeconds: number; textChars: number };
}
