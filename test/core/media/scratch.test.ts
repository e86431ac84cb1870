/**
 * Temporary media files never outlive their pool: a pool stopped in the middle of a job removes
 * its folder (the worker thread is ended before it can clean up), and a new pool removes the
 * folders of processes that are gone, but not those of running ones or its own.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AvatarError } from '../../../src/core/errors.js';
import { createPooledPreparer } from '../../../src/core/media/pool.js';
import { createScratchDir, sweepStaleScratch } from '../../../src/core/media/scratch.js';
import { testFfmpeg as ffmpeg } from '../../helpers/ffmpeg.js';
import { makeTone } from '../../helpers/media.js';

const bases: string[] = [];
function base(): string {
  const dir = mkdtempSync(join(tmpdir(), 'scratch-test-'));
  bases.push(dir);
  return dir;
}
afterEach(() => {
  for (const b of bases.splice(0)) rmSync(b, { recursive: true, force: true });
});

const folders = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('talking-avatar-media-'));

describe('media scratch folders', () => {
  it('a new pool removes the folders of processes that are gone, and keeps running ones and its own', async () => {
    const b = base();
    const gone = spawnSync('true').pid ?? 0;
    const running = spawn('sleep', ['30']);
    try {
      const startedAt = Math.round(Date.now() - process.uptime() * 1000);
      const names = {
        gone: `talking-avatar-media-${gone}-${startedAt}-aaaa0001`,
        running: `talking-avatar-media-${running.pid}-${startedAt}-aaaa0002`,
        // This pid, but started an hour earlier: a container that restarted its one process.
        restarted: `talking-avatar-media-${process.pid}-${startedAt - 3_600_000}-aaaa0003`,
        unrelated: 'something-else-1234',
      };
      for (const n of Object.values(names)) mkdirSync(join(b, n, 'media-audio-x'), { recursive: true });
      const ours = createScratchDir(b);
      expect(sweepStaleScratch(b)).toBe(2);
      expect(existsSync(join(b, names.gone))).toBe(false);
      expect(existsSync(join(b, names.restarted))).toBe(false);
      expect(existsSync(join(b, names.running))).toBe(true);
      expect(existsSync(join(b, names.unrelated))).toBe(true);
      expect(existsSync(ours)).toBe(true);
    } finally {
      running.kill();
    }
  });

  it('a pool stopped in the middle of a job leaves no temporary file behind', async () => {
    const b = base();
    const pool = createPooledPreparer({ maxAudioSeconds: 120 }, { ffmpegPath: ffmpeg.path, size: 1, scratchBase: b });
    const [own] = folders(b);
    if (own === undefined) throw new Error('the pool made no scratch folder');
    const job = pool.prepareAudio(await makeTone(60, 'ogg')).catch((e: unknown) => e);
    // Stop once the worker has written the voice note to disk.
    const until = Date.now() + 20_000;
    while (readdirSync(join(b, own)).length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(readdirSync(join(b, own)).length).toBeGreaterThan(0);
    await pool.stop();
    expect(await job).toBeInstanceOf(AvatarError);
    expect(folders(b)).toEqual([]);
  });
});
