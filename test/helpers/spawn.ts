/** Runs a TypeScript entry point in a child Node process (through tsx's loader, no wrapper process, so signals reach it). */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = pathToFileURL(resolve(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

export function spawnTs(
  entry: string,
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string } = {},
): ChildProcessWithoutNullStreams {
  // A clean environment: nothing from the developer's shell (or .env: cwd is a temp dir) leaks in.
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...opts.env };
  return spawn(process.execPath, ['--import', TSX, resolve(ROOT, entry), ...args], { env, cwd: opts.cwd ?? ROOT });
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runTs(
  entry: string,
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawnTs(entry, args, opts);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not finish within ${opts.timeoutMs ?? 60_000} ms\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Resolves with the first stdout line matching `pattern`. */
export function waitForLine(child: ChildProcessWithoutNullStreams, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let buf = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stderr: ${err.slice(-2000)}`)),
      timeoutMs,
    );
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => pattern.test(l));
      if (line !== undefined) {
        clearTimeout(timer);
        resolvePromise(line);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code}) before printing ${pattern}; stderr: ${err.slice(-2000)}`));
    });
  });
}
