/**
 * The interfaces the core owns. Adapters (src/bots/*) implement `ChatReply` and build
 * `AvatarRequest`s; the core never imports a platform.
 */
import type { ErrorCode, ErrorFacts, MediaKind } from './errors.js';
import type { CaptionFiles, ConsentDesk, HandedVideo, HandoverNote, JobCaptions, Transcript } from './handover-ports.js';
import type { SpeakInput, SpokenAudio, Voice, VoiceShelf } from './voice-ports.js';

export type { SpeakInput, SpokenAudio, Voice, VoiceShelf };
export type { CaptionFiles, ConsentDesk, HandedVideo, HandoverNote, JobCaptions, Transcript };

/** A platform name as adapters register it: 'discord', 'slack', 'playground', 'cli'. */
export type Platform = string;

export type JobState = 'queued' | 'submitted' | 'completed' | 'failed' | 'timed_out' | 'canceled';

const FINAL_STATES: readonly JobState[] = ['completed', 'failed', 'timed_out', 'canceled'];

export function isFinal(state: JobState): boolean {
  return FINAL_STATES.includes(state);
}

/** The service's own task states (from the OpenAPI description). */
export type TaskStatus = 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'CANCELED' | 'TIMED_OUT';

/**
 * A media file as an adapter hands it over: bytes are fetched by the core (at once, while
 * platform URLs are still valid), then sniffed and prepared. `load` must enforce its own size
 * cap and host allow-list; `maxBytes` is the core's limit for this kind, given so a loader can
 * stop reading early.
 */
export interface MediaInput {
  /** The file name as the person gave it (only for messages; never trusted for the type). */
  name?: string;
  /** The declared content type (never trusted: the bytes decide). */
  declaredType?: string;
  /** The declared size in bytes, when the platform says it: lets the core refuse before download. */
  declaredSize?: number;
  load(maxBytes: number): Promise<Uint8Array>;
}

/** What an adapter asks the core for. */
export interface AvatarRequest {
  platform: Platform;
  /** Platform user id of the person asking. */
  requesterId: string;
  /** Guild / workspace id (limits and quotas are per group); '' for none (DMs, CLI). */
  groupId: string;
  /** Opaque, serialisable "where to answer", owned by the adapter (e.g. `discord:g:c:m`). */
  replyTo: string;
  /** Opaque adapter state stored with the job from the start (e.g. an interaction token). */
  replyState?: string;
  /** The face. Omitted: the caller must have resolved a saved face already. */
  image: MediaInput;
  /** What the face says. */
  speech: SpeechSource;
  /** The person's language when the platform tells it (e.g. Discord's `locale`, `en-US`). */
  locale?: string;
  /** True when the person confirmed just now that they may use this face (see ConsentDesk). */
  faceConsent?: boolean;
}

/**
 * Where a job's voice comes from. A tagged union so a new source (typed text + a voice, spoken
 * by the service's text-to-speech) is one more variant handled once in the core, and in each
 * adapter only where its listener builds the request.
 */
export type SpeechSource =
  | { kind: 'voice-file'; audio: MediaInput }
  /**
   * Typed text, spoken by the service's text-to-speech. `text` is already free of the
   * platform's markup (bots/shared/spoken-text.ts); the core trims it and checks its length.
   * `voiceId` omitted: the person's saved voice, else the configured default, else the first
   * premade voice in the person's language.
   */
  | { kind: 'typed-text'; text: string; voiceId?: string };

/** A voice note or any audio file as the speech. */
export function voiceFile(audio: MediaInput): SpeechSource {
  return { kind: 'voice-file', audio };
}

/** Typed text, spoken in a voice (or the person's own choice when `voiceId` is omitted). */
export function typedText(text: string, voiceId?: string): SpeechSource {
  return voiceId === undefined ? { kind: 'typed-text', text } : { kind: 'typed-text', text, voiceId };
}

/** A job as the core exposes it to adapters and the CLI. */
export interface JobView {
  id: string;
  platform: Platform;
  requesterId: string;
  groupId: string;
  replyTo: string;
  replyState: string | null;
  state: JobState;
  taskId: string | null;
  /** The service's last status word, e.g. IN_PROGRESS. */
  taskStatus: TaskStatus | null;
  fileUrl: string | null;
  outputDuration: number | null;
  audioSeconds: number;
  errorCode: ErrorCode | null;
  errorMessage: string | null;
  /** The facts behind the error (a limit, a deadline in seconds) for the words people read. */
  errorFacts: ErrorFacts | null;
  createdAt: number;
  updatedAt: number;
  submittedAt: number | null;
  finishedAt: number | null;
  /** When the core expects the video (ms epoch), from audio length and measured render speed. */
  etaAt: number | null;
  /** When the service said it started rendering (IN_PROGRESS); null while it is waiting in its queue. */
  renderStartedAt: number | null;
  /** The typed text the video speaks (tidied), when the speech was typed; null for a voice note. */
  spokenText: string | null;
  /** When the requester deleted the result (its files and links are gone; the row stays for the quotas). */
  discardedAt: number | null;
  /** The video's captions once known (speech-to-text or the typed text, timed); null before, or when there are none. */
  captions: JobCaptions | null;
  delivered: boolean;
  /** True when the avatar service is the local preview server (a rough offline render, not the service's model). */
  preview: boolean;
}

