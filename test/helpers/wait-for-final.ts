import type { JobEngine } from '../../src/core/jobs/engine.js';
import { isFinal, type JobView } from '../../src/core/ports.js';

/** Resolves with the job once it is final (rejects after `timeoutMs`, or when there is no such job). */
export function waitForFinal(engine: Pick<JobEngine, 'onUpdate' | 'get'>, jobId: string, timeoutMs: number): Promise<JobView> {
  return new Promise((resolve, reject) => {
    // Listen first, then read: a job finishing between the two is not missed.
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      off();
      fn();
    };
    const timer = setTimeout(() => settle(() => reject(new Error(`job ${jobId} not final within ${timeoutMs} ms`))), timeoutMs);
    const off = engine.onUpdate((j) => {
      if (j.id === jobId && isFinal(j.state)) settle(() => resolve(j));
    });
    engine.get(jobId).then(
      (first) => {
        if (first === null) settle(() => reject(new Error(`no job ${jobId}`)));
        else if (isFinal(first.state)) settle(() => resolve(first));
      },
      (err: unknown) => settle(() => reject(err instanceof Error ? err : new Error(String(err)))),
    );
  });
}
