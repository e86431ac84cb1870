import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { cpuSecondsFor, defaultFfmpegLimits, endedByLimit, type FfmpegLimits, limitedCommand } from './ffmpeg-limits.js';

/**
 * Why a run of ffmpeg failed. `limit`: the kernel ended it at its memory or CPU cap (a file
 * that needs more than a voice note should); `aborted`: the caller's signal fired.
 */
export type FfmpegFailure = 'timeout' | 'output_too_large' | 'exit' | 'spawn' | 'limit' | 'aborted';

/** A failed ffmpeg run. `stderrTail` holds ffmpeg's last lines (never user-facing: it names temp paths). */
export class FfmpegError extends Error {
  readonly failure: FfmpegFailure;
  readonly exitCode: number | null;
  readonly stderrTail: string;
  /** All of stderr that was kept (its last 256 KiB or more), for callers that read a failed run's report. */
  readonly stderr: string;
  /** The child's pid, so callers and tests can confirm it is gone. */
  readonly pid: number | undefined;

  constructor(
    failure: FfmpegFailure,
    message: string,
    opts: { exitCode: number | null; stderr: string; pid: number | undefined; cause?: unknown },
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'FfmpegError';
    this.failure = failure;
    this.exitCode = opts.exitCode;
    this.stderr = opts.stderr;
    this.stderrTail = lastLines(opts.stderr, 8);
    this.pid = opts.pid;
  }
}

export interface RunFfmpegOptions {
  /**
   * Fed to ffmpeg's stdin (use `pipe:0` as an input): bytes, or a stream that is piped in (and
   * destroyed when ffmpeg ends). Without it stdin is closed at once.
   */
  input?: Uint8Array | Readable;
  /** The process is killed (SIGKILL) after this many milliseconds. */
  timeoutMs: number;
  /** The process is killed once stdout grows past this many bytes. Default 64 MiB. */
  maxOutputBytes?: number;
  /** Memory and CPU caps the kernel enforces. Default `defaultFfmpegLimits`. */
  limits?: FfmpegLimits;
  /** Kills the process (SIGKILL) when aborted: a server that stops must not leave renders behind. */
  signal?: AbortSignal;
  /** Lowers ffmpeg's CPU priority by this much (nice(1)); default 0. For long background work. */
  niceness?: number;
}

/** stderr kept in memory: enough for every log line the media code parses, bounded for chatty runs. */
const MAX_STDERR_CHARS = 256 * 1024;
const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

/**
 * Runs ffmpeg with a time cap, an output-size cap and the kernel's memory and CPU caps; rejects
 * with an FfmpegError (stderr's last lines) on failure. Also used by the local avatar server to
 * render MP4s. `-hide_banner -nostdin` are added in front of `args` unless already there.
 * Resolves or rejects only after the process has exited.
 */
export function runFfmpeg(ffmpegPath: string, args: string[], opts: RunFfmpegOptions): Promise<{ stdout: Buffer; stderr: string }> {
  const maxOutput = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const limits = opts.limits ?? defaultFfmpegLimits;
  const prefix = ['-hide_banner', '-nostdin'].filter((flag) => !args.includes(flag));
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted === true) {
      reject(new FfmpegError('aborted', 'ffmpeg run aborted before it started', { exitCode: null, stderr: '', pid: undefined }));
      return;
    }
    const run = limitedCommand(ffmpegPath, [...prefix, ...args], limits, opts.timeoutMs, undefined, opts.niceness ?? 0);
    const child = spawn(run.command, run.args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    let failure: FfmpegFailure | null = null;
    let spawnError: unknown;

    const kill = (why: FfmpegFailure): void => {
      if (failure === null) failure = why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill('timeout'), opts.timeoutMs);
    const onAbort = (): void => kill('aborted');
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxOutput) {
        kill('output_too_large');
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      // Keep the tail: the last lines carry the error and the summary we parse.
      if (stderr.length > MAX_STDERR_CHARS * 2) stderr = stderr.slice(-MAX_STDERR_CHARS);
    });
    // ffmpeg may exit before reading all of stdin (bad input): EPIPE is expected, not a crash.
    child.stdin.on('error', () => undefined);
    child.on('error', (err) => {
      spawnError = err;
      if (failure === null) failure = 'spawn';
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      const tail = lastLines(stderr, 8);
      const base = { exitCode: code, stderr, pid: child.pid };
      const cap = failure === null ? endedByLimit(code, signal, stderr, limits) : null;
      if (failure === 'timeout') {
        reject(new FfmpegError('timeout', `ffmpeg was killed after ${opts.timeoutMs} ms: ${tail}`, base));
      } else if (failure === 'output_too_large') {
        reject(new FfmpegError('output_too_large', `ffmpeg output passed ${maxOutput} bytes: ${tail}`, base));
      } else if (failure === 'aborted') {
        reject(new FfmpegError('aborted', 'ffmpeg was stopped: its caller gave up', base));
      } else if (failure === 'spawn') {
        reject(new FfmpegError('spawn', `ffmpeg could not start: ${String(spawnError)}`, { ...base, cause: spawnError }));
      } else if (cap === 'memory') {
        reject(
          new FfmpegError('limit', `ffmpeg failed (${code ?? signal}) under its ${limits.memoryBytes}-byte memory cap: ${tail}`, base),
        );
      } else if (cap === 'cpu') {
        const seconds = cpuSecondsFor(limits, opts.timeoutMs);
        reject(new FfmpegError('limit', `ffmpeg was ended by ${signal} (CPU cap ${seconds} s, or the kernel): ${tail}`, base));
      } else if (code !== 0) {
        reject(new FfmpegError('exit', `ffmpeg exited with ${code ?? signal}: ${tail}`, base));
      } else {
        resolve({ stdout: Buffer.concat(chunks), stderr });
      }
    });

    const input = opts.input;
    if (input instanceof Uint8Array) child.stdin.end(input);
    else if (input) {
      input.on('error', () => kill('exit'));
      child.on('close', () => input.unpipe(child.stdin));
      input.pipe(child.stdin);
    } else child.stdin.end();
  });
}
