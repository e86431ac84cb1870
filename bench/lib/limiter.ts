import { createLimiter } from '../../src/core/limiter.js';

/** At most `n` calls at a time, the rest in arrival order: the core's own limiter as a function. */
export function createGate(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  const limiter = createLimiter(n);
  return (fn) => limiter.run(fn);
}
