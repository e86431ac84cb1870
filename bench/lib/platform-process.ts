/** Starts the fake platforms and figure 1's senders in a child process (platform-child.ts). */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BurstResult, PlatformInfo } from './platform-child.js';

// Shared with the child, which imports them from here (importing the child would start it).
export const SLACK_BOT_TOKEN = 'xoxb-bench-bot-token';
export const SLACK_SIGNING_SECRET = 'bench-signing-secret';

export interface PlatformProcess {
  info: PlatformInfo;
  discordBurst(n: number, run: number): Promise<BurstResult>;
  /** `endpoint`: the bot's /slack/events URL. */
  slackBurst(n: number, run: number, endpoint: string): Promise<BurstResult>;
  close(): Promise<void>;
}

export async function startPlatformProcess(): Promise<PlatformProcess> {
  const script = fileURLToPath(new URL('./platform-child.ts', import.meta.url));
  const child = fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, (data: unknown) => void>();
  let next = 0;
  const info = await new Promise<PlatformInfo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('platform child did not start within 60 s')), 60_000);
    child.once('error', reject);
    child.on('message', (raw: unknown) => {
      const m = raw as { ready?: boolean; info?: PlatformInfo; id?: number; data?: unknown };
      if (m.ready === true && m.info !== undefined) {
        clearTimeout(timer);
        resolve(m.info);
      } else if (typeof m.id === 'number') {
        waiting.get(m.id)?.(m.data);
        waiting.delete(m.id);
      }
    });
  });
  const ask = <T>(cmd: Record<string, unknown>): Promise<T> =>
    new Promise<T>((resolve) => {
      next += 1;
      waiting.set(next, (data) => resolve(data as T));
      child.send({ ...cmd, id: next });
    });
  return {
    info,
    discordBurst: (n, run) => ask<BurstResult>({ op: 'discordBurst', n, run }),
    slackBurst: (n, run, endpoint) => ask<BurstResult>({ op: 'slackBurst', n, run, endpoint }),
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await Promise.race([ask<boolean>({ op: 'close' }), new Promise((r) => setTimeout(r, 5000))]);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
