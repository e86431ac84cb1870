/**
 * When to poll next. Polls are not a sleeping loop per job: one timer serves every job (see
 * timer-queue.ts), and each job's next time comes from its ETA: audio length times the
 * measured seconds of rendering per second of audio.
 */

export interface PollPlan {
  /** Delay before the first poll after submit. */
  firstMs: number;
  /** No wait between polls is ever longer than this. */
  maxIntervalMs: number;
  /** The shortest wait once the ETA has passed. */
  minIntervalMs: number;
  /** Share of the overdue time added to the wait, so a job far past its ETA is polled less often. */
  overdueGrowth: number;
  /** ± share of each delay drawn at random, so many jobs do not poll in lock-step. */
  jitter: number;
}

export const defaultPollPlan: PollPlan = {
  firstMs: 1500,
  maxIntervalMs: 10_000,
  minIntervalMs: 1000,
  overdueGrowth: 0.1,
  jitter: 0.1,
};

/** Fixed per-job overhead (upload, queueing) on top of audio x ratio, in ms. */
export const ETA_OVERHEAD_MS = 2000;

/** The expected end of rendering. */
export function estimateEta(submittedAt: number, audioSeconds: number, ratio: number): number {
  return submittedAt + ETA_OVERHEAD_MS + Math.round(audioSeconds * ratio * 1000);
}

/**
 * The delay until the next status poll.
 * - First poll: soon (the service may finish short clips quickly).
 * - Before the ETA: sleep until the ETA, never longer than `maxIntervalMs`.
 * - After it: short waits that grow with how overdue the job is, capped by `maxIntervalMs`.
 * - After failed polls (`failures` > 0): capped exponential backoff.
 */
export function nextPollDelay(
  p: { now: number; etaAt: number; pollCount: number; failures?: number },
  plan: PollPlan = defaultPollPlan,
  random: () => number = Math.random,
): number {
  let delay: number;
  const failures = p.failures ?? 0;
  if (failures > 0) {
    delay = Math.min(plan.maxIntervalMs, plan.minIntervalMs * 2 ** (failures - 1));
  } else if (p.pollCount === 0) {
    delay = plan.firstMs;
  } else {
    const remaining = p.etaAt - p.now;
    delay =
      remaining > plan.minIntervalMs
        ? remaining
        : plan.minIntervalMs + Math.max(0, -remaining) * plan.overdueGrowth;
  }
  delay = Math.min(plan.maxIntervalMs, Math.max(plan.minIntervalMs / 4, delay));
  const spread = delay * plan.jitter;
  return Math.max(1, Math.round(delay - spread + random() * 2 * spread));
}

/**
 * Learns the render ratio (seconds of rendering per second of audio) as an exponentially
 * weighted mean, clamped so one odd job cannot wreck the estimate.
 */
export function learnRatio(current: number, observed: number, weight = 0.2): number {
  if (!Number.isFinite(observed) || observed <= 0) return current;
  const clamped = Math.min(current * 4, Math.max(current / 4, observed));
  return current * (1 - weight) + clamped * weight;
}
