/**
 * The scale-out proof: one gateway and three workers (real `src/main.ts` processes) sharing one
 * Redis, 300 /avatar interactions through the fake Discord, one worker killed with SIGKILL
 * half-way. Every interaction gets exactly one answer, nothing is submitted twice, and no
 * answer arrives outside the interaction's own message. The figures (jobs per second, answer
 * latency) are the benchmark's (figure 6 in BENCHMARKS.md); this test only judges correctness.
 */
import { expect, test } from 'vitest';
import { runReplicaScenario } from '../helpers/replicas.js';

const JOBS = 300;

test('3 workers + 1 gateway on Redis, 300 jobs, a worker SIGKILLed half-way: every job answered exactly once', {
  timeout: 300_000,
}, async () => {
  const r = await runReplicaScenario({
    jobs: JOBS,
    workers: 3,
    killAfter: JOBS / 2,
    timeoutMs: 200_000,
    renderMs: () => 1000 + Math.random() * 1000,
  });
  const context = JSON.stringify(r.logs).slice(-4000);
  expect(r.killedAt, 'a worker was killed').not.toBeNull();
  // Every interaction: one final answer. A repeat of the same edit would still show as a second entry here.
  const counts = r.outcomes.map((o) => o.finals.length);
  expect(counts.filter((n) => n === 0).length, context).toBe(0);
  const repeated = r.outcomes
    .filter((o) => o.finals.length > 1)
    .map((o) => ({
      token: o.token.slice(-6),
      finals: o.finals.map((f) => ({ afterKillMs: f.at - (r.killedAt ?? 0), content: f.content.slice(0, 60) })),
    }));
  expect(repeated, 'interactions answered more than once').toEqual([]);
  expect(
    r.outcomes.reduce((n, o) => n + o.extraMessages, 0),
    'answers outside @original',
  ).toBe(0);
  // Answers are the video, or (a submit cut by the kill) the plain "press Retry" message: never a crash text.
  const kinds = r.outcomes.map((o) => o.finals[0]?.content ?? '');
  const videos = kinds.filter((c) => /ready/i.test(c)).length;
  const interrupted = kinds.filter((c) => /restarted while sending your video/i.test(c)).length;
  expect(videos + interrupted).toBe(JOBS);
  // Roles: only the gateway opened a Discord session, and the workers, not the gateway, answered.
  expect(r.identifies).toBe(1);
  expect(r.deliveredBy['gateway']).toBe(0);
  const byWorkers = Object.entries(r.deliveredBy).filter(([name]) => name.startsWith('worker-'));
  expect(byWorkers.filter(([, n]) => n > 0).length, JSON.stringify(r.deliveredBy)).toBeGreaterThanOrEqual(2);
  // Never sent twice: at most one submit per job, and every video came from a submit.
  expect(r.submits).toBeLessThanOrEqual(JOBS);
  expect(r.submits).toBeGreaterThanOrEqual(videos);
});
