/**
 * Media preparation for the core: sniff, validate and normalise the face image and the voice
 * note before anything is stored or sent. The job service calls `createMediaPreparer`.
 */
import type { Logger } from 'pino';
import type { PreparedMedia, SniffResult } from '../ports.js';
import { prepareAudio, type PreparedAudio } from './audio.js';
import { prepareImage, type PreparedImage } from './image.js';
import { defaultMediaConfig, type MediaConfig } from './media-config.js';
import { sniffBytes } from './sniff.js';

export { defaultMediaConfig, type MediaConfig } from './media-config.js';
export { runFfmpeg, FfmpegError } from './ffmpeg.js';

/** What the job service uses to check and normalise a request's files. */
export interface MediaPreparer {
  /** Sniffs bytes (never names or declared types). */
  sniff(bytes: Uint8Array): Promise<SniffResult>;
  /** Throws MediaError('image', reason, facts). `name` is for logs only. */
  prepareImage(bytes: Uint8Array, name?: string): Promise<PreparedImage>;
  /** Throws MediaError('audio', reason, facts). `name` is for logs only. */
  prepareAudio(bytes: Uint8Array, name?: string): Promise<PreparedAudio>;
  /** Both files checked, the image first (it is cheap; a bad face spares the audio decode). */
  prepare(image: Uint8Array, audio: Uint8Array): Promise<PreparedMedia>;
}

/** Dependencies of the preparer: the ffmpeg binary (`resolveFfmpeg(...).path` in production). */
export interface MediaDeps {
  ffmpegPath: string;
  logger?: Logger;
}

/** Builds a MediaPreparer; missing config fields take `defaultMediaConfig`. */
export function createMediaPreparer(config: Partial<MediaConfig>, deps: MediaDeps): MediaPreparer {
  const cfg: MediaConfig = { ...defaultMediaConfig, ...config };
  const log = deps.logger;
  const image = (bytes: Uint8Array, name?: string): Promise<PreparedImage> =>
    prepareImage(cfg, bytes, log?.child({ media: 'image', name }));
  const audio = (bytes: Uint8Array, name?: string): Promise<PreparedAudio> =>
    prepareAudio(cfg, deps.ffmpegPath, bytes, log?.child({ media: 'audio', name }));
  return {
    sniff: sniffBytes,
    prepareImage: image,
    prepareAudio: audio,
    async prepare(imageBytes, audioBytes) {
      const img = await image(imageBytes);
      const aud = await audio(audioBytes);
      return { image: img.data, imageType: img.type, audio: aud.data, audioType: aud.type, audioSeconds: aud.seconds };
    },
  };
}
