import type { AnyMiddlewareArgs } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createAckedFirst } from '../../../src/bots/slack/listeners/acked-first.js';
import { createQuietGate, type QuietGate } from '../../../src/bots/shared/quiet-gate.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Starts a wait and records when it is let through. */
function arrive(gate: QuietGate, released: number[]): void {
  void gate.wait().then(() => released.push(Date.now()));
}

describe('createQuietGate', () => {
  test('work waits while arrivals keep coming, and all of it goes once they pause', async () => {
    const gate = createQuietGate({ quietMs: 15, maxWaitMs: 500 });
    const released: number[] = [];
    const t0 = Date.now();
    for (let i = 0; i < 5; i += 1) {
      arrive(gate, released);
      await vi.advanceTimersByTimeAsync(10);
    }
    // 50 ms in, the last arrival was 10 ms ago: nobody has gone yet.
    expect(released).toEqual([]);
    expect(gate.waiting()).toBe(5);
    await vi.advanceTimersByTimeAsync(5);
    expect(released).toHaveLength(5);
    expect(released.every((t) => t - t0 === 55)).toBe(true);
    expect(gate.waiting()).toBe(0);
  });

  test('a steady stream holds the oldest work no longer than maxWaitMs', async () => {
    const gate = createQuietGate({ quietMs: 15, maxWaitMs: 100 });
    const released: number[] = [];
    const t0 = Date.now();
    for (let i = 0; i < 30; i += 1) {
      arrive(gate, released);
      await vi.advanceTimersByTimeAsync(10);
    }
    // Released at 100 ms (10 waiting then), 200 ms and 300 ms: never a wait past the cap.
    expect(released.length).toBeGreaterThanOrEqual(20);
    expect(released[0] === undefined ? Number.NaN : released[0] - t0).toBe(100);
    await vi.advanceTimersByTimeAsync(20);
    expect(released).toHaveLength(30);
  });

  test('one arrival alone waits only the quiet time, and the next burst starts afresh', async () => {
    const gate = createQuietGate({ quietMs: 15, maxWaitMs: 500 });
    const released: number[] = [];
    const t0 = Date.now();
    arrive(gate, released);
    await vi.advanceTimersByTimeAsync(15);
    expect(released).toEqual([t0 + 15]);
    arrive(gate, released);
    await vi.advanceTimersByTimeAsync(14);
    expect(released).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(released).toEqual([t0 + 15, t0 + 30]);
  });
});

describe('Slack: acked-first', () => {
  const run = async (type: string, gate: QuietGate): Promise<boolean> => {
    let passed = false;
    const middleware = createAckedFirst(gate);
    const args = {
      body: { type },
      next: async () => {
        passed = true;
      },
    } as unknown as AnyMiddlewareArgs & { next: () => Promise<void> };
    const done = middleware(args as Parameters<typeof middleware>[0]);
    await vi.advanceTimersByTimeAsync(0);
    const early = passed;
    await vi.advanceTimersByTimeAsync(20);
    await done;
    expect(passed).toBe(true);
    return early;
  };

  test('an Events API callback waits at the gate before its listener; commands and actions pass straight on', async () => {
    const gate = createQuietGate({ quietMs: 15, maxWaitMs: 500 });
    expect(await run('event_callback', gate)).toBe(false);
    expect(await run('block_actions', gate)).toBe(true);
    expect(await run('view_submission', gate)).toBe(true);
  });
});
