/**
 * What the engine learns about render times, and the ETA it draws from them. A render takes
 * about audio seconds x a ratio, and varies around that by a spread that grows with its length
 * (a log-normal spread: a 60 s clip is off by seconds where a 5 s clip is off by a fraction of
 * one), so both are learnt per second of audio and the poll window scales with the render.
 */
import { ETA_OVERHEAD_MS } from './policy.js';

/** The smallest and largest spread ever used: one odd run of jobs must not make polling blind or frantic. */
export const SPREAD_BOUNDS = { min: 0.05, max: 0.8 } as const;

/** What the clock of a job needs: when it was sent, when the service said it started rendering, and how long its audio is. */
export interface RenderTimes {
  submittedAt: number;
  renderStartedAt: number | null;
  audioSeconds: number;
}

/**
 * The expected end of a job's render and its expected length. Once the service said IN_PROGRESS
 * the ETA counts from there (its queue says nothing about render speed); before, from submit
 * plus a fixed allowance for upload and queue.
 */
export function renderEta(job: RenderTimes, ratio: number): { etaAt: number; renderMs: number } {
  const renderMs = Math.round(job.audioSeconds * ratio * 1000);
  const from = job.renderStartedAt ?? job.submittedAt + ETA_OVERHEAD_MS;
  return { etaAt: from + renderMs, renderMs };
}

/**
 * When a render first seen running at `seenAt` began: somewhere since the job was last seen
 * queued, so the middle of that gap. Taking the poll's own time would date every start late by
 * up to a whole poll interval: short renders then look shorter than they are, which skews the
 * learnt ratio and widens the learnt spread (and so the dense window). `lastWriteAt` is the job's
 * last write, at or after the last poll that saw it queued, so the middle errs late, never early.
 */
export function startedBetween(lastWriteAt: number, seenAt: number): number {
  return lastWriteAt < seenAt ? Math.round((lastWriteAt + seenAt) / 2) : seenAt;
}

/** Seconds of rendering per second of audio this job took, measured the way renderEta predicts it. */
export function observedRatio(job: RenderTimes, doneAt: number): number {
  const from = job.renderStartedAt ?? job.submittedAt + ETA_OVERHEAD_MS;
  return job.audioSeconds > 0 ? (doneAt - from) / 1000 / job.audioSeconds : Number.NaN;
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

/**
 * Learns the spread: how far, in log terms, a render's ratio lands from the estimate it was
 * planned with. A weighted mean of absolute log deviations (robust: no squares, and one
 * deviation counts at most 4 spreads), scaled by sqrt(pi/2) so that it reads as the sigma of a
 * log-normal spread, and kept within SPREAD_BOUNDS.
 */
export function learnSpread(current: number, expectedRatio: number, observed: number, weight = 0.1): number {
  if (!Number.isFinite(observed) || observed <= 0 || !(expectedRatio > 0)) return current;
  const deviation = Math.abs(Math.log(observed / expectedRatio)) * Math.sqrt(Math.PI / 2);
  const next = current * (1 - weight) + Math.min(deviation, current * 4) * weight;
  return Math.min(SPREAD_BOUNDS.max, Math.max(SPREAD_BOUNDS.min, next));
}

/** A stored value read back: a finite positive number, else the fallback (a fresh or damaged store). */
export function storedNumber(value: string | null, fallback: number): number {
  const n = Number(value ?? Number.NaN);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}
