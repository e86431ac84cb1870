/**
 * The poll scheduler port: "look at job X again at time T". The engine decides what looking
 * means from the job's stored state (claim a slot and submit, poll, deliver), so a task can run
 * on any process and run twice without harm.
 *
 * Two implementations: `local.ts` (one timer heap in this process, the default) and
 * `bullmq.ts` (BullMQ delayed jobs shared by every worker; a task held by a worker that died is
 * handed to another).
 */

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
