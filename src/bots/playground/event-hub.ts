import type { PublicJob } from './job-json.js';

/** One message on a browser's event stream. */
export interface JobEvent {
  type: 'job';
  job: PublicJob;
}

type Listener = (event: JobEvent) => void;

/** Fans job events out to the open event streams of the browser that owns the job. */
export interface EventHub {
  /** Returns an unsubscribe function. */
  subscribe(browserId: string, listener: Listener): () => void;
  publish(browserId: string, event: JobEvent): void;
  /** Number of open streams (all browsers): for tests and limits. */
  size(): number;
}

/** Creates an in-process hub (events are not stored: a reconnecting page re-lists the jobs). */
export function createEventHub(): EventHub {
  const byBrowser = new Map<string, Set<Listener>>();
  let count = 0;
  return {
    subscribe(browserId, listener) {
      let set = byBrowser.get(browserId);
      if (set === undefined) {
        set = new Set();
        byBrowser.set(browserId, set);
      }
      set.add(listener);
      count++;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        count--;
        const s = byBrowser.get(browserId);
        s?.delete(listener);
        if (s !== undefined && s.size === 0) byBrowser.delete(browserId);
      };
    },
    publish(browserId, event) {
      const set = byBrowser.get(browserId);
      if (set === undefined) return;
      for (const listener of [...set]) listener(event);
    },
    size: () => count,
  };
}
