/** One decoded frame of an MP4 as RGB pixels, and how much a region of it differs from another frame's. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFfmpeg } from '../../../src/core/media/ffmpeg.js';
import { testFfmpeg } from '../../helpers/ffmpeg.js';

export interface Frame {
  width: number;
  height: number;
  /** rgb24, row after row. */
  rgb: Buffer;
}

/** The frame shown at `seconds` (an accurate seek: decoded up to that time). */
export async function frameAt(video: Uint8Array, seconds: number, width: number, height: number): Promise<Frame> {
  const dir = await mkdtemp(join(tmpdir(), 'test-frame-'));
  try {
    const file = join(dir, 'v.mp4');
    await writeFile(file, video);
    const args = [
      '-loglevel',
      'error',
      '-ss',
      String(seconds),
      '-i',
      file,
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ];
    const { stdout } = await runFfmpeg(testFfmpeg.path, args, { timeoutMs: 30_000 });
    if (stdout.length !== width * height * 3) throw new Error(`expected a ${width}x${height} frame, got ${stdout.length} bytes`);
    return { width, height, rgb: stdout };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A region as fractions of the frame: x0..x1 and y0..y1 in [0, 1]. */
export interface Region {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export const BOTTOM_BAND: Region = { x0: 0, x1: 1, y0: 0.72, y1: 1 };
export const TOP_RIGHT: Region = { x0: 0.85, x1: 1, y0: 0, y1: 0.15 };
export const MIDDLE: Region = { x0: 0.2, x1: 0.8, y0: 0.3, y1: 0.6 };

/**
 * The share of the region's pixels that changed a lot (some channel by more than `threshold`):
 * re-encoding moves pixels by a few levels, white letters with a black outline by far more.
 */
export function changedShare(a: Frame, b: Frame, r: Region, threshold = 64): number {
  let changed = 0;
  let count = 0;
  for (let y = Math.floor(r.y0 * a.height); y < Math.floor(r.y1 * a.height); y++) {
    for (let x = Math.floor(r.x0 * a.width); x < Math.floor(r.x1 * a.width); x++) {
      const i = (y * a.width + x) * 3;
      let most = 0;
      for (let c = 0; c < 3; c++) most = Math.max(most, Math.abs((a.rgb[i + c] ?? 0) - (b.rgb[i + c] ?? 0)));
      if (most > threshold) changed++;
      count++;
    }
  }
  return changed / count;
}
