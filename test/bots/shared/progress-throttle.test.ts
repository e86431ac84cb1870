/** The shared progress throttle, on a fake clock: the newest update kept, finals never delayed. */
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProgressThrottle } from '../../../src/bots/shared/progress-throttle.js';

const logger = pino({ level: 'silent' });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function recorder() {
  const sent: string[] = [];
  const send = (what: string) => async (): Promise<string> => {
    sent.push(what);
    return `state:${what}`;
  };
  return { sent, send };
}

describe('createProgressThrottle', () => {
  it('sends the first update at once and returns its answer (the state the core stores)', async () => {
    const t = createProgressThrottle({ gapMs: 1000, now: () => Date.now() }, { logger });
    const { sent, send } = recorder();
    expect(await t.progress('j', send('a'))).toBe('state:a');
    expect(sent).toEqual(['a']);
  });

  it('inside the gap keeps only the newest update and sends it when the gap has passed', async () => {
    const t = createProgressThrottle({ gapMs: 1000, now: () => Date.now() }, { logger });
    const { sent, send } = recorder();
    await t.progress('j', send('a'));
    vi.advanceTimersByTime(100);
    expect(await t.progress('j', send('b'))).toBeUndefined();
    vi.advanceTimersByTime(100);
    await t.progress('j', send('c'));
    expect(sent).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(799);
    expect(sent).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual(['a', 'c']);
    // The gap now counts from that send.
    await t.progress('j', send('d'));
    expect(sent).toEqual(['a', 'c']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual(['a', 'c', 'd']);
  });

  it('`immediate` skips the gap', async () => {
    const t = createProgressThrottle({ gapMs: 1000, now: () => Date.now() }, { logger });
    const { sent, send } = recorder();
    await t.progress('j', send('a'));
    expect(await t.progress('j', send('b'), true)).toBe('state:b');
    expect(sent).toEqual(['a', 'b']);
  });

  it('a final answer goes at once, drops the waiting update, and later progress is ignored', async () => {
    const t = createProgressThrottle({ gapMs: 1000, now: () => Date.now() }, { logger });
    const { sent, send } = recorder();
    await t.progress('j', send('a'));
    await t.progress('j', send('waiting'));
    expect(await t.final('j', send('final'))).toBe('state:final');
    expect(sent).toEqual(['a', 'final']);
    await vi.advanceTimersByTimeAsync(5000);
    await t.progress('j', send('late'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toEqual(['a', 'final']);
    expect(t.finished('j')).toBe(true);
  });

  it('a final answer waits for a delayed edit already on the wire, so that edit cannot land after it', async () => {
    const t = createProgressThrottle({ gapMs: 1000, now: () => Date.now() }, { logger });
    const order: string[] = [];
    let release: () => void = () => undefined;
    await t.progress('j', async () => {
      order.push('a');
    });
    await t.progress('j', async () => {
      order.push('slow:start');
      await new Promise<void>((r) => {
        release = r;
      });
      order.push('slow:end');
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(order).toEqual(['a', 'slow:start']);
    const final = t.final('j', async () => {
      order.push('final');
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['a', 'slow:start']);
    release();
    await final;
    expect(order).toEqual(['a', 'slow:start', 'slow:end', 'final']);
  });

  it('jobs are throttled apart, and dispose drops what waits', async () => {
    const t = createProgressThrottle({ gapMs: 1000, now: () => Date.now() }, { logger });
    const { sent, send } = recorder();
    await t.progress('j1', send('j1:a'));
    await t.progress('j2', send('j2:a'));
    await t.progress('j1', send('j1:b'));
    t.dispose();
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toEqual(['j1:a', 'j2:a']);
  });

  it('remembers a bounded number of finished jobs, oldest forgotten first', async () => {
    const t = createProgressThrottle({ gapMs: 0, finishedLimit: 2 }, { logger });
    const { send } = recorder();
    for (const id of ['x', 'y', 'z']) await t.final(id, send(id));
    expect([t.finished('x'), t.finished('y'), t.finished('z')]).toEqual([false, true, true]);
  });
});
