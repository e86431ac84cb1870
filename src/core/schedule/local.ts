import type { JobScheduler, TaskRun } from './port.js';
import { createTimerQueue } from './timer-heap.js';

/** One timer heap in this process: schedules live as long as the process (start-up resumes from the store). */
export function createLocalScheduler(now: () => number = Date.now): JobScheduler {
  let run: ((task: TaskRun) => Promise<void>) | undefined;
  let seq = 0;
  const running = new Set<Promise<void>>();
  const timers = createTimerQueue((jobId) => {
    if (run === undefined) return;
    const p = run({ jobId, owner: `local:${++seq}` }).catch(() => undefined);
    running.add(p);
    void p.finally(() => running.delete(p));
  }, now);
  return {
    durable: false,
    schedule: (jobId, at) => timers.schedule(jobId, at),
    cancel: (jobId) => timers.cancel(jobId),
    async start(fn) {
      run = fn;
    },
    async stop(graceMs) {
      timers.stop();
      let cap: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...running]),
        new Promise<void>((resolve) => {
          cap = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(cap);
    },
  };
}
