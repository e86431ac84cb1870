/**
 * Runs a talking render in a child process (never on the bot's event loop), one at a time by
 * default. From TypeScript sources (tests, `npm run cli`) the child runs through tsx's loader;
 * from the build, plain node runs the compiled file.
 */
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createLimiter } from '../../core/limiter.js';
import type { ChildAnswer } from './talking-child.js';
import type { TalkingRequest } from './talking-render.js';

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

/** The child's answer; a crash, a kill or a missing package comes back as `failed`. */
export function renderInChild(req: TalkingRequest, signal: AbortSignal): Promise<ChildAnswer> {
  return limiter.run(
    () =>
      new Promise<ChildAnswer>((resolve) => {
        const failed = (detail: string): ChildAnswer => ({ kind: 'failed', reason: 'encode', detail, maxRssBytes: 0 });
        if (signal.aborted) {
          resolve(failed('stopped before it started'));
          return;
        }
        const { path, execArgv } = childCommand();
        const child = fork(path, [], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
        let answer: ChildAnswer | null = null;
        let stderr = '';
        child.stderr?.setEncoding('utf8');
        child.stderr?.on('data', (chunk: string) => {
          stderr = (stderr + chunk).slice(-4000);
        });
        // The whole render, face-finding included, gets the ffmpeg time cap plus a margin.
        const timer = setTimeout(() => child.kill('SIGKILL'), req.timeoutMs + 30_000);
        const onAbort = (): void => {
          child.kill('SIGKILL');
        };
        signal.addEventListener('abort', onAbort, { once: true });
        child.on('message', (message: ChildAnswer) => {
          answer = message;
        });
        child.on('error', (err) => {
          stderr += String(err.message);
        });
        child.on('close', (code, sig) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          resolve(answer ?? failed(`render process ended (${code ?? sig}): ${stderr.trim().split('\n').slice(-3).join(' ')}`));
        });
        child.send(req);
      }),
  );
}
