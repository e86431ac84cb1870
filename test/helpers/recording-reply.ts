import type { ChatReply, ErrorUpdate, JobView, ProgressUpdate, ResultUpdate } from '../../src/core/ports.js';

export type Recorded =
  | { kind: 'progress'; jobId: string; update: ProgressUpdate }
  | { kind: 'result'; jobId: string; result: ResultUpdate }
  | { kind: 'error'; jobId: string; error: ErrorUpdate };

/** A ChatReply that records every call (the hubot-style fake adapter). */
export function recordingReply(): ChatReply & {
  calls: Recorded[];
  finals(jobId: string): Recorded[];
  waitForFinal(jobId: string, timeoutMs?: number): Promise<Recorded>;
} {
  const calls: Recorded[] = [];
  const waiters: Array<() => void> = [];
  const push = (r: Recorded): void => {
    calls.push(r);
    for (const w of waiters.splice(0)) w();
  };
  const finals = (jobId: string): Recorded[] => calls.filter((c) => c.jobId === jobId && c.kind !== 'progress');
  return {
    calls,
    finals,
    async progress(job: JobView, update: ProgressUpdate) {
      push({ kind: 'progress', jobId: job.id, update });
    },
    async result(job: JobView, result: ResultUpdate) {
      push({ kind: 'result', jobId: job.id, result });
    },
    async error(job: JobView, error: ErrorUpdate) {
      push({ kind: 'error', jobId: job.id, error });
    },
    waitForFinal(jobId, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no final answer for ${jobId} within ${timeoutMs} ms`)), timeoutMs);
        const check = (): void => {
          const f = finals(jobId)[0];
          if (f !== undefined) {
            clearTimeout(timer);
            resolve(f);
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}
