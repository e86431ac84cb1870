import { defaultFfmpegLimits, type FfmpegLimits } from './ffmpeg-limits.js';

/** The output formats of transcoding (AUDIO_FORMAT). */
export const AUDIO_FORMATS = ['wav', 'mp3'] as const;

/** What media work runs and where it writes: the ffmpeg binary and a folder for temporary files. */
export interface MediaTools {
  ffmpegPath: string;
  /** Temporary folders go inside it (a pool's own, see scratch.ts); default: the system's. */
  scratchDir?: string | undefined;
}

/** Limits and targets of media preparation. */
export interface MediaConfig {
  /** Largest image accepted, in bytes. */
  maxImageBytes: number;
  /** Largest audio file accepted, in bytes. */
  maxAudioBytes: number;
  /** Longest voice note accepted, in seconds. */
  maxAudioSeconds: number;
  /** Shortest voice note accepted, in seconds. */
  minAudioSeconds: number;
  /** Shortest side an input image must have, in pixels: a smaller one cannot hold a face the service can find. */
  minImageSide: number;
  /** Longest side of the output image (scaled down, never up). */
  imageMaxSide: number;
  /** sharp's limitInputPixels: images whose header claims more pixels are refused before decoding. */
  maxImagePixels: number;
  /** Target of transcoding: 'mp3' is 16 kHz mono at 32 kbit/s, 'wav' is 24 kHz mono pcm_s16le. */
  audioFormat: (typeof AUDIO_FORMATS)[number];
  /** A hung ffmpeg is killed after this many milliseconds. */
  ffmpegTimeoutMs: number;
  /** Memory and CPU caps of each ffmpeg run (FFMPEG_MAX_MEMORY_MB, FFMPEG_MAX_CPU_SECONDS). */
  ffmpegLimits: FfmpegLimits;
}

const MB = 1024 * 1024;

/** The defaults from the issue; the configuration's MAX_IMAGE_MB and the rest default to these. */
export const defaultMediaConfig: MediaConfig = Object.freeze({
  maxImageBytes: 20 * MB,
  maxAudioBytes: 25 * MB,
  maxAudioSeconds: 300,
  minAudioSeconds: 0.3,
  minImageSide: 64,
  imageMaxSide: 1024,
  maxImagePixels: 100_000_000,
  audioFormat: 'mp3',
  ffmpegTimeoutMs: 60_000,
  ffmpegLimits: defaultFfmpegLimits,
});

/** 24 kHz: clear speech for the video's sound track, small enough for base64 upload. */
export const WAV_SAMPLE_RATE = 24_000;

/**
 * 16 kHz mono at 32 kbit/s: what lip-sync models take in (they resample speech to 16 kHz), and
 * about a ninth of the bytes of 24 kHz WAV, which dominated the upload before.
 */
export const MP3_SAMPLE_RATE = 16_000;
export const MP3_BITRATE = 32_000;
