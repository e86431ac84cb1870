/**
 * A quick offline model of the core's polling: the real `nextPollDelay` against render times
 * drawn from the bench's model, counting polls and the wait from "ready" to the poll that sees
 * it (request latency ignored). Used to choose the plan and to show the spread trade-off.
 */
import { ETA_OVERHEAD_MS, nextPollDelay, type PollPlan } from '../../src/core/schedule/policy.js';
import { renderSeconds, seededRandom, type RenderModel } from './random.js';
import { summarize, type Summary } from './stats.js';

export interface SimResult {
  latency: Summary;
  pollsPerJob: number;
  baselinePollsPerJob: number;
}

export function simulatePolling(
  plan: PollPlan,
  model: RenderModel,
  durations: readonly number[],
  jobs = 4000,
  seed = 1,
  etaRatio = model.ratio,
): SimResult {
  const random = seededRandom(seed);
  const latencies: number[] = [];
  let polls = 0;
  let baseline = 0;
  for (let j = 0; j < jobs; j += 1) {
    const audio = durations[Math.floor(random() * durations.length)] ?? 30;
    const done = 200 + renderSeconds(audio, model, random) * 1000;
    const etaAt = ETA_OVERHEAD_MS + audio * etaRatio * 1000;
    let t = nextPollDelay({ now: 0, etaAt, pollCount: 0 }, plan, random);
    let count = 1;
    for (let guard = 0; t < done && guard < 10_000; guard += 1) {
      t += nextPollDelay({ now: t, etaAt, pollCount: count }, plan, random);
      count += 1;
    }
    polls += count;
    latencies.push(t - done);
    baseline += Math.ceil(done / 2000);
  }
  return { latency: summarize(latencies), pollsPerJob: polls / jobs, baselinePollsPerJob: baseline / jobs };
}
