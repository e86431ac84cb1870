import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { createFakeAvatarServer } from '../../fakes/avatar/index.js';
import { FAST_ENV } from '../../helpers/harness.js';
import { spawnTs, waitForLine } from '../../helpers/spawn.js';

const dir = mkdtempSync(join(tmpdir(), 'tab-sigkill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('killed with SIGKILL while 10 jobs are pending, then started again: each job answered exactly once', {
  timeout: 120_000,
}, async () => {
  // The service outlives the bot, as the real one does.
  // No real MP4s: this is about delivery. Renders finish only when the test says so: a job that
  // finished while the first process was still creating the others (a busy machine) would leave
  // nothing pending to kill.
  const mock = createFakeAvatarServer({ renderMs: () => 600_000, queueMs: 20, render: false });
  await mock.start();
  const deliveries = join(dir, 'deliveries.jsonl');
  const env = {
    ...FAST_ENV,
    DATA_DIR: join(dir, 'data'),
    AVATAR_API_URL: mock.url,
    AVATAR_API_KEY: 'test-key',
    DELIVERIES_FILE: deliveries,
    LIMIT_PER_GROUP: '100',
  };
  try {
    const first = spawnTs('test/helpers/child-core.ts', [], { env: { ...env, CREATE_JOBS: '10' }, cwd: dir });
    const line = await waitForLine(first, /^SUBMITTED /, 60_000);
    const ids = line.replace('SUBMITTED ', '').trim().split(',');
    expect(ids).toHaveLength(10);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect(existsSync(deliveries) ? readFileSync(deliveries, 'utf8').trim() : '').toBe('');

    const second = spawnTs('test/helpers/child-core.ts', [], { env: { ...env, CREATE_JOBS: '0' }, cwd: dir });
    await waitForLine(second, /^STARTED/, 30_000);
    // The service finishes the renders it accepted before the kill; the new process must answer each once.
    for (const task of mock.tasks()) mock.completeNow(task.taskId);
    const read = () =>
      (existsSync(deliveries) ? readFileSync(deliveries, 'utf8') : '')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { jobId: string; kind: string });
    await expect.poll(() => read().length, { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(10);
    await new Promise((r) => setTimeout(r, 500)); // room for a wrong second delivery to show up
    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));
    const got = read();
    expect(got.map((d) => d.jobId).sort()).toEqual([...ids].sort());
    expect(got.filter((d) => d.kind !== 'result')).toEqual([]);
    expect(mock.stats().submits).toBe(10);
  } finally {
    await mock.close();
  }
});
