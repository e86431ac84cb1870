/** Starts the local avatar server in a child process (see mock-child.ts) and talks to it over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { PreviewAvatarStats, PreviewTaskView } from '../../src/preview-avatar/index.js';

export interface MockProcess {
  url: string;
  pid: number;
  tasks(): Promise<PreviewTaskView[]>;
  stats(): Promise<PreviewAvatarStats>;
  /** Finishes every pending task now (the server sends webhooks where asked). Returns how many. */
  completeAll(): Promise<number>;
  close(): Promise<void>;
}

export interface MockProcessOptions {
  /** Milliseconds from submit to COMPLETED for every task. */
  renderMs: number;
  queueMs?: number;
  maxBodyBytes?: number;
  /**
   * Instead of the fixed `renderMs`: each render takes audio seconds x a seeded log-normal draw
   * (random.ts), the seconds read from the audio's size at a constant bitrate (a CBR MP3).
   */
  model?: RenderTimeModel;
}

export interface RenderTimeModel {
  ratio: number;
  sigma: number;
  seed: number;
  bytesPerSecond: number;
}

export async function startMockProcess(options: MockProcessOptions): Promise<MockProcess> {
  const script = fileURLToPath(new URL('./mock-child.ts', import.meta.url));
  const child: ChildProcess = fork(script, [JSON.stringify({ queueMs: 200, ...options })], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (data: unknown) => void>();
  let next = 0;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('mock child did not start within 30 s')), 30_000);
    child.once('error', reject);
    child.on('message', (raw: unknown) => {
      const m = raw as { ready?: boolean; url?: string; id?: number; data?: unknown };
      if (m.ready === true && typeof m.url === 'string') {
        clearTimeout(timer);
        resolve(m.url);
      } else if (typeof m.id === 'number') {
        waiting.get(m.id)?.(m.data);
        waiting.delete(m.id);
      }
    });
  });
  const ask = <T>(op: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      next += 1;
      const id = next;
      const timer = setTimeout(() => reject(new Error(`mock child: no answer to ${op}`)), 30_000);
      waiting.set(id, (data) => {
        clearTimeout(timer);
        resolve(data as T);
      });
      child.send({ id, op });
    });
  return {
    url,
    pid: child.pid ?? -1,
    tasks: () => ask<PreviewTaskView[]>('tasks'),
    stats: () => ask<PreviewAvatarStats>('stats'),
    completeAll: () => ask<number>('completeAll'),
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await ask<boolean>('close').catch(() => child.kill('SIGKILL'));
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
