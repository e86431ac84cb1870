/**
 * Hand-overs kept for answers not yet delivered, so a delivery retry neither fetches nor burns
 * again. Each holds a video in memory, so the keep is bounded by count and by bytes: past
 * either, the oldest is forgotten (its retry makes it again, from the service's link). A
 * hand-over still being made counts by count only; its bytes count once it is made.
 */

export interface KeptLimits {
  maxCount: number;
  maxBytes: number;
}

export interface KeptHandovers<T> {
  get(jobId: string): Promise<T> | undefined;
  /** Keeps `made` for `jobId`, forgetting the oldest ones first when the limits are reached. */
  keep(jobId: string, made: Promise<T>): void;
  forget(jobId: string): void;
  /** How many are kept and how many bytes they hold (for tests and logs). */
  size(): { count: number; bytes: number };
}

export function createKeptHandovers<T>(limits: KeptLimits, bytesOf: (value: T) => number): KeptHandovers<T> {
  const kept = new Map<string, { made: Promise<T>; bytes: number }>();
  let total = 0;

  const drop = (jobId: string): void => {
    const entry = kept.get(jobId);
    if (entry === undefined) return;
    total -= entry.bytes;
    kept.delete(jobId);
  };
  const trim = (room: number): void => {
    for (const oldest of kept.keys()) {
      if (kept.size + room <= limits.maxCount && total <= limits.maxBytes) return;
      drop(oldest);
    }
  };

  return {
    get: (jobId) => kept.get(jobId)?.made,
    keep(jobId, made) {
      drop(jobId);
      trim(1);
      const entry = { made, bytes: 0 };
      kept.set(jobId, entry);
      made.then(
        (value) => {
          // Forgotten (or replaced) while it was being made: nothing to count.
          if (kept.get(jobId) !== entry) return;
          entry.bytes = bytesOf(value);
          total += entry.bytes;
          trim(0);
        },
        () => drop(jobId),
      );
    },
    forget: drop,
    size: () => ({ count: kept.size, bytes: total }),
  };
}
