/**
 * Runs talking renders in a child process (never on the bot's event loop), one at a time by
 * default. The child stays up between renders, so the model loads once, and goes away after
 * IDLE_MS without work (its ~300 MB are not kept for nothing). From TypeScript sources (tests,
 * `npm run cli`) the child runs through tsx's loader; from the build, plain node runs the
 * compiled file.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createLimiter } from '../../core/limiter.js';
import type { ChildAnswer, ChildRequest } from './talking-child.js';
import type { TalkingRequest } from './talking-render.js';

const IDLE_MS = 30_000;
const here = fileURLToPath(import.meta.url);
const fromSources = here.endsWith('.ts');

function childCommand(): { path: string; execArgv: string[] } {
  const path = join(dirname(here), fromSources ? 'talking-child.ts' : 'talking-child.js');
  if (!fromSources) return { path, execArgv: [] };
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  return { path, execArgv: ['--import', pathToFileURL(join(tsxDir, 'dist', 'loader.mjs')).href] };
}

/** One render at a time: each takes both cores (frames in JS, x264 on the other). */
const limiter = createLimiter(1);
let child: ChildProcess | null = null;
let idleTimer: NodeJS.Timeout | null = null;
let nextId = 1;

function failed(detail: string): ChildAnswer {
  return { kind: 'failed', reason: 'encode', detail, maxRssBytes: 0 };
}

/** The running child, or a new one; it holds the process open only while it works. */
function ensureChild(): ChildProcess {
  if (child !== null && child.exitCode === null && child.signalCode === null && child.connected) return child;
  const { path, execArgv } = childCommand();
  const started = fork(path, [], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  started.stderr?.resume();
  started.on('error', () => undefined);
  started.on('exit', () => {
    if (child === started) child = null;
  });
  child = started;
  return started;
}

function setBusy(proc: ChildProcess, busy: boolean): void {
  if (idleTimer !== null) clearTimeout(idleTimer);
  idleTimer = null;
  // The stderr pipe is a handle too: left ref'd, an idle child would keep the process alive.
  const stderr = proc.stderr as Socket | null;
  if (busy) {
    proc.ref();
    proc.channel?.ref();
    stderr?.ref();
    return;
  }
  proc.unref();
  proc.channel?.unref();
  stderr?.unref();
  idleTimer = setTimeout(() => {
    if (proc.connected) proc.disconnect();
  }, IDLE_MS);
  idleTimer.unref();
}

function runOne(req: TalkingRequest, signal: AbortSignal): Promise<ChildAnswer> {
  return new Promise<ChildAnswer>((resolve) => {
    if (signal.aborted) {
      resolve(failed('stopped before it started'));
      return;
    }
    const proc = ensureChild();
    const id = nextId++;
    let stderr = '';
    const onStderr = (chunk: Buffer): void => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    };
    const finish = (answer: ChildAnswer): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', kill);
      proc.off('message', onMessage);
      proc.off('exit', onExit);
      proc.stderr?.off('data', onStderr);
      if (proc.connected) setBusy(proc, false);
      resolve(answer);
    };
    const onMessage = (message: { id: number; answer: ChildAnswer }): void => {
      if (message.id === id) finish(message.answer);
    };
    const onExit = (code: number | null, sig: NodeJS.Signals | null): void => {
      finish(failed(`render process ended (${code ?? sig}): ${stderr.trim().split('\n').slice(-3).join(' ')}`));
    };
    // A stopping server or a render past its cap takes the child with it; the next render starts another.
    const kill = (): void => {
      proc.kill('SIGKILL');
    };
    // The whole render, face-finding included, gets the ffmpeg time cap plus a margin.
    const timer = setTimeout(kill, req.timeoutMs + 30_000);
    signal.addEventListener('abort', kill, { once: true });
    proc.on('message', onMessage);
    proc.on('exit', onExit);
    proc.stderr?.on('data', onStderr);
    setBusy(proc, true);
    proc.send({ id, request: req } satisfies ChildRequest);
  });
}

/** The child's answer; a crash, a kill or a missing package comes back as `failed`. */
export function renderInChild(req: TalkingRequest, signal: AbortSignal): Promise<ChildAnswer> {
  return limiter.run(() => runOne(req, signal));
}

/** The render child's pid while one runs (tests check that a stop really ends it). */
export function renderChildPid(): number | undefined {
  return child?.pid;
}
