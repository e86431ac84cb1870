/**
 * What the core hands an adapter with a finished video, for the adapters' tests: a tiny real
 * MP4 (ffmpeg, cached per process) and ResultUpdates carrying it, caption files and notes.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import type { CaptionFiles, HandedVideo, HandoverNote, ResultUpdate } from '../../src/core/ports.js';

const run = promisify(execFile);
let cached: Promise<Buffer> | undefined;

/** A 1-second 64x64 H.264 MP4 with a silent AAC track. */
export function makeMp4(): Promise<Buffer> {
  cached ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'handover-mp4-'));
    const out = join(dir, 'v.mp4');
    try {
      await run(
        ffmpeg.path,
        [
          ...['-nostdin', '-hide_banner', '-loglevel', 'error', '-y'],
          ...['-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=10:duration=1'],
          ...['-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '1'],
          ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-movflags', '+faststart', out],
        ],
        { timeout: 30_000 },
      );
      return await readFile(out);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return cached;
}

/** Caption files as the core writes them (two cues), with `transcript` as the whole text. */
export function captionFiles(transcript = 'Hello there. This is a test of captions.'): CaptionFiles {
  return {
    source: 'typed-text',
    transcript,
    vtt: 'WEBVTT\n\n00:00:00.000 --> 00:00:00.500\nHello there.\n\n00:00:00.500 --> 00:00:01.000\nThis is a test of captions.\n',
    srt: '1\n00:00:00,000 --> 00:00:00,500\nHello there.\n\n2\n00:00:00,500 --> 00:00:01,000\nThis is a test of captions.\n',
  };
}

/** The handed-over video for a job. */
async function handedVideo(jobId: string): Promise<HandedVideo> {
  return {
    bytes: new Uint8Array(await makeMp4()),
    name: `talking-avatar-${jobId}.mp4`,
    mime: 'video/mp4',
    captionsBurned: false,
    cornerMark: false,
    c2pa: false,
  };
}

/** A ResultUpdate as the core's hand-over makes it. */
export async function handedResult(
  jobId: string,
  o: { video?: boolean; captions?: CaptionFiles | null; notes?: HandoverNote[]; preview?: boolean; fileUrl?: string } = {},
): Promise<ResultUpdate> {
  return {
    fileUrl: o.fileUrl ?? `https://files.example/${jobId}.mp4`,
    outputDuration: 1,
    preview: o.preview ?? false,
    ...(o.video === false ? {} : { video: await handedVideo(jobId) }),
    ...(o.captions === null ? {} : { captions: o.captions ?? captionFiles() }),
    ...(o.notes === undefined ? {} : { notes: o.notes }),
  };
}
