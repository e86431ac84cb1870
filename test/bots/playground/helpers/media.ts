/** Small real media files for the playground tests: a JPEG face (sharp) and a WAV tone (ffmpeg). */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import sharp from 'sharp';

const run = promisify(execFile);

/** A simple drawn face, 256x256 JPEG. */
export async function makeFaceJpeg(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256">
    <rect width="256" height="256" fill="#cfe3ff"/>
    <circle cx="128" cy="128" r="92" fill="#f2c9a0"/>
    <circle cx="96" cy="108" r="11" fill="#333"/><circle cx="160" cy="108" r="11" fill="#333"/>
    <path d="M88 160 Q128 196 168 160" stroke="#a33" stroke-width="8" fill="none" stroke-linecap="round"/>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

/** A mono 16 kHz WAV tone of `seconds`. */
export async function makeToneWav(seconds: number): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'pg-media-'));
  const out = join(dir, 'tone.wav');
  try {
    await run(
      ffmpeg.path,
      [
        '-nostdin',
        '-hide_banner',
        '-loglevel',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        `sine=frequency=330:duration=${seconds}`,
        '-ac',
        '1',
        '-ar',
        '16000',
        '-c:a',
        'pcm_s16le',
        out,
      ],
      { timeout: 20_000 },
    );
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
