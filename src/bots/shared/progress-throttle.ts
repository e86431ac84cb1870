/**
 * One progress throttle for every chat adapter: at most one progress edit per job per gap.
 * An update inside the gap is kept (only the newest: it replaces an older one still waiting)
 * and sent when the gap has passed, so the message never stays behind on stale words. A final
 * answer is never delayed: it drops the waiting update, waits for an edit already on the wire
 * (so that edit cannot land after it), and from then on progress for that job is ignored.
 *
 * The core already makes one job's ChatReply calls one at a time; the only sends outside its
 * order are the delayed ones started here, which is why this keeps its own per-job chain.
 */
import type { Logger } from 'pino';

export interface ProgressThrottleOptions {
  /** Minimum gap between two progress sends of one job. */
  gapMs: number;
  now?: () => number;
  /** How many finished job ids are remembered (oldest forgotten first). */
  finishedLimit?: number;
}

type Send = () => Promise<string | void>;

export interface ProgressThrottle {
  /**
   * A progress update. Sent at once (its answer returned, so the core stores the new reply
   * state) when the gap has passed or `immediate`; otherwise kept as the newest and sent later.
   */
  progress(jobId: string, send: Send, immediate?: boolean): Promise<string | void>;
  /** A final answer: runs `send` at once, after a progress send in flight; later progress is dropped. */
  final<T>(jobId: string, send: () => Promise<T>): Promise<T>;
  /** True once a final answer was started for the job in this process. */
  finished(jobId: string): boolean;
  /** Drops every waiting update (on shutdown). */
  dispose(): void;
}

interface JobSlot {
  lastAt: number | undefined;
  timer: NodeJS.Timeout | undefined;
  /** The send on the wire, if any: the next send starts after it. */
  inFlight: Promise<unknown>;
}

export function createProgressThrottle(options: ProgressThrottleOptions, deps: { logger: Logger }): ProgressThrottle {
  const now = options.now ?? Date.now;
  const limit = options.finishedLimit ?? 10_000;
  const slots = new Map<string, JobSlot>();
  // A Set iterates in insertion order, so the oldest id is the first one.
  const done = new Set<string>();

  function slot(jobId: string): JobSlot {
    let s = slots.get(jobId);
    if (s === undefined) {
      s = { lastAt: undefined, timer: undefined, inFlight: Promise.resolve() };
      slots.set(jobId, s);
    }
    return s;
  }

  function cancelWaiting(s: JobSlot): void {
    if (s.timer !== undefined) clearTimeout(s.timer);
    s.timer = undefined;
  }

  /** Runs `task` after the send in flight; the slot's chain never rejects. */
  function chain<T>(s: JobSlot, task: () => Promise<T>): Promise<T> {
    const run = s.inFlight.then(task);
    s.inFlight = run.catch(() => undefined);
    return run;
  }

  function markDone(jobId: string): void {
    done.add(jobId);
    if (done.size > limit) {
      const oldest = done.values().next().value;
      if (oldest !== undefined) done.delete(oldest);
    }
  }

  return {
    progress(jobId, send, immediate = false) {
      if (done.has(jobId)) return Promise.resolve();
      const s = slot(jobId);
      cancelWaiting(s);
      const wait = immediate || s.lastAt === undefined ? 0 : s.lastAt + options.gapMs - now();
      if (wait <= 0) {
        s.lastAt = now();
        return chain(s, () => (done.has(jobId) ? Promise.resolve() : send()));
      }
      s.timer = setTimeout(() => {
        s.timer = undefined;
        if (done.has(jobId)) return;
        s.lastAt = now();
        chain(s, () => (done.has(jobId) ? Promise.resolve() : send())).catch((err: unknown) =>
          deps.logger.warn({ jobId, err: err instanceof Error ? err.message : String(err) }, 'delayed progress edit failed'),
        );
      }, wait);
      s.timer.unref();
      return Promise.resolve();
    },

    final(jobId, send) {
      markDone(jobId);
      const s = slots.get(jobId);
      slots.delete(jobId);
      if (s === undefined) return send();
      cancelWaiting(s);
      return s.inFlight.then(send);
    },

    finished: (jobId) => done.has(jobId),

    dispose() {
      for (const s of slots.values()) cancelWaiting(s);
    },
  };
}
