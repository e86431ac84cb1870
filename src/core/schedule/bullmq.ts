/**
 * The poll scheduler on BullMQ: every "look at job X at time T" is a delayed BullMQ job in
 * Redis, so any worker replica may run it, schedules survive every process, and a task held by
 * a worker that died (SIGKILL, OOM, a lost machine) is handed to another one once its lock
 * expires (BullMQ's stalled-job check). The engine reads the job's state when a task runs, so a
 * task that runs twice or after a cancel does no harm.
 *
 * Two queues: `submit` tasks (they call the avatar service's submit endpoint) pass BullMQ's
 * global rate limiter; `check` tasks (polls, webhook wake-ups, delivery retries) do not.
 */
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { JobScheduler, TaskKind, TaskRun } from './port.js';

export interface BullSchedulerConfig {
  /** redis:// URL; BullMQ opens its own connections (workers need blocking ones). */
  url: string;
  /** Key prefix shared by every replica of one deployment. */
  prefix: string;
  /** false: only enqueue (ROLE=gateway); true: also run tasks (ROLE=worker or all). */
  process: boolean;
  concurrency: number;
  /** A task whose worker stopped renewing its lock this long ago is handed to another worker. */
  lockMs: number;
  /** Submits per second across all workers; 0: unlimited. */
  apiRatePerSecond: number;
}

interface TaskData {
  jobId: string;
}

const QUEUES: Record<TaskKind, string> = { submit: 'avatar-submit', check: 'avatar-check' };

/** Connection options BullMQ wants for blocking worker connections (never give up on a command). */
function connectionOf(url: string): ConnectionOptions {
  return { url, maxRetriesPerRequest: null, enableOfflineQueue: true };
}

export function createBullScheduler(config: BullSchedulerConfig, deps: { logger: Logger }): JobScheduler {
  const log = deps.logger;
  const connection = connectionOf(config.url);
  const queues: Record<TaskKind, Queue<TaskData>> = {
    submit: new Queue<TaskData>(QUEUES.submit, { connection, prefix: config.prefix }),
    check: new Queue<TaskData>(QUEUES.check, { connection, prefix: config.prefix }),
  };
  for (const q of Object.values(queues)) q.on('error', (err) => log.warn({ err: err.message }, 'task queue connection error'));
  const workers: Worker<TaskData>[] = [];
  let stopped = false;

  return {
    durable: true,
    schedule(jobId, at, kind = 'check') {
      if (stopped) return;
      const delay = Math.max(0, Math.round(at - Date.now()));
      // One task per (job, time): the same schedule asked twice (two replicas dispatching the same
      // waiting job) is one BullMQ job. BullMQ ids may not contain ':'.
      const id = `${kind}_${jobId}_${Math.round(at)}`;
      queues[kind]
        .add(
          'task',
          { jobId },
          {
            jobId: id,
            delay,
            // A task that throws (a Redis blip, a bug) is retried with backoff; the engine itself
            // schedules its own retries for API and delivery failures.
            attempts: 5,
            backoff: { type: 'exponential', delay: 1000 },
            removeOnComplete: true,
            removeOnFail: { count: 1000 },
          },
        )
        .catch((err: unknown) => log.error({ jobId, err: err instanceof Error ? err.message : String(err) }, 'could not schedule a task'));
    },
    cancel() {
      // Best effort by design: a cancelled job's leftover task finds it final and does nothing.
    },
    async start(run) {
      if (!config.process) return;
      const processor = async (job: Job<TaskData>): Promise<void> => {
        // The BullMQ job id survives a hand-over to another worker: the engine uses it to
        // recognise "this very task claimed the slot before its process died".
        const task: TaskRun = { jobId: job.data.jobId, owner: job.id ?? job.data.jobId };
        await run(task);
        // A task cut short by stop() (its poll aborted, its submit left "maybe sent") must not
        // count as done: failing it makes BullMQ hand it to another worker after a backoff.
        if (stopped) throw new Error('worker stopping: task handed on');
      };
      const common = {
        connection,
        prefix: config.prefix,
        lockDuration: config.lockMs,
        stalledInterval: Math.max(500, Math.round(config.lockMs / 2)),
        maxStalledCount: 1,
      };
      workers.push(new Worker<TaskData>(QUEUES.check, processor, { ...common, concurrency: config.concurrency }));
      workers.push(
        new Worker<TaskData>(QUEUES.submit, processor, {
          ...common,
          concurrency: config.concurrency,
          ...(config.apiRatePerSecond > 0 ? { limiter: { max: Math.max(1, Math.round(config.apiRatePerSecond)), duration: 1000 } } : {}),
        }),
      );
      for (const w of workers) {
        w.on('error', (err) => log.warn({ err: err.message }, 'task worker error'));
        w.on('failed', (job, err) => log.warn({ jobId: job?.data.jobId, err: err.message }, 'task failed'));
      }
      await Promise.all(workers.map((w) => w.waitUntilReady()));
    },
    async stop(graceMs) {
      if (stopped) return;
      stopped = true;
      let cap: NodeJS.Timeout | undefined;
      // Running tasks get `graceMs` to finish; after that the lock lapses and another worker takes them.
      const graceful = Promise.allSettled(workers.map((w) => w.close()));
      const timedOut = await Promise.race([
        graceful.then(() => false),
        new Promise<boolean>((resolve) => {
          cap = setTimeout(() => resolve(true), graceMs);
        }),
      ]);
      clearTimeout(cap);
      if (timedOut) await Promise.allSettled(workers.map((w) => w.close(true)));
      await Promise.allSettled(Object.values(queues).map((q) => q.close()));
    },
  };
}
