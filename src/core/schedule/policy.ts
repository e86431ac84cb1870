/**
 * When to poll next. Polls are not a sleeping loop per job: one timer serves every job (see
 * timer-heap.ts), and each job's next time comes from its ETA and the learnt spread of render
 * times around it (render-time.ts): dense where most renders end, sparse elsewhere.
 */

export interface PollPlan {
  /** Delay before the first poll after submit. */
  firstMs: number;
  /** No wait between polls is ever longer than this. */
  maxIntervalMs: number;
  /**
   * The wait between polls inside the dense window, and the shortest once it passed. An upper
   * bound: jitter only shortens it, so a video ready inside the window waits at most this long.
   */
  minIntervalMs: number;
  /**
   * The dense window reaches at least this far either side of the ETA. The start and the end of
   * a render are both seen a poll late, so a short render's window must not shrink to nothing.
   */
  approachMs: number;
  /**
   * The dense window starts at ETA x e^(-k x spread) of the render's expected length, k = this.
   * With log-normal render times, 1.35 leaves the earliest 9% of ends before it: they wait at
   * most twice the dense interval (lead zone), half of them longer than it, which is what a p95
   * of one dense interval can afford. Starting later saves polls for every job that ends after.
   */
  windowSpreads: number;
  /**
   * The dense window ends at ETA x e^(+k x spread), k = this. Later than it starts: past the ETA
   * most jobs still running end soon (their hazard keeps rising), so dense polls there are cheap.
   */
  tailSpreads: number;
  /**
   * Before the dense window, from ETA x e^(-k x spread), k = this: polls twice the dense interval
   * apart, so the few renders that end early still wait a bounded time. Earlier: sparse.
   */
  leadSpreads: number;
  /** The spread (log-normal sigma of render time over its estimate) assumed until one is learnt. */
  spread: number;
  /** Share of the time past the dense window added to the wait, so an overdue job is polled less often. */
  overdueGrowth: number;
  /** Share of each delay that may be cut at random, so many jobs do not poll in lock-step. */
  jitter: number;
}

/**
 * Tuned with `npm run bench -- --only 3` and its offline model (bench/lib/poll-sim.ts, BENCHMARKS.md
 * figure 3): for 5-60 s voice notes whose renders spread by about 0.2, answers come within 2 s of
 * the video at p95 (4 s at p99) with about half the status requests of a 2 s loop. (Was: a fixed
 * 12 s either side of the ETA: renders that vary by more than that waited up to 10 s.)
 * Far from the ETA a job sleeps up to 30 s (was 10 s, then 20 s): those polls found nothing for
 * almost every job, and their savings pay for dense polls 1.85 s apart, which leave the request's
 * own time inside the 2 s. The price: a task the service fails early is seen up to 30 s later.
 * The spread assumed until one is learnt is 0.2, what the model was tuned for; 0.3 widened every
 * first job's window for nothing, and the learnt value replaces it within a few dozen jobs.
 */
export const defaultPollPlan: PollPlan = {
  firstMs: 1500,
  maxIntervalMs: 30_000,
  minIntervalMs: 1850,
  approachMs: 1000,
  windowSpreads: 1.35,
  tailSpreads: 2.3,
  leadSpreads: 2.3,
  spread: 0.2,
  overdueGrowth: 0.1,
  jitter: 0.05,
};

/** Fixed per-job overhead (upload, queueing) on top of audio x ratio, in ms, while the service has not started rendering. */
export const ETA_OVERHEAD_MS = 2000;

/** The expected end of rendering, from submit. */
export function estimateEta(submittedAt: number, audioSeconds: number, ratio: number): number {
  return submittedAt + ETA_OVERHEAD_MS + Math.round(audioSeconds * ratio * 1000);
}

/** Where a job stands for its next poll. */
export interface PollMoment {
  now: number;
  etaAt: number;
  pollCount: number;
  /** Polls that failed in a row. */
  failures?: number;
  /** How long the render is expected to take, in ms (the window scales with it); unknown: `approachMs` either side. */
  renderMs?: number;
  /** The learnt spread; unknown: the plan's. */
  spread?: number;
}

/** The times that split a job's polling: sparse before `leadAt`, twice the dense interval until `denseAt`, dense until `denseUntil`, then backing off. */
export interface PollWindow {
  leadAt: number;
  denseAt: number;
  denseUntil: number;
}

export function pollWindow(p: Pick<PollMoment, 'etaAt' | 'renderMs' | 'spread'>, plan: PollPlan = defaultPollPlan): PollWindow {
  const renderMs = Math.max(0, p.renderMs ?? 0);
  const spread = p.spread ?? plan.spread;
  const before = (k: number): number => p.etaAt - Math.max(plan.approachMs, renderMs * (1 - Math.exp(-k * spread)));
  return {
    leadAt: before(plan.leadSpreads),
    denseAt: before(plan.windowSpreads),
    denseUntil: p.etaAt + Math.max(plan.approachMs, renderMs * (Math.exp(plan.tailSpreads * spread) - 1)),
  };
}

/**
 * The delay until the next status poll.
 * - First poll: soon (the service may finish short clips quickly, and says when it starts).
 * - Long before the ETA: sleep until the lead zone, never longer than `maxIntervalMs`.
 * - Lead zone: polls twice `minIntervalMs` apart, for the renders that end early.
 * - Dense window (where most renders end): `minIntervalMs`.
 * - Later: waits that grow with how overdue the job is, capped by `maxIntervalMs`.
 * - After failed polls (`failures` > 0): capped exponential backoff.
 */
export function nextPollDelay(p: PollMoment, plan: PollPlan = defaultPollPlan, random: () => number = Math.random): number {
  const step = plan.minIntervalMs;
  let delay: number;
  const failures = p.failures ?? 0;
  if (failures > 0) {
    delay = step * 2 ** (failures - 1);
  } else if (p.pollCount === 0) {
    delay = plan.firstMs;
  } else {
    const w = pollWindow(p, plan);
    // Within one lead step of the lead zone, the lead pace already: a short hop to its start would be a wasted poll.
    if (p.now < w.leadAt - 2 * step) delay = w.leadAt - p.now;
    else if (p.now < w.denseAt) delay = Math.min(2 * step, Math.max(step, w.denseAt - p.now));
    else if (p.now <= w.denseUntil) delay = step;
    else delay = step + (p.now - w.denseUntil) * plan.overdueGrowth;
  }
  delay = Math.min(plan.maxIntervalMs, Math.max(step / 4, delay));
  return Math.max(1, Math.round(delay * (1 - plan.jitter * random())));
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
export function pollDelay(p: PollMoment, policy: PollPolicy, random: () => number = Math.random): number {
  if (policy.webhookFallbackMs !== undefined && (p.failures ?? 0) === 0) {
    // The first safety poll waits for twice the expected render: a webhook on time makes it moot.
    const late = p.pollCount === 0 ? Math.max(0, p.etaAt - p.now) * 2 : 0;
    const base = Math.max(policy.webhookFallbackMs, late);
    return Math.round(base * (0.9 + random() * 0.2));
  }
  return nextPollDelay(p, policy.plan, random);
}
