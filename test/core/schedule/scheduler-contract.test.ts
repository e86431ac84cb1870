/**
 * The one JobScheduler contract, run against the in-process timer heap and BullMQ (a real
 * redis-server on a loopback port; a fresh key prefix per test), plus what only BullMQ has:
 * an enqueue-only scheduler (ROLE=gateway) whose tasks run on another one (ROLE=worker), and a
 * task re-run after its handler threw.
 */
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createBullScheduler } from '../../../src/core/schedule/bullmq.js';
import { createLocalScheduler } from '../../../src/core/schedule/local.js';
import type { JobScheduler, TaskRun } from '../../../src/core/schedule/port.js';
import { startRedis, type RedisServer } from '../../helpers/redis-server.js';

let server: RedisServer | undefined;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server?.stop();
});

const open: JobScheduler[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.stop(2000)));
});

function bull(prefix: string, process = true): JobScheduler {
  if (server === undefined) throw new Error('redis-server did not start');
  const s = createBullScheduler(
    { url: server.url, prefix, process, concurrency: 10, lockMs: 2000, apiRatePerSecond: 0 },
    { logger: pino({ level: 'silent' }) },
  );
  open.push(s);
  return s;
}

function local(): JobScheduler {
  const s = createLocalScheduler();
  open.push(s);
  return s;
}

const freshPrefix = () => `s${randomBytes(6).toString('hex')}:`;

/** Collects the tasks a scheduler runs. */
function recorder() {
  const runs: TaskRun[] = [];
  return {
    runs,
    run: async (t: TaskRun) => {
      runs.push(t);
    },
    async until(n: number, timeoutMs = 10_000): Promise<void> {
      const end = Date.now() + timeoutMs;
      while (runs.length < n) {
        if (Date.now() > end) throw new Error(`only ${runs.length} of ${n} tasks ran: ${JSON.stringify(runs)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));

function contract(name: string, make: () => JobScheduler, durable: boolean): void {
  describe(`JobScheduler contract: ${name}`, () => {
    test('says whether its schedules outlive the process', () => {
      expect(make().durable).toBe(durable);
    });

    test('runs each scheduled job once, with an owner', async () => {
      const s = make();
      const r = recorder();
      await s.start(r.run);
      const t = Date.now();
      for (const id of ['a', 'b', 'c']) s.schedule(id, t, 'check');
      await r.until(3);
      await settle();
      expect(r.runs.map((x) => x.jobId).sort()).toEqual(['a', 'b', 'c']);
      for (const x of r.runs) expect(x.owner).not.toBe('');
    });

    test('a later time runs later: a job due now overtakes one due in 600 ms', async () => {
      const s = make();
      const r = recorder();
      await s.start(r.run);
      const t = Date.now();
      s.schedule('late', t + 600, 'check');
      s.schedule('now', t, 'submit');
      await r.until(2);
      expect(r.runs.map((x) => x.jobId)).toEqual(['now', 'late']);
    });

    test('the same job at the same time asked twice runs once', async () => {
      const s = make();
      const r = recorder();
      await s.start(r.run);
      const at = Date.now() + 100;
      s.schedule('twice', at, 'check');
      s.schedule('twice', at, 'check');
      await r.until(1);
      await settle(600);
      expect(r.runs.filter((x) => x.jobId === 'twice')).toHaveLength(1);
    });

    test('after stop() nothing more runs', async () => {
      const s = make();
      const r = recorder();
      await s.start(r.run);
      s.schedule('before', Date.now(), 'check');
      await r.until(1);
      await s.stop(2000);
      s.schedule('after', Date.now(), 'check');
      await settle(600);
      expect(r.runs.map((x) => x.jobId)).toEqual(['before']);
    });
  });
}

contract('in-process timer heap', local, false);
contract('BullMQ', () => bull(freshPrefix()), true);

describe('BullMQ scheduler: what only it has', () => {
  test('an enqueue-only scheduler (gateway) runs nothing; a processing one (worker) runs its tasks', async () => {
    const p = freshPrefix();
    const gateway = bull(p, false);
    const seenByGateway = recorder();
    await gateway.start(seenByGateway.run);
    const worker = bull(p);
    const seenByWorker = recorder();
    await worker.start(seenByWorker.run);
    gateway.schedule('from-gateway', Date.now(), 'submit');
    await seenByWorker.until(1);
    await settle();
    expect(seenByWorker.runs.map((x) => x.jobId)).toEqual(['from-gateway']);
    expect(seenByGateway.runs).toEqual([]);
  });

  test('a task whose handler throws is run again, with the same owner', async () => {
    const s = bull(freshPrefix());
    const runs: TaskRun[] = [];
    await s.start(async (t) => {
      runs.push(t);
      if (runs.length === 1) throw new Error('redis blip');
    });
    s.schedule('flaky', Date.now(), 'check');
    const end = Date.now() + 15_000;
    while (runs.length < 2 && Date.now() < end) await settle(50);
    expect(runs.map((x) => x.jobId)).toEqual(['flaky', 'flaky']);
    expect(runs[1]?.owner).toBe(runs[0]?.owner);
  });
});
