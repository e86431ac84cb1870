import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createPooledPreparer, MEDIA_NICENESS, type PooledPreparer } from '../../../src/core/media/pool.js';
import { testFfmpeg as ffmpeg } from '../../helpers/ffmpeg.js';
import { makeTone } from '../../helpers/media.js';

let pool: PooledPreparer | null = null;
const dirs: string[] = [];

afterEach(async () => {
  await pool?.stop();
  pool = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** An ffmpeg that first writes down the nice value it was started at (field 19 of /proc/self/stat), then is ffmpeg. */
function recordingFfmpeg(): { path: string; niceSeen: () => number[] } {
  const dir = mkdtempSync(join(tmpdir(), 'nice-ffmpeg-'));
  dirs.push(dir);
  const log = join(dir, 'nice.log');
  const path = join(dir, 'ffmpeg');
  writeFileSync(path, `#!/bin/sh\ncut -d' ' -f19 /proc/$$/stat >> '${log}'\nexec '${ffmpeg.path}' "$@"\n`);
  chmodSync(path, 0o755);
  return {
    path,
    niceSeen: () =>
      readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((line) => Number(line)),
  };
}

/** The worker's log lines, as the main logger writes them. */
function capturingLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

describe.runIf(process.platform === 'linux')('media workers run below the main thread', () => {
  it('a worker lowers its own thread, not the process, and its ffmpeg children start at its priority', async () => {
    const base = getPriority(0);
    const fake = recordingFfmpeg();
    const { logger, lines } = capturingLogger();
    pool = createPooledPreparer({}, { ffmpegPath: fake.path, size: 1, logger });
    const audio = await pool.prepareAudio(await makeTone(1));
    expect(audio.seconds).toBeGreaterThan(0.9);
    const expected = Math.min(19, base + MEDIA_NICENESS);
    // Measured inside the worker after the stub lowered it.
    expect(lines.find((l) => l.msg === 'media worker started')).toMatchObject({ niceness: expected });
    expect(fake.niceSeen().length).toBeGreaterThan(0);
    expect(fake.niceSeen().every((n) => n === expected)).toBe(true);
    // The main thread (acks, the store, delivery) keeps its priority.
    expect(getPriority(0)).toBe(base);
  });

  it('niceness 0 leaves the worker and its children at the main priority', async () => {
    const base = getPriority(0);
    const fake = recordingFfmpeg();
    pool = createPooledPreparer({}, { ffmpegPath: fake.path, size: 1, niceness: 0 });
    await pool.prepareAudio(await makeTone(1));
    expect(fake.niceSeen().every((n) => n === base)).toBe(true);
  });
});
