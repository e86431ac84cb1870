/**
 * Media preparation for the core: sniff, validate and normalise the face image and the voice
 * note before anything is stored or sent. The job service calls `createMediaPreparer`.
 */
import type { Logger } from 'pino';
import type { FinishedVideo, FinishVideoInput, VideoFinisher } from '../handover-ports.js';
import type { PreparedMedia, SniffResult } from '../ports.js';
import { prepareAudio, type PreparedAudio } from './audio.js';
import { finishVideo } from './finish-video.js';
import { prepareImage, type PreparedImage } from './image.js';
import { defaultMediaConfig, type MediaConfig, type MediaTools } from './media-config.js';
import { sniffBytes } from './sniff.js';

export { defaultMediaConfig, type MediaConfig } from './media-config.js';
export { runFfmpeg, FfmpegError } from './ffmpeg.js';

/** What the job service uses to check and normalise a request's files, and to finish a video. */
export interface MediaPreparer extends VideoFinisher {
  /** Sniffs bytes (never names or declared types). */
  sniff(bytes: Uint8Array): Promise<SniffResult>;
  /** Throws MediaError('image', reason, facts). `name` is for logs only. */
  prepareImage(bytes: Uint8Array, name?: string): Promise<PreparedImage>;
  /** Throws MediaError('audio', reason, facts). `name` is for logs only. */
  prepareAudio(bytes: Uint8Array, name?: string): Promise<PreparedAudio>;
  /**
   * Both files checked at once; a bad face is reported first, even when the audio is bad too,
   * and stops the audio's ffmpeg run.
   */
  prepare(image: Uint8Array, audio: Uint8Array): Promise<PreparedMedia>;
}

/** Dependencies of the preparer: the ffmpeg binary (`resolveFfmpeg(...).path` in production). */
export interface MediaDeps extends MediaTools {
  logger?: Logger;
}

/** Builds a MediaPreparer; missing config fields take `defaultMediaConfig`. */
export function createMediaPreparer(config: Partial<MediaConfig>, deps: MediaDeps): MediaPreparer {
  const cfg: MediaConfig = { ...defaultMediaConfig, ...config };
  const log = deps.logger;
  const image = (bytes: Uint8Array, name?: string): Promise<PreparedImage> =>
    prepareImage(cfg, bytes, log?.child({ media: 'image', name }));
  const audio = (bytes: Uint8Array, name?: string, signal?: AbortSignal): Promise<PreparedAudio> =>
    prepareAudio(cfg, deps, bytes, log?.child({ media: 'audio', name }), signal);
  return {
    sniff: sniffBytes,
    prepareImage: image,
    prepareAudio: (bytes, name) => audio(bytes, name),
    async prepare(imageBytes, audioBytes) {
      // Together: sharp works in this process's threads, ffmpeg in its own process, so on two
      // cores the pair takes about as long as the voice note alone instead of the sum.
      const stop = new AbortController();
      const pendingAudio = audio(audioBytes, undefined, stop.signal);
      // Judged only after the image: its refusal, if any, is the one a person is told.
      pendingAudio.catch(() => undefined);
      let img: PreparedImage;
      try {
        img = await image(imageBytes);
      } catch (err) {
        stop.abort();
        // Settled before returning, so its temp folder is gone too.
        await pendingAudio.catch(() => undefined);
        throw err;
      }
      const aud = await pendingAudio;
      return { image: img.data, imageType: img.type, audio: aud.data, audioType: aud.type, audioSeconds: aud.seconds };
    },
    finishVideo: (input: FinishVideoInput): Promise<FinishedVideo> => finishVideo(cfg, deps, input, log?.child({ media: 'video' })),
  };
}
