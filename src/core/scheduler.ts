/**
 * The poll scheduler port: "look at job X again at time T". The engine decides what looking
 * means from the job's stored state (claim a slot and submit, poll, deliver), so a task can run
 * on any process and run twice without harm.
 *
 * Two implementations: `createLocalScheduler` below (one timer heap in this process, the
 * default) and `redis/bullmq-scheduler.ts` (BullMQ delayed jobs shared by every worker; a task
 * held by a worker that died is handed to another).
 */
import { createTimerQueue } from './timer-queue.js';

export interface TaskRun {
  jobId: string;
  /**
   * Identifies this task across re-runs: a BullMQ job keeps its id when it is handed to another
   * worker after a crash, so a submit slot claimed under this owner is recognised as "maybe sent".
   */
  owner: string;
}

export type TaskKind = 'submit' | 'check';

export interface JobScheduler {
  /** True when schedules outlive the process (BullMQ): start-up then leaves resuming to them. */
  readonly durable: boolean;
  /**
   * Asks for a task for `jobId` at `at` (ms epoch); never throws (failures are logged inside).
   * `submit` marks a task that will claim a slot and call the service: those pass the avatar
   * API's rate limit where the implementation has one.
   */
  schedule(jobId: string, at: number, kind?: TaskKind): void;
  /** Best effort: a cancelled task that runs anyway finds the job final and does nothing. */
  cancel(jobId: string): void;
  start(run: (task: TaskRun) => Promise<void>): Promise<void>;
  /** Stops taking tasks; resolves once running ones finished or `graceMs` passed. */
  stop(graceMs: number): Promise<void>;
}

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
