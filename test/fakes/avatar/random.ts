/** A random number source in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32: tiny and good enough to make fault sequences reproducible from a seed. Not for
 * secrets (the preview server's task ids come from node:crypto).
 */
export function createRng(seed?: number): Rng {
  let state = (seed ?? Math.floor(Math.random() * 2 ** 32)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
