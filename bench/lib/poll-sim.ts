/**
 * A quick offline model of the core's polling, without network: jobs arrive over time, wait
 * `queueMs` in the service's queue, render for a time drawn from the bench's model, and are
 * polled by the real `nextPollDelay` with the ETA, ratio and spread the engine would have
 * (render-time.ts: anchored between the last poll that saw the job queued and the first that sees it rendering, learnt from each
 * finished job, starting from `startRatio` and the plan's spread). Counts polls and the wait from
 * "ready" to the poll that sees it (request latency ignored). Used to choose the plan.
 */
import { nextPollDelay, type PollPlan } from '../../src/core/schedule/policy.js';
import { learnRatio, learnSpread, observedRatio, renderEta, startedBetween } from '../../src/core/schedule/render-time.js';
import { renderSeconds, seededRandom, type RenderModel } from './random.js';
import { summarize, type Summary } from './stats.js';

export interface SimResult {
  latency: Summary;
  pollsPerJob: number;
  baselinePollsPerJob: number;
  /** Where learning ended. */
  ratio: number;
  spread: number;
}

export interface SimOptions {
  jobs?: number;
  /** Jobs arrive evenly over this long. */
  arrivalMs?: number;
  seed?: number;
  /** The ratio the engine starts from (AVATAR_RENDER_RATIO). */
  startRatio?: number;
  queueMs?: number;
}

interface SimJob {
  submittedAt: number;
  startAt: number;
  doneAt: number;
  audioSeconds: number;
  renderStartedAt: number | null;
  /** The last time a poll (or the submit) saw the job still queued. */
  queuedSeenAt: number;
  pollCount: number;
}

/** Due polls, earliest first (binary insertion: a few thousand pending at most). */
function insert(queue: Array<{ at: number; job: SimJob }>, at: number, job: SimJob): void {
  let lo = 0;
  let hi = queue.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((queue[mid]?.at ?? 0) <= at) lo = mid + 1;
    else hi = mid;
  }
  queue.splice(lo, 0, { at, job });
}

export function simulatePolling(plan: PollPlan, model: RenderModel, durations: readonly number[], opts: SimOptions = {}): SimResult {
  const jobs = opts.jobs ?? 4000;
  const arrivalMs = opts.arrivalMs ?? jobs * 150;
  const queueMs = opts.queueMs ?? 200;
  const random = seededRandom(opts.seed ?? 1);
  let ratio = opts.startRatio ?? model.ratio;
  let spread = plan.spread;
  const queue: Array<{ at: number; job: SimJob }> = [];
  const next = (job: SimJob, now: number): void => {
    const { etaAt, renderMs } = renderEta(job, ratio);
    insert(queue, now + nextPollDelay({ now, etaAt, pollCount: job.pollCount, renderMs, spread }, plan, random), job);
  };
  for (let j = 0; j < jobs; j += 1) {
    const audioSeconds = durations[Math.floor(random() * durations.length)] ?? 30;
    const submittedAt = (j * arrivalMs) / jobs;
    const startAt = submittedAt + queueMs;
    const doneAt = startAt + renderSeconds(audioSeconds, model, random) * 1000;
    // The submit: the service answered IN_QUEUE (the first poll's delay does not depend on the ETA).
    next({ submittedAt, startAt, doneAt, audioSeconds, renderStartedAt: null, queuedSeenAt: submittedAt, pollCount: 0 }, submittedAt);
  }
  const latencies: number[] = [];
  let polls = 0;
  let baseline = 0;
  for (let e = queue.shift(); e !== undefined; e = queue.shift()) {
    const { at: t, job } = e;
    polls += 1;
    job.pollCount += 1;
    if (t >= job.doneAt) {
      latencies.push(t - job.doneAt);
      baseline += Math.ceil((job.doneAt - job.submittedAt) / 2000);
      const observed = observedRatio(job, t);
      spread = learnSpread(spread, ratio, observed);
      ratio = learnRatio(ratio, observed);
      continue;
    }
    if (t < job.startAt) job.queuedSeenAt = t;
    else if (job.renderStartedAt === null) job.renderStartedAt = startedBetween(job.queuedSeenAt, t);
    next(job, t);
  }
  return { latency: summarize(latencies), pollsPerJob: polls / jobs, baselinePollsPerJob: baseline / jobs, ratio, spread };
}