/**
 * What a progress message shows. `queued`: waiting in the bot's own line; `waiting`: sent, and
 * waiting in the avatar service's queue (IN_QUEUE: no rendering clock yet); `rendering`: the
 * service is making the video (IN_PROGRESS), with its clock and ETA from when that started.
 */
export interface ProgressUpdate {
  state: 'queued' | 'waiting' | 'rendering';
  /** 1-based place in the queue when limits make the person wait. */
  queuePosition?: number;
  /** Milliseconds since the job was created. */
  elapsedMs: number;
  /** Rendering only: milliseconds since the service started rendering. */
  renderingMs?: number;
  /** Rendering only: milliseconds until the expected end, when known (may be negative when overdue). */
  etaMs?: number;
}

export interface ResultUpdate {
  fileUrl: string;
  outputDuration: number | null;
  preview: boolean;
  /** The video to upload (tagged AI-generated), when the hand-over could fetch it; else the link only. */
  video?: HandedVideo;
  /** The caption files and transcript, when the video has captions (CAPTIONS is not `off`). */
  captions?: CaptionFiles;
  /** Why a part is missing (no captions, burn failed, link only), for one plain line each. */
  notes?: readonly HandoverNote[];
}

export interface ErrorUpdate {
  code: ErrorCode;
  /** Detail for logs and for adapters that want it; adapters show friendly words by `code`. */
  message: string;
  /** For INVALID_MEDIA: which file and why. */
  mediaKind?: MediaKind;
  reason?: string;
  /** The numbers the words need (e.g. JOB_TIMEOUT's `seconds`), as AvatarError carries them. */
  facts?: ErrorFacts;
}

/**
 * The port an adapter implements so the core can answer. Every method may be called again for
 * the same job after a restart (at-least-once), so implementations should make a repeat
 * harmless (edit the progress message rather than posting a new one). A method that resolves
 * returns optional new `replyState` to persist (e.g. the id of the progress message it posted).
 */
export interface ChatReply {
  progress(job: JobView, update: ProgressUpdate): Promise<string | void>;
  result(job: JobView, result: ResultUpdate): Promise<string | void>;
  error(job: JobView, error: ErrorUpdate): Promise<string | void>;
  /**
   * Optional: true when the platform already shows this job's final answer. Asked only before
   * re-sending a final answer whose earlier attempt never recorded its end (its process died),
   * so a crash between "platform accepted" and "store updated" does not answer twice.
   */
  answered?(job: JobView): Promise<boolean>;
}

/** The service's answers, as the client returns them. */
export interface SubmitAnswer {
  taskId: string;
  status: TaskStatus;
  /** The raw JSON body the service sent (the CLI prints it). */
  raw: unknown;
}

/**
 * A checked status answer (src/core/status-answer.ts): a COMPLETED one always carries an absolute
 * http(s) file URL and a duration that is a finite number >= 0 or null; the others carry neither.
 */
export type StatusAnswer = { taskId: string; error: string | null; raw: unknown } & (
  | { status: 'COMPLETED'; fileUrl: string; outputDuration: number | null }
  | { status: Exclude<TaskStatus, 'COMPLETED'>; fileUrl: null; outputDuration: null }
);

export interface SubmitInput {
  /** Raw bytes: the client base64-encodes them while streaming the body (no data: prefix). */
  image: Uint8Array;
  audio: Uint8Array;
  webhook?: { url: string; authToken?: string };
}

/** The avatar service as the core uses it (src/core/avatar-api.ts implements it over HTTP). */
export interface AvatarApi {
  submit(input: SubmitInput, signal?: AbortSignal): Promise<SubmitAnswer>;
  status(taskId: string, signal?: AbortSignal): Promise<StatusAnswer>;
  /** `POST /v1/speech/tts`: synchronous; throws AvatarError with the same codes as a submit. */
  speak(input: SpeakInput, signal?: AbortSignal): Promise<SpokenAudio>;
  /** The premade voices followed by the account's own ready ones (`/v1/voice/premade_profiles`, `/v1/voice/profiles`). */
  voices(signal?: AbortSignal): Promise<Voice[]>;
  /** `POST /v1/speech/stt`: what was said, with timed segments. Throws AvatarError (API_NOT_FOUND when the service has none). */
  transcribe(audio: Uint8Array, signal?: AbortSignal): Promise<Transcript>;
}

/** A prepared media pair, ready for the service. */
export interface PreparedMedia {
  image: Uint8Array;
  imageType: string;
  audio: Uint8Array;
  audioType: string;
  audioSeconds: number;
}

/** Sniffed kind of a file, by its bytes. */
export interface SniffResult {
  kind: 'image' | 'audio' | 'video' | 'other';
  mime: string | null;
  ext: string | null;
}

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
