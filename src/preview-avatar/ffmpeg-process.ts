import { spawn } from 'node:child_process';

export interface FfmpegRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The tail of stderr (ffmpeg writes its report there). */
  stderr: string;
  timedOut: boolean;
}

const STDERR_KEEP = 64 * 1024;

/**
 * Runs ffmpeg with `-nostdin -hide_banner` (the 2018 static build otherwise waits on stdin
 * and floods stderr) and kills it when `timeoutMs` passes or `signal` aborts: a hung render
 * must never outlive the server. Never rejects for a failed run; only for a spawn failure.
 */
export function runFfmpeg(ffmpegPath: string, args: string[], options: { timeoutMs: number; signal?: AbortSignal }): Promise<FfmpegRun> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted === true) {
      reject(new Error('ffmpeg run aborted before start'));
      return;
    }
    const child = spawn(ffmpegPath, ['-nostdin', '-hide_banner', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.length > STDERR_KEEP * 2) stderr = stderr.slice(-STDERR_KEEP);
    });
    const kill = (): void => {
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    timer.unref();
    options.signal?.addEventListener('abort', kill, { once: true });
    child.on('error', (err) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', kill);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', kill);
      resolve({ code, signal, stderr: stderr.slice(-STDERR_KEEP), timedOut });
    });
  });
}
