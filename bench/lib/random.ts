/**
 * Seeded randomness for the job-duration model, so two runs (and the three polling modes of
 * figure 3) draw from the same sequence and differ only by what they measure.
 */

/**
 * mulberry32: tiny, fast enough for per-pixel noise, and the same sequence on every machine.
 * The same generator drives the test fakes' seeded faults (test/fakes/avatar/random.ts); bench
 * keeps its own copy because bench code does not import from test/.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box-Muller). */
function normal(random: () => number): number {
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
