/**
 * The talking preview, start to end (runs in the render child process): the face found once,
 * the voice decoded once, then every frame composed in JS and streamed as raw RGB24 into ONE
 * ffmpeg that encodes H.264 + AAC. Frames are made on demand, so memory holds two frames, not
 * the video.
 */
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { FfmpegError, runFfmpeg } from '../../core/media/ffmpeg.js';
import type { FfmpegLimits } from '../../core/media/ffmpeg-limits.js';
import { composeFrame } from './compose-frame.js';
import { faceGeometry } from './face-geometry.js';
import type { FindFace } from './face-landmarks.js';
import { planMotion } from './motion-plan.js';
import { FPS, mouthTrack, SAMPLE_RATE } from './voice-envelope.js';

export interface TalkingRequest {
  imagePath: string;
  audioPath: string;
  outPath: string;
  ffmpegPath: string;
  timeoutMs: number;
  limits: FfmpegLimits;
  /** The longest side of the video (default 512). */
  size?: number;
  seed?: number;
}

export type TalkingResult =
  | { kind: 'done'; frames: number; seconds: number; width: number; height: number }
  | { kind: 'no-face' }
  | { kind: 'failed'; reason: 'image' | 'setup' | 'audio' | 'timeout' | 'encode'; detail: string };

/** The image as RGB24 at `size` on its longest side, even dimensions (yuv420p needs them). */
async function loadImage(path: string, size: number): Promise<{ rgb: Buffer; width: number; height: number }> {
  const meta = await sharp(path, { limitInputPixels: 40_000_000 }).rotate().toBuffer({ resolveWithObject: true });
  const scale = size / Math.max(meta.info.width, meta.info.height);
  const width = Math.max(2, Math.round((meta.info.width * scale) / 2) * 2);
  const height = Math.max(2, Math.round((meta.info.height * scale) / 2) * 2);
  const rgb = await sharp(meta.data)
    .resize({ width, height, fit: 'fill' })
    .flatten({ background: '#ffffff' })
    .removeAlpha()
    .raw()
    .toBuffer();
  return { rgb, width, height };
}

function* frames(
  rgb: Buffer,
  width: number,
  height: number,
  plan: { geometry: ReturnType<typeof faceGeometry>; track: ReturnType<typeof mouthTrack>; poses: ReturnType<typeof planMotion> },
): Generator<Buffer> {
  for (let f = 0; f < plan.track.frames; f++) {
    // A fresh buffer per frame: the stream may still hold the previous one.
    const out = Buffer.allocUnsafe(width * height * 3);
    const pose = plan.poses[f] ?? { blink: 0, dx: 0, dy: 0 };
    composeFrame(rgb, width, height, plan.geometry, { open: plan.track.open[f] ?? 0, wide: plan.track.wide[f] ?? 0 }, pose, out);
    yield out;
  }
}

function encodeArgs(req: TalkingRequest, width: number, height: number, seconds: number): string[] {
  return [
    '-y',
    ...['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', String(FPS), '-i', 'pipe:0'],
    // The audio came from a client: local files only (no playlist fetching URLs).
    ...['-protocol_whitelist', 'file', '-i', req.audioPath],
    ...['-map', '0:v:0', '-map', '1:a:0'],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-threads', '2', '-pix_fmt', 'yuv420p', '-r', String(FPS)],
    ...['-c:a', 'aac', '-b:a', '128k', '-ac', '2', '-ar', '44100'],
    ...['-shortest', '-t', seconds.toFixed(3), '-movflags', '+faststart', req.outPath],
  ];
}

export async function renderTalking(req: TalkingRequest, findFace: () => Promise<FindFace>): Promise<TalkingResult> {
  const size = req.size ?? 512;
  let image: { rgb: Buffer; width: number; height: number };
  try {
    image = await loadImage(req.imagePath, size);
  } catch (err) {
    return { kind: 'failed', reason: 'image', detail: (err as Error).message };
  }
  let find: FindFace;
  try {
    find = await findFace();
  } catch (err) {
    // The model packages are missing or broken: the still preview still works.
    return { kind: 'failed', reason: 'setup', detail: (err as Error).message };
  }
  const face = await find(image.rgb, image.width, image.height);
  if (face === null) return { kind: 'no-face' };
  const run = { timeoutMs: req.timeoutMs, limits: req.limits, maxOutputBytes: 512 * 1024 * 1024 };
  let pcm: Buffer;
  try {
    const decoded = await runFfmpeg(
      req.ffmpegPath,
      [
        '-protocol_whitelist',
        'file',
        '-i',
        req.audioPath,
        '-map',
        '0:a:0',
        '-ac',
        '1',
        '-ar',
        String(SAMPLE_RATE),
        '-f',
        's16le',
        'pipe:1',
      ],
      run,
    );
    pcm = decoded.stdout;
  } catch (err) {
    if (!(err instanceof FfmpegError)) throw err;
    return { kind: 'failed', reason: err.failure === 'timeout' ? 'timeout' : 'audio', detail: err.stderrTail };
  }
  const track = mouthTrack(pcm);
  const plan = {
    geometry: faceGeometry(face, image.rgb, image.width, image.height),
    track,
    poses: planMotion(track.frames, Math.max(image.width, image.height), req.seed ?? 17),
  };
  try {
    await runFfmpeg(req.ffmpegPath, encodeArgs(req, image.width, image.height, track.seconds), {
      ...run,
      input: Readable.from(frames(image.rgb, image.width, image.height, plan), { objectMode: false }),
    });
  } catch (err) {
    if (!(err instanceof FfmpegError)) throw err;
    return { kind: 'failed', reason: err.failure === 'timeout' ? 'timeout' : 'encode', detail: err.stderrTail };
  }
  return { kind: 'done', frames: track.frames, seconds: track.seconds, width: image.width, height: image.height };
}
