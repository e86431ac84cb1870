/** A tiny FIFO semaphore: CPU-bound work (ffmpeg, sharp) must not outnumber the cores. */
export interface Limiter {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

/** Creates a limiter letting at most `max` functions run at once. */
export function createLimiter(max: number): Limiter {
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    active--;
    const next = waiting.shift();
    if (next !== undefined) {
      active++;
      next();
    }
  };
  return {
    async run<T>(fn: () => Promise<T>): Promise<T> {
      if (active < max) active++;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await fn();
      } finally {
        release();
      }
    },
  };
}
