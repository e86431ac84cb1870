import { randomBytes } from 'node:crypto';

/** A random number source in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32: tiny and good enough to make fault sequences reproducible from a seed. Not for
 * secrets: task ids come from node:crypto instead.
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

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** A 20-character lowercase task id (100 random bits), shaped like the service's `xdac2o3c`. */
export function newTaskId(): string {
  const bytes = randomBytes(20);
  let id = '';
  for (const b of bytes) id += ALPHABET[b & 31];
  return id;
}

/** Task ids this server could have made (anything else is a 404 without a lookup). */
export const TASK_ID_PATTERN = /^[a-z0-9]{1,64}$/;
