import { describe, expect, test } from 'vitest';
import { createKeptHandovers } from '../../../src/core/jobs/kept-handovers.js';

/** A made hand-over of `bytes` bytes of video. */
const made = (bytes: number): Promise<{ bytes: number }> => Promise.resolve({ bytes });
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('kept hand-overs', () => {
  test('bounded by count: the oldest is forgotten first', async () => {
    const kept = createKeptHandovers<{ bytes: number }>({ maxCount: 2, maxBytes: 1000 }, (v) => v.bytes);
    kept.keep('a', made(1));
    kept.keep('b', made(1));
    kept.keep('c', made(1));
    await settle();
    expect(kept.get('a')).toBeUndefined();
    expect(await kept.get('b')).toEqual({ bytes: 1 });
    expect(kept.size()).toEqual({ count: 2, bytes: 2 });
  });

  test('bounded by bytes once made: big videos push the oldest out, small ones stay', async () => {
    const kept = createKeptHandovers<{ bytes: number }>({ maxCount: 8, maxBytes: 100 }, (v) => v.bytes);
    kept.keep('a', made(40));
    kept.keep('b', made(40));
    await settle();
    expect(kept.size()).toEqual({ count: 2, bytes: 80 });
    kept.keep('c', made(40));
    await settle();
    expect(kept.get('a')).toBeUndefined();
    expect(kept.size()).toEqual({ count: 2, bytes: 80 });
    // One bigger than the whole keep is handed to its delivery but not kept for a retry.
    const huge = made(500);
    kept.keep('d', huge);
    expect(await huge).toEqual({ bytes: 500 });
    await settle();
    expect(kept.size()).toEqual({ count: 0, bytes: 0 });
  });

  test('forgetting, a failed hand-over and one replaced while being made leave the count right', async () => {
    const kept = createKeptHandovers<{ bytes: number }>({ maxCount: 8, maxBytes: 100 }, (v) => v.bytes);
    kept.keep('a', made(10));
    await settle();
    kept.forget('a');
    kept.keep('b', Promise.reject(new Error('fetch failed')));
    let finish: (v: { bytes: number }) => void = () => undefined;
    kept.keep('c', new Promise((resolve) => (finish = resolve)));
    kept.forget('c');
    finish({ bytes: 30 });
    await settle();
    expect(kept.get('b')).toBeUndefined();
    expect(kept.size()).toEqual({ count: 0, bytes: 0 });
  });
});
