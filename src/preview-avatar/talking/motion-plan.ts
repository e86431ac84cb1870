/**
 * The rest of the face's life: blinks every 3-6 s and a slow sway of a few pixels, both drawn
 * from a seed so the same input renders the same video (tests and bug reports can rely on it).
 */
import { FPS } from './voice-envelope.js';

export interface FramePose {
  /** 0 open .. 1 shut. */
  blink: number;
  /** Head offset in pixels. */
  dx: number;
  dy: number;
}

/** mulberry32: small, fast, good enough for timing blinks. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A blink's lid, frame by frame (~200 ms: down fast, up a little slower). */
const BLINK_SHAPE = [0.5, 1, 1, 0.6, 0.25];

/** Poses for `frames` frames; `size` (the longest side) scales the sway. */
export function planMotion(frames: number, size: number, seed: number): FramePose[] {
  const next = random(seed);
  const blink = new Float32Array(frames);
  // The first blink comes after 1-3 s: a face that stares for 6 s at the start looks dead.
  let at = Math.round((1 + next() * 2) * FPS);
  while (at < frames) {
    BLINK_SHAPE.forEach((v, i) => {
      if (at + i < frames) blink[at + i] = v;
    });
    at += Math.round((3 + next() * 3) * FPS);
  }
  const amp = Math.max(1, size / 170);
  const px = next() * Math.PI * 2;
  const py = next() * Math.PI * 2;
  const poses: FramePose[] = [];
  for (let f = 0; f < frames; f++) {
    const t = f / FPS;
    poses.push({
      blink: blink[f] ?? 0,
      dx: amp * (Math.sin(t * 0.9 + px) * 0.7 + Math.sin(t * 2.3 + py) * 0.3),
      dy: amp * 0.6 * (Math.sin(t * 1.3 + py) * 0.7 + Math.sin(t * 0.5 + px) * 0.3),
    });
  }
  return poses;
}
