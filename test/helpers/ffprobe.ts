/** ffprobe's JSON description of a file's bytes (format, tags, streams), for tests that read what ffmpeg wrote. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testFfmpeg } from './ffmpeg.js';

const run = promisify(execFile);

export interface Probed {
  format: { duration?: string; tags?: Record<string, string> };
  streams: Array<{
    codec_type: string;
    codec_name: string;
    nb_frames?: string;
    nb_read_frames?: string;
    duration?: string;
    width?: number;
    height?: number;
  }>;
}

/** ffprobe beside the ffmpeg under test, else the one on PATH (the bundled build has none). */
function ffprobePath(): string {
  const beside = testFfmpeg.path.replace(/ffmpeg$/, 'ffprobe');
  return existsSync(beside) ? beside : 'ffprobe';
}

/** Probes `bytes` (written to a temporary file: an MP4's index may be at its end). `countFrames` decodes every frame to count them. */
export async function probe(bytes: Uint8Array, opts: { countFrames?: boolean } = {}): Promise<Probed> {
  const dir = await mkdtemp(join(tmpdir(), 'test-probe-'));
  try {
    const file = join(dir, 'f.mp4');
    await writeFile(file, bytes);
    const count = opts.countFrames === true ? ['-count_frames'] : [];
    const { stdout } = await run(ffprobePath(), ['-v', 'error', ...count, '-show_format', '-show_streams', '-of', 'json', file]);
    return JSON.parse(stdout) as Probed;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
