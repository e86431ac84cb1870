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

export type { AvatarCore, Forgotten, JobDesk, QuotaView, SealedInstallations } from './core-ports.js';
