/**
 * Work that follows an acknowledgement waits here until the acknowledgements stop coming: until
 * none has come for `quietMs`, or at most `maxWaitMs` after the oldest waiting one. In a burst,
 * every request is then acknowledged before any of their work (downloads, messages, jobs) starts,
 * instead of each acknowledgement sharing the main thread, and the platform's servers, with the
 * work of the ones before it (BENCHMARKS.md, figure 1). One request alone waits `quietMs` (15 ms);
 * a steady stream never holds work back longer than `maxWaitMs`. Both adapters use one per bot.
 */

export interface QuietGateConfig {
  /** Release the waiting work once no event has arrived for this long. */
  quietMs: number;
  /** Never hold the oldest waiting work longer than this. */
  maxWaitMs: number;
}

const DEFAULT_QUIET_GATE: QuietGateConfig = { quietMs: 15, maxWaitMs: 500 };

/** Work waits here until arrivals pause; every arrival (a `wait()`) restarts the pause. */
export interface QuietGate {
  wait(): Promise<void>;
  /** Works waiting now (for tests and logs). */
  waiting(): number;
}

export function createQuietGate(config: QuietGateConfig = DEFAULT_QUIET_GATE): QuietGate {
  let waiters: Array<() => void> = [];
  let quiet: NodeJS.Timeout | null = null;
  let cap: NodeJS.Timeout | null = null;

  function release(): void {
    if (quiet !== null) clearTimeout(quiet);
    if (cap !== null) clearTimeout(cap);
    quiet = null;
    cap = null;
    const ready = waiters;
    waiters = [];
    for (const go of ready) go();
  }

  return {
    wait() {
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        cap ??= setTimeout(release, config.maxWaitMs);
        // refresh(): one timer for the whole burst, restarted by each arrival.
        if (quiet === null) quiet = setTimeout(release, config.quietMs);
        else quiet.refresh();
      });
    },
    waiting: () => waiters.length,
  };
}
