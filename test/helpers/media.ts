/** Small real media files for tests, made with sharp and ffmpeg (cached per process). */
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import sharp from 'sharp';

const run = promisify(execFile);
const cache = new Map<string, Promise<Buffer>>();

function once(key: string, make: () => Promise<Buffer>): Promise<Buffer> {
  let p = cache.get(key);
  if (p === undefined) {
    p = make();
    cache.set(key, p);
  }
  return p;
}

/** A JPEG face stand-in: a coloured gradient-ish square. */
export function makeJpeg(width = 96, height = 96): Promise<Buffer> {
  return once(`jpeg:${width}x${height}`, () =>
    sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 80 } } })
      .jpeg()
      .toBuffer(),
  );
}

export function makePng(width = 64, height = 64): Promise<Buffer> {
  return once(`png:${width}x${height}`, () =>
    sharp({ create: { width, height, channels: 4, background: { r: 10, g: 200, b: 80, alpha: 0.5 } } })
      .png()
      .toBuffer(),
  );
}

/** Encodes a sine tone with ffmpeg into the given container. */
export function makeTone(seconds: number, format: 'wav' | 'ogg' | 'mp3' = 'wav'): Promise<Buffer> {
  return once(`tone:${seconds}:${format}`, async () => {
    const codec = format === 'ogg' ? ['-c:a', 'libopus', '-b:a', '24k'] : format === 'mp3' ? ['-c:a', 'libmp3lame'] : ['-c:a', 'pcm_s16le'];
    const { stdout } = await run(
      ffmpeg.path,
      [
        '-nostdin',
        '-hide_banner',
        '-loglevel',
        'error',
        '-f',
        'lavfi',
        '-i',
        `sine=frequency=330:duration=${seconds}`,
        '-ac',
        '1',
        '-ar',
        '16000',
        ...codec,
        '-f',
        format,
        'pipe:1',
      ],
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
    );
    return stdout;
  });
}

/**
 * A small real MP4 (H.264 test pattern + AAC tone), as the avatar service would send one. Written
 * through a temporary file because the MP4 muxer needs to seek; made with the ffmpeg under test.
 */
export function makeVideo(seconds = 2, width = 320, height = 240, fps = 25): Promise<Buffer> {
  return once(`mp4:${seconds}:${width}x${height}@${fps}`, async () => {
    const { mkdtemp, readFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { testFfmpeg } = await import('./ffmpeg.js');
    const dir = await mkdtemp(join(tmpdir(), 'test-video-'));
    try {
      const out = join(dir, 'v.mp4');
      await run(testFfmpeg.path, [
        '-nostdin',
        '-hide_banner',
        '-loglevel',
        'error',
        '-f',
        'lavfi',
        '-i',
        `testsrc2=size=${width}x${height}:rate=${fps}:duration=${seconds}`,
        '-f',
        'lavfi',
        '-i',
        `sine=frequency=330:duration=${seconds}`,
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'aac',
        '-shortest',
        out,
      ]);
      return await readFile(out);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
