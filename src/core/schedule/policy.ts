/**
 * When to poll next. Polls are not a sleeping loop per job: one timer serves every job (see
 * timer-heap.ts), and each job's next time comes from its ETA: audio length times the
 * measured seconds of rendering per second of audio.
 */

export interface PollPlan {
  /** Delay before the first poll after submit. */
  firstMs: number;
  /** No wait between polls is ever longer than this. */
  maxIntervalMs: number;
  /** The wait between polls around the ETA (inside the approach window), and the shortest once it passed. */
  minIntervalMs: number;
  /**
   * How long before the ETA steady polling starts. Renders finish around the estimate, not on
   * it: a job that ends 8 s early should not wait for a poll planned 10 s apart.
   */
  approachMs: number;
  /** Share of the overdue time added to the wait, so a job far past its ETA is polled less often. */
  overdueGrowth: number;
  /** ± share of each delay drawn at random, so many jobs do not poll in lock-step. */
  jitter: number;
}

/**
 * Tuned with `npm run bench -- --only 3` (BENCHMARKS.md, figure 3): 2 s polls from 12 s before
 * the ETA keep the wait after "video ready" near the 2 s a CLI loop gives, with about half of
 * its status requests. (Was: sleep to the ETA in 10 s steps, then 1 s polls: p95 wait ~7 s.)
 */
export const defaultPollPlan: PollPlan = {
  firstMs: 1500,
  maxIntervalMs: 10_000,
  minIntervalMs: 2000,
  approachMs: 12_000,
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
 * - Long before the ETA: sleep until `approachMs` before it, never longer than `maxIntervalMs`.
 * - From then until as long after it: steady `minIntervalMs` polls (where most renders end).
 * - Later: waits that grow with how overdue the job is, capped by `maxIntervalMs`.
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
    const window = plan.approachMs;
    if (remaining > window + plan.minIntervalMs) delay = remaining - window;
    else if (remaining > -window) delay = plan.minIntervalMs;
    else delay = plan.minIntervalMs + (-remaining - window) * plan.overdueGrowth;
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

/** How a job is watched: by polls alone, or by webhooks with polls as a safety net. */
export interface PollPolicy {
  plan: PollPlan;
  /** With webhooks: the safety-net poll interval. Undefined: no webhooks, polls alone. */
  webhookFallbackMs: number | undefined;
}

/**
 * With webhooks the service tells us when a task ends, so polls are only a safety net (a lost
 * or refused webhook), spaced by `webhookFallbackMs`. Without, the ETA-driven schedule.
 * Failed polls back off the same way in both modes.
 */
export function pollDelay(
  p: { now: number; etaAt: number; pollCount: number; failures?: number },
  policy: PollPolicy,
  random: () => number = Math.random,
): number {
  if (policy.webhookFallbackMs !== undefined && (p.failures ?? 0) === 0) {
    // The first safety poll waits for twice the expected render: a webhook on time makes it moot.
    const late = p.pollCount === 0 ? Math.max(0, p.etaAt - p.now) * 2 : 0;
    const base = Math.max(policy.webhookFallbackMs, late);
    return Math.round(base * (0.9 + random() * 0.2));
  }
  return nextPollDelay(p, policy.plan, random);
}
