/**
 * What the core is configured with: the avatar service, media limits (defaults from the core's
 * own defaultMediaConfig, so they are written once) and the caps on people, groups and queue.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { CAPTIONS_MODES, CONSENT_MODES, type CoreConfig, LABEL_MODES } from '../core/config.js';
import { AUDIO_FORMATS, defaultMediaConfig as media } from '../core/media/media-config.js';
import { int, MB, num, optionalString, optionalUrl, type EnvOf } from './env-values.js';

export const coreEnv = {
  AVATAR_API_URL: optionalUrl,
  AVATAR_API_KEY: optionalString,
  AVATAR_TIMEOUT_SECONDS: int(2, 600, 600),
  AVATAR_REQUEST_TIMEOUT_SECONDS: num(1, 300, 60),
  AVATAR_POLL_MAX_INTERVAL_SECONDS: num(0.2, 60, 30),
  AVATAR_POLL_FIRST_SECONDS: num(0.05, 30, 1.5),
  AVATAR_RENDER_RATIO: num(0.01, 100, 1.5),
  AVATAR_WEBHOOK_FALLBACK_POLL_SECONDS: num(0.1, 600, 30),

  MAX_IMAGE_MB: num(0.01, 200, media.maxImageBytes / MB),
  MAX_AUDIO_MB: num(0.01, 200, media.maxAudioBytes / MB),
  MAX_AUDIO_SECONDS: num(1, 3600, media.maxAudioSeconds),
  MIN_AUDIO_SECONDS: num(0, 60, media.minAudioSeconds),
  MAX_IMAGE_PIXELS: int(1_000_000, 1_000_000_000, media.maxImagePixels),
  IMAGE_MAX_SIDE: int(64, 8192, media.imageMaxSide),
  MIN_IMAGE_SIDE: int(1, 8192, media.minImageSide),
  AUDIO_FORMAT: z.enum(AUDIO_FORMATS).default(media.audioFormat),
  MEDIA_RETENTION_HOURS: num(0, 24 * 30, 24),
  MEDIA_CONCURRENCY: int(1, 64, availableParallelism()),
  JOB_RETENTION_DAYS: int(1, 3650, 30),

  // Typed text: the service takes up to 10,000 characters; a chat message rarely needs 1,000.
  TEXT_MAX_CHARS: int(1, 10_000, 1000),
  DEFAULT_VOICE_ID: optionalString,
  VOICE_LIST_TTL_SECONDS: int(10, 86_400, 600),

  LIMIT_PER_PERSON: int(1, 1000, 2),
  LIMIT_PER_GROUP: int(1, 10000, 10),
  LIMIT_IN_FLIGHT: int(1, 10000, 20),
  QUEUE_MAX: int(1, 100000, 100),
  QUOTA_PER_PERSON_DAILY: int(0, 1_000_000, 0),
  QUOTA_PER_GROUP_DAILY: int(0, 1_000_000, 0),

  // Before a video is made of a face, the person confirms they may use it: once, every time, or never asked.
  FACE_CONSENT: z.enum(CONSENT_MODES).default('once'),

  // What goes out with a video: captions (files, or burned in), the video itself, its label.
  CAPTIONS: z.enum(CAPTIONS_MODES).default('file'),
  LABEL_VIDEO: z.enum(LABEL_MODES).default('corner'),
  VIDEO_MAX_MB: num(1, 2000, 100),
  BURN_TIMEOUT_SECONDS: int(5, 3600, 120),
};

/** Rules across the core's variables, once each one is valid alone. */
export function coreProblems(e: EnvOf<typeof coreEnv>): string[] {
  const problems: string[] = [];
  if (e.AVATAR_API_URL !== undefined && e.AVATAR_API_KEY === undefined) {
    // Requests would go out without an Authorization header, and the service's 401 reads as a bad key.
    problems.push(
      'AVATAR_API_KEY: required when AVATAR_API_URL is set (set AVATAR_API_KEY, or unset AVATAR_API_URL to use the local preview server)',
    );
  }
  if (e.MIN_IMAGE_SIDE > e.IMAGE_MAX_SIDE) {
    problems.push('MIN_IMAGE_SIDE: must not be larger than IMAGE_MAX_SIDE (no accepted image could keep its shortest side)');
  }
  return problems;
}

export function coreSection(
  e: EnvOf<typeof coreEnv>,
): Pick<CoreConfig, 'avatar' | 'media' | 'limits' | 'jobRetentionMs' | 'speech' | 'faceConsent' | 'handover'> {
  return {
    faceConsent: e.FACE_CONSENT,
    jobRetentionMs: e.JOB_RETENTION_DAYS * 86_400_000,
    handover: {
      captions: e.CAPTIONS,
      labelVideo: e.LABEL_VIDEO,
      videoMaxBytes: Math.round(e.VIDEO_MAX_MB * MB),
      burnTimeoutMs: e.BURN_TIMEOUT_SECONDS * 1000,
    },
    speech: {
      textMaxChars: e.TEXT_MAX_CHARS,
      defaultVoiceId: e.DEFAULT_VOICE_ID,
      voiceListTtlMs: e.VOICE_LIST_TTL_SECONDS * 1000,
    },
    avatar: {
      // No key: the local preview server (coreProblems refuses a URL without a key).
      apiUrl: e.AVATAR_API_URL ?? (e.AVATAR_API_KEY !== undefined ? 'https://mirako.co' : undefined),
      apiKey: e.AVATAR_API_KEY,
      timeoutMs: e.AVATAR_TIMEOUT_SECONDS * 1000,
      requestTimeoutMs: e.AVATAR_REQUEST_TIMEOUT_SECONDS * 1000,
      pollMaxIntervalMs: e.AVATAR_POLL_MAX_INTERVAL_SECONDS * 1000,
      pollFirstMs: e.AVATAR_POLL_FIRST_SECONDS * 1000,
      renderRatio: e.AVATAR_RENDER_RATIO,
      webhookFallbackMs: e.AVATAR_WEBHOOK_FALLBACK_POLL_SECONDS * 1000,
    },
    media: {
      maxImageBytes: Math.round(e.MAX_IMAGE_MB * MB),
      maxAudioBytes: Math.round(e.MAX_AUDIO_MB * MB),
      maxAudioSeconds: e.MAX_AUDIO_SECONDS,
      minAudioSeconds: e.MIN_AUDIO_SECONDS,
      maxImagePixels: e.MAX_IMAGE_PIXELS,
      imageMaxSide: e.IMAGE_MAX_SIDE,
      minImageSide: e.MIN_IMAGE_SIDE,
      audioFormat: e.AUDIO_FORMAT,
      retentionMs: e.MEDIA_RETENTION_HOURS * 3600_000,
      concurrency: e.MEDIA_CONCURRENCY,
    },
    limits: {
      perPerson: e.LIMIT_PER_PERSON,
      perGroup: e.LIMIT_PER_GROUP,
      inFlight: e.LIMIT_IN_FLIGHT,
      queueMax: e.QUEUE_MAX,
      quotaPerPersonDaily: e.QUOTA_PER_PERSON_DAILY,
      quotaPerGroupDaily: e.QUOTA_PER_GROUP_DAILY,
    },
  };
}
