/**
 * The core's ports about what is handed over with a finished video (captions, the video file
 * itself, tagged as AI-generated) and about a person's consent to use a face. Re-exported by
 * ports.ts.
 *
 * The hand-over is one step in the core, between "the service says COMPLETED" and the adapter's
 * `result()`: the video is fetched once, tagged (and captioned when CAPTIONS=burn) off the main
 * thread, and every adapter gets the same bytes and caption files. An adapter never fetches the
 * service's link itself.
 */
import type { Platform } from './ports.js';

/** One caption: seconds from the start of the video, and the words shown then. */
export interface Cue {
  start: number;
  end: number;
  text: string;
}

/** What the service's speech-to-text heard (`POST /v1/speech/stt`). */
export interface Transcript {
  text: string;
  /** Timed segments, in order; may be empty when the service gave none. */
  segments: Cue[];
}

/** A job's captions, kept with the job (a JSON column / hash field) until it is deleted. */
export interface JobCaptions {
  /** Where the timing came from: the service's speech-to-text, or the typed text split across the speech. */
  source: 'speech-to-text' | 'typed-text';
  cues: Cue[];
  /** All the words in one text: the transcript people read. */
  text: string;
}

/** The caption files made from a job's captions, as adapters attach them. */
export interface CaptionFiles {
  source: JobCaptions['source'];
  /** The whole transcript (adapters shorten it for a message with bots/shared words). */
  transcript: string;
  /** WebVTT (players, the playground's `<track>`). */
  vtt: string;
  /** SubRip (video editors). */
  srt: string;
}

/** The video as the bot hands it over: the service's MP4, tagged, captions burned when asked. */
export interface HandedVideo {
  bytes: Uint8Array;
  /** A file name for uploads, e.g. `talking-avatar-1a2b3c4d.mp4`. */
  name: string;
  mime: 'video/mp4';
  /** True when the captions are drawn into the picture (CAPTIONS=burn and the burn succeeded). */
  captionsBurned: boolean;
  /** True when a visible "AI" mark is drawn in a corner (LABEL_VIDEO=corner, burned). */
  cornerMark: boolean;
  /** True when a C2PA manifest is embedded (beside the MP4 metadata tags, which every handed video has). */
  c2pa: boolean;
}

/**
 * Why a result goes out without a part people expect. The shared words (bots/shared/words/
 * handover.ts) say each in one plain line; adapters never invent their own.
 */
export type HandoverNote =
  /** A voice note, and the service (e.g. the preview server) has no speech-to-text: no captions. */
  | 'CAPTIONS_NEED_SPEECH_TO_TEXT'
  /** Speech-to-text failed or heard nothing: no captions. */
  | 'CAPTIONS_FAILED'
  /** CAPTIONS=burn, and burning failed or ran too long: the video without burned captions. */
  | 'BURN_FAILED'
  /** The video could not be fetched or tagged in time: the link only. */
  | 'VIDEO_UNAVAILABLE'
  /** The video is larger than VIDEO_MAX_BYTES: the link only. */
  | 'VIDEO_TOO_BIG';

/** What the hand-over asks of ffmpeg (implemented on the media worker pool, off the main thread). */
export interface FinishVideoInput {
  video: Uint8Array;
  /** MP4 metadata tags (e.g. comment, encoder/software, creation_time, a "AI-generated" description). */
  tags: Readonly<Record<string, string>>;
  /** Set: draw these captions into the picture (and the corner mark when `cornerMark`). */
  burn?: { cues: readonly Cue[]; cornerMark: boolean };
  /** A burn running longer than this is stopped; the tagged original is returned instead. */
  burnTimeoutMs: number;
}

export interface FinishedVideo {
  bytes: Uint8Array;
  captionsBurned: boolean;
  cornerMark: boolean;
  c2pa: boolean;
  /** Set when a burn was asked and did not happen: why, for logs (the note says it to people). */
  burnFailed?: string;
}

/** Tags (and burns) a video. Throws AvatarError when even tagging fails (the hand-over then sends the link only). */
export interface VideoFinisher {
  finishVideo(input: FinishVideoInput): Promise<FinishedVideo>;
}

/** FACE_CONSENT: never asked; asked once per person and remembered; asked for every video. */
export type ConsentMode = 'off' | 'once' | 'every';

/**
 * A person's confirmation that they may use the face they send. Without it (when the mode asks),
 * `jobs.create` refuses with CONSENT_NEEDED before any file is fetched or anything is sent to
 * the service; the adapter asks (a button, a checkbox) and sends the request again with
 * `AvatarRequest.faceConsent` set, which also records the consent (mode `once`).
 */
export interface ConsentDesk {
  readonly mode: ConsentMode;
  /** True when a request from this person must carry `faceConsent` to go ahead. */
  needed(platform: Platform, userId: string): Promise<boolean>;
  /** Records the person's consent now (mode `once`: remembered until they are forgotten). */
  give(platform: Platform, userId: string): Promise<void>;
}
