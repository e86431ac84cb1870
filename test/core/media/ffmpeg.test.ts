import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FfmpegError, runFfmpeg } from '../../../src/core/media/index.js';
import { testFfmpeg } from '../../helpers/ffmpeg.js';

const ffmpeg = testFfmpeg;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function failureOf(p: Promise<unknown>): Promise<FfmpegError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof FfmpegError) return err;
    throw err;
  }
  throw new Error('expected runFfmpeg to reject');
}

describe('runFfmpeg', () => {
  it('kills a hung ffmpeg at the time cap and rejects only once it is gone', async () => {
    // ffmpeg waits on a stdin pipe that never sends data nor closes: only the cap ends it.
    const never = new PassThrough();
    const err = await failureOf(
      runFfmpeg(ffmpeg.path, ['-f', 's16le', '-ar', '8000', '-ac', '1', '-i', 'pipe:0', '-f', 'null', '-'], {
        timeoutMs: 500,
        input: never,
      }),
    );
    never.destroy();
    expect(err.failure).toBe('timeout');
    expect(err.pid).toBeTypeOf('number');
    expect(isAlive(err.pid ?? -1)).toBe(false);
  });

  it('kills ffmpeg when its output passes the cap', async () => {
    // 10 s of 8 kHz s16 mono is 160 000 bytes; the cap is 10 000.
    const err = await failureOf(
      runFfmpeg(ffmpeg.path, ['-f', 'lavfi', '-i', 'sine=duration=10:sample_rate=8000', '-f', 's16le', 'pipe:1'], {
        timeoutMs: 20_000,
        maxOutputBytes: 10_000,
      }),
    );
    expect(err.failure).toBe('output_too_large');
  });

  it("rejects a failing run with stderr's last lines", async () => {
    const err = await failureOf(runFfmpeg(ffmpeg.path, ['-i', '/nonexistent/input.wav', '-f', 'null', '-'], { timeoutMs: 20_000 }));
    expect(err.failure).toBe('exit');
    expect(err.exitCode).not.toBe(0);
    expect(err.stderrTail).toContain('No such file');
    expect(err.message).toContain('No such file');
  });

  it('feeds input through stdin and returns stdout', async () => {
    const raw = execFileSync(ffmpeg.path, [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'sine=duration=1:sample_rate=8000',
      '-f',
      's16le',
      'pipe:1',
    ]);
    expect(raw.length).toBe(16_000);
    // Re-encode 8 kHz to 4 kHz through the pipes: half the bytes come back.
    const { stdout, stderr } = await runFfmpeg(
      ffmpeg.path,
      ['-loglevel', 'error', '-f', 's16le', '-ar', '8000', '-ac', '1', '-i', 'pipe:0', '-ar', '4000', '-f', 's16le', 'pipe:1'],
      { input: raw, timeoutMs: 20_000 },
    );
    expect(Math.abs(stdout.length - 8_000)).toBeLessThanOrEqual(64);
    expect(stderr).toBe('');
  });

  it('stops ffmpeg when the caller aborts, and says so', async () => {
    const never = new PassThrough();
    const abort = new AbortController();
    const run = runFfmpeg(ffmpeg.path, ['-f', 's16le', '-ar', '8000', '-ac', '1', '-i', 'pipe:0', '-f', 'null', '-'], {
      timeoutMs: 60_000,
      input: never,
      signal: abort.signal,
    });
    abort.abort();
    const err = await failureOf(run);
    never.destroy();
    expect(err.failure).toBe('aborted');
    expect(isAlive(err.pid ?? -1)).toBe(false);
  });
});

describe('runFfmpeg under memory and CPU caps', () => {
  // Each decodes a sine: light work that any cap a host needs leaves room for.
  const sine = ['-f', 'lavfi', '-i', 'sine=duration=1:sample_rate=8000', '-f', 'null', '-'];

  it('runs normally under the default caps', async () => {
    const { stderr } = await runFfmpeg(ffmpeg.path, ['-loglevel', 'error', ...sine], { timeoutMs: 20_000 });
    expect(stderr).toBe('');
  });

  it('a memory cap too small for ffmpeg ends the run as a limit, not a crash of ours', async () => {
    const err = await failureOf(
      runFfmpeg(ffmpeg.path, sine, { timeoutMs: 20_000, limits: { memoryBytes: 16 * 1024 * 1024, cpuSeconds: 0 } }),
    );
    expect(err.failure).toBe('limit');
    expect(isAlive(err.pid ?? -1)).toBe(false);
  });

  it('a CPU cap ends a run that keeps the processor busy, long before its wall-clock cap', async () => {
    // Ten minutes of 720p H.264: many CPU seconds of work, stopped after one.
    const busy = ['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25:duration=600', '-c:v', 'libx264', '-f', 'null', '-'];
    const err = await failureOf(runFfmpeg(ffmpeg.path, busy, { timeoutMs: 120_000, limits: { memoryBytes: 0, cpuSeconds: 1 } }));
    expect(err.failure).toBe('limit');
    expect(err.message).toMatch(/CPU cap 1 s/);
    expect(isAlive(err.pid ?? -1)).toBe(false);
  });
});
