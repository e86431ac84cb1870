import { afterEach, expect, test } from 'vitest';
import { createTimerQueue, type TimerQueue } from '../../../src/core/schedule/timer-heap.js';

const queues: TimerQueue[] = [];
afterEach(() => {
  for (const q of queues.splice(0)) q.stop();
});

function queue(batch?: number) {
  const ran: string[] = [];
  const q = createTimerQueue((id) => ran.push(id), Date.now, batch);
  queues.push(q);
  return { q, ran };
}
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('runs each id once, earliest first; rescheduling replaces, cancel removes', async () => {
  const { q, ran } = queue();
  const t = Date.now();
  q.schedule('late', t + 60);
  q.schedule('early', t + 20);
  q.schedule('moved', t + 10);
  q.schedule('moved', t + 40); // replaces the earlier time
  q.schedule('gone', t + 30);
  q.cancel('gone');
  expect(q.size()).toBe(3);
  await wait(120);
  expect(ran).toEqual(['early', 'moved', 'late']);
  expect(q.size()).toBe(0);
});

test('many ids due together run in bounded batches, one batch per tick, all of them', async () => {
  const ran: string[] = [];
  let firstBatch = -1;
  const q = createTimerQueue(
    (id) => {
      // A microtask runs once the current tick's synchronous batch is done, before the next tick.
      if (ran.length === 0) queueMicrotask(() => (firstBatch = ran.length));
      ran.push(id);
    },
    Date.now,
    10,
  );
  queues.push(q);
  const t = Date.now() + 5;
  for (let i = 0; i < 35; i++) q.schedule(`j${i}`, t);
  await wait(60);
  expect(firstBatch).toBe(10);
  expect(new Set(ran).size).toBe(35);
});

test('stop() drops everything pending', async () => {
  const { q, ran } = queue(1);
  const t = Date.now();
  for (let i = 0; i < 5; i++) q.schedule(`s${i}`, t);
  q.stop();
  q.schedule('after', t);
  await wait(30);
  expect(ran).toEqual([]);
});
