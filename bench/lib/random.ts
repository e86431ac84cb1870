/**
 * Seeded randomness for the job-duration model, so two runs (and the three polling modes of
 * figure 3) draw from the same sequence and differ only by what they measure.
 */

import { createRng } from '../../src/mock-avatar/random.js';

/** The local avatar server's seeded mulberry32, so bench draws and fault sequences share one generator. */
export function seededRandom(seed: number): () => number {
  return createRng(seed);
}

/** A standard normal draw (Box-Muller). */
export function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * The render-time model: render = audio seconds x ratio x a log-normal spread (median 1), as
 * a GPU queue behaves: most jobs near the typical ratio, a tail of slow ones.
 */
export interface RenderModel {
  /** Median seconds of rendering per second of audio. */
  ratio: number;
  /** Sigma of the log-normal spread (0.25: about 95% of jobs within x0.6..x1.6 of the median). */
  sigma: number;
}

export function renderSeconds(audioSeconds: number, model: RenderModel, random: () => number): number {
  return audioSeconds * model.ratio * Math.exp(model.sigma * normal(random));
}
