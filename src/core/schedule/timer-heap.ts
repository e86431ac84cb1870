/**
 * One timer for many jobs: a min-heap of (due time, job id). Rescheduling a job replaces its
 * entry (stale heap entries are skipped by generation), so 1,000 pending jobs cost one
 * setTimeout and O(log n) per change instead of 1,000 sleeping loops.
 */
interface Entry {
  at: number;
  id: string;
  gen: number;
}

export interface TimerQueue {
  /** (Re)schedules `id` at `at` (ms epoch). */
  schedule(id: string, at: number): void;
  cancel(id: string): void;
  has(id: string): boolean;
  size(): number;
  stop(): void;
}

export function createTimerQueue(run: (id: string) => void, now: () => number = Date.now, batchSize = 50): TimerQueue {
  const heap: Entry[] = [];
  const current = new Map<string, number>(); // id -> live generation
  let gen = 0;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Infinity;
  let stopped = false;
  let immediate: NodeJS.Immediate | undefined;

  const less = (a: Entry, b: Entry): boolean => a.at < b.at;
  /** The entry at an index the caller bounds-checked: noUncheckedIndexedAccess cannot see that. */
  function entry(i: number): Entry {
    const e = heap[i];
    if (e === undefined) throw new RangeError(`timer heap: no entry at ${i}`);
    return e;
  }
  function push(e: Entry): void {
    heap.push(e);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(entry(i), entry(parent))) break;
      [heap[i], heap[parent]] = [entry(parent), entry(i)];
      i = parent;
    }
  }
  function pop(): Entry | undefined {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(entry(l), entry(m))) m = l;
        if (r < heap.length && less(entry(r), entry(m))) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [entry(m), entry(i)];
        i = m;
      }
    }
    return top;
  }
  function live(e: Entry): boolean {
    return current.get(e.id) === e.gen;
  }
  function arm(): void {
    if (immediate !== undefined) return; // a batch is pending: it re-arms when the backlog is done
    while (heap.length > 0 && !live(entry(0))) pop();
    const next = heap[0];
    if (next === undefined || stopped) {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      timerAt = Infinity;
      return;
    }
    if (timer !== undefined && timerAt <= next.at) return;
    if (timer !== undefined) clearTimeout(timer);
    timerAt = next.at;
    timer = setTimeout(fire, Math.max(0, next.at - now()));
  }
  function fire(): void {
    immediate = undefined;
    timer = undefined;
    timerAt = Infinity;
    const t = now();
    const due: string[] = [];
    // A bounded batch per tick: 1,000 jobs due together must not run in one long tick (every
    // poll starts with synchronous store reads); the rest follow after I/O had its turn.
    while (heap.length > 0 && entry(0).at <= t && due.length < batchSize) {
      const e = pop();
      if (e === undefined) break;
      if (!live(e)) continue;
      current.delete(e.id);
      due.push(e.id);
    }
    if (heap.length > 0 && entry(0).at <= t && !stopped) {
      immediate = setImmediate(fire);
    } else {
      arm();
    }
    for (const id of due) run(id);
  }

  return {
    schedule(id, at) {
      if (stopped) return;
      gen += 1;
      current.set(id, gen);
      push({ at, id, gen });
      arm();
    },
    cancel(id) {
      current.delete(id);
    },
    has(id) {
      return current.has(id);
    },
    size() {
      return current.size;
    },
    stop() {
      stopped = true;
      if (immediate !== undefined) clearImmediate(immediate);
      immediate = undefined;
      current.clear();
      heap.length = 0;
      arm();
    },
  };
}
