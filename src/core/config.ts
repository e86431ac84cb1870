/**
 * What the core needs from configuration, owned by the core: the app maps its own config into
 * this shape (src/config/index.ts, coreConfigOf), so nothing in src/core imports src/config.
 */
import type { ConsentMode } from './handover-ports.js';
import type { FfmpegLimits } from './media/ffmpeg-limits.js';
import type { MediaConfig } from './media/media-config.js';

/** all: one process does everything; gateway: platforms in, jobs enqueued; worker: jobs run and answered. */
export const ROLES = ['all', 'gateway', 'worker'] as const;
type Role = (typeof ROLES)[number];

/** FACE_CONSENT's values (see ConsentDesk). */
export const CONSENT_MODES = ['off', 'once', 'every'] as const satisfies readonly ConsentMode[];
/** CAPTIONS: none; caption files beside the video; files and the captions drawn into the video. */
export const CAPTIONS_MODES = ['off', 'file', 'burn'] as const;
/** LABEL_VIDEO: no visible mark; a small "AI" mark in a corner (drawn when captions are burned). */
export const LABEL_MODES = ['off', 'corner'] as const;

/** What goes out with a finished video (jobs/handover.ts). */
export interface HandoverConfig {
  captions: (typeof CAPTIONS_MODES)[number];
  labelVideo: (typeof LABEL_MODES)[number];
  /** A service video larger than this is not fetched: people get the link only. */
  videoMaxBytes: number;
  /** A burn running longer than this is stopped: the tagged original goes out, with a note. */
  burnTimeoutMs: number;
}

export interface CoreConfig {
  role: Role;
  /** SQLite's folder when `redis` is undefined. */
  dataDir: string;
  /** Set: jobs, schedules, limits, dedupe and installs live in Redis (BullMQ); unset: SQLite in `dataDir`. */
  redis:
    | {
        url: string;
        /** BullMQ worker concurrency (submits, polls and deliveries at once per process). */
        concurrency: number;
        /** A task held this long by a dead worker is handed to another (BullMQ stalled-job lock). */
        lockMs: number;
        /** Submits per second to the avatar service across all workers; 0: no limit. */
        apiRatePerSecond: number;
      }
    | undefined;
  avatar: {
    /** undefined: the local preview server, started by the app (its URL comes in CoreDeps). */
    apiUrl: string | undefined;
    apiKey: string | undefined;
    timeoutMs: number;
    requestTimeoutMs: number;
    pollMaxIntervalMs: number;
    pollFirstMs: number;
    /** Default seconds of rendering per second of audio, before any job was measured. */
    renderRatio: number;
    /** With `publicUrl` (webhooks): the safety-net poll interval. */
    webhookFallbackMs: number;
  };
  /** Which ffmpeg (undefined: a 5.1+ on PATH, else the bundled one) and the caps of each run. */
  ffmpeg: { path: string | undefined; limits: FfmpegLimits };
  media: Omit<MediaConfig, 'ffmpegTimeoutMs' | 'ffmpegLimits'> & {
    /** How long a failed job's media is kept for Retry. */
    retentionMs: number;
    /** Requests downloaded and prepared at once: more than the cores only starves the event loop. */
    concurrency: number;
  };
  limits: {
    perPerson: number;
    perGroup: number;
    inFlight: number;
    queueMax: number;
    quotaPerPersonDaily: number;
    quotaPerGroupDaily: number;
  };
  /**
   * Finished, delivered jobs older than this are deleted with their files (never one created
   * since the start of the current UTC day: today's quota counts stay exact).
   */
  jobRetentionMs: number;
  /** Typed text spoken by the service's text-to-speech. */
  speech: {
    /** Longest text accepted, in characters (after markup is removed). */
    textMaxChars: number;
    /** The voice used when a person named none and saved none; undefined: the first premade voice in their language. */
    defaultVoiceId: string | undefined;
    /** How long the voice list is trusted before it is fetched again (in the background). */
    voiceListTtlMs: number;
  };
  /** FACE_CONSENT: whether people confirm they may use a face before a video is made of it. */
  faceConsent: ConsentMode;
  /** Captions, the handed-over video and its label. */
  handover: HandoverConfig;
  /** Base URL the avatar service can reach for webhooks; undefined: poll only. */
  publicUrl: string | undefined;
}
