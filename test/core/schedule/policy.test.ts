import { describe, expect, test } from 'vitest';
import {
  defaultPollPlan,
  estimateEta,
  nextPollDelay,
  pollDelay,
  pollWindow,
  ETA_OVERHEAD_MS,
  type PollPlan,
  type PollPolicy,
} from '../../../src/core/schedule/policy.js';

const plan: PollPlan = { ...defaultPollPlan, jitter: 0 };
const mid = () => 0.5;
const at = (now: number, etaAt: number, pollCount: number, failures = 0) => nextPollDelay({ now, etaAt, pollCount, failures }, plan, mid);

/** A 60 s render expected to end at t = 60 s, at a spread of 0.2. */
const long = { etaAt: 60_000, renderMs: 60_000, spread: 0.2 };
const polled = (now: number, spread = long.spread, pollCount = 3) => nextPollDelay({ ...long, spread, now, pollCount }, plan, mid);

describe('nextPollDelay', () => {
  test('the first poll comes soon after submit, whatever the ETA', () => {
    expect(at(0, 60_000, 0)).toBe(plan.firstMs);
  });

  test('the window scales with the render and the spread, and is wider after the ETA than before', () => {
    const w = pollWindow(long, plan);
    expect(w.leadAt).toBeLessThan(w.denseAt);
    expect(w.denseAt).toBeCloseTo(60_000 - 60_000 * (1 - Math.exp(-plan.windowSpreads * 0.2)), 0);
    expect(w.denseUntil).toBeCloseTo(60_000 + 60_000 * (Math.exp(plan.tailSpreads * 0.2) - 1), 0);
    expect(w.denseUntil - 60_000).toBeGreaterThan(60_000 - w.denseAt);
    const wider = pollWindow({ ...long, spread: 0.4 }, plan);
    expect(wider.denseAt).toBeLessThan(w.denseAt);
    expect(wider.denseUntil).toBeGreaterThan(w.denseUntil);
    const shorter = pollWindow({ ...long, renderMs: 30_000 }, plan);
    expect(shorter.denseAt).toBeGreaterThan(w.denseAt);
  });

  test('a short render still gets approachMs of dense polling either side of its ETA', () => {
    const w = pollWindow({ etaAt: 5000, renderMs: 1000, spread: 0.2 }, plan);
    expect(w.denseAt).toBe(5000 - plan.approachMs);
    expect(w.denseUntil).toBe(5000 + plan.approachMs);
  });

  test('long before the window it sleeps towards the lead zone, never longer than the cap', () => {
    const { leadAt } = pollWindow(long, plan);
    expect(polled(leadAt - 5000)).toBe(5000);
    expect(polled(0)).toBe(plan.maxIntervalMs);
  });

  test('in the lead zone it polls at twice the dense interval, and lands on the window without overshooting it', () => {
    const { leadAt, denseAt } = pollWindow(long, plan);
    expect(polled(leadAt)).toBe(2 * plan.minIntervalMs);
    expect(polled(denseAt - 3000)).toBe(3000);
    // Close to the lead zone: its pace already, not a short hop to its start.
    expect(polled(leadAt - 3000)).toBe(2 * plan.minIntervalMs);
  });

  test('inside the dense window, either side of the ETA, it polls at the dense interval', () => {
    const { denseAt, denseUntil } = pollWindow(long, plan);
    for (const now of [denseAt, 55_000, 60_000, 70_000, denseUntil]) expect(polled(now)).toBe(plan.minIntervalMs);
  });

  test('past the window the waits grow with how overdue the job is, up to the cap', () => {
    const { denseUntil } = pollWindow(long, plan);
    const a = polled(denseUntil + 10_000);
    const b = polled(denseUntil + 40_000);
    expect(a).toBeGreaterThan(plan.minIntervalMs);
    expect(b).toBeGreaterThan(a);
    expect(polled(denseUntil + 10_000_000)).toBe(plan.maxIntervalMs);
  });

  test('without a known render length or spread it uses approachMs and the plan spread', () => {
    expect(at(0, 60_000, 3)).toBe(plan.maxIntervalMs);
    expect(at(60_000 - plan.approachMs, 60_000, 3)).toBe(plan.minIntervalMs);
    expect(pollWindow({ etaAt: 60_000, renderMs: 60_000 }, plan)).toEqual(pollWindow({ ...long, spread: plan.spread }, plan));
  });

  test('the cap (AVATAR_POLL_MAX_INTERVAL_SECONDS) bounds every wait, the lead pace too', () => {
    const tight = { ...plan, maxIntervalMs: 3000 };
    const { leadAt } = pollWindow(long, tight);
    expect(nextPollDelay({ ...long, now: 0, pollCount: 2 }, tight, mid)).toBe(3000);
    expect(nextPollDelay({ ...long, now: leadAt, pollCount: 2 }, tight, mid)).toBe(3000);
  });

  test('failed polls back off exponentially, capped', () => {
    const waits = [1, 2, 3, 4, 10].map((f) => at(0, 0, 3, f));
    expect(waits[1]!).toBe(2 * waits[0]!);
    expect(waits[2]!).toBe(2 * waits[1]!);
    expect(waits[4]).toBe(plan.maxIntervalMs);
  });

  test('jitter only shortens a delay, by at most its share, and never below 1 ms', () => {
    const jittery = { ...defaultPollPlan, jitter: 0.1 };
    const lo = nextPollDelay({ now: 0, etaAt: 0, pollCount: 0 }, jittery, () => 0.999999);
    const hi = nextPollDelay({ now: 0, etaAt: 0, pollCount: 0 }, jittery, () => 0);
    expect(lo).toBe(Math.round(jittery.firstMs * 0.9));
    expect(hi).toBe(jittery.firstMs);
    expect(nextPollDelay({ now: 0, etaAt: 0, pollCount: 0 }, { ...jittery, firstMs: 0, jitter: 1 }, () => 0.999999)).toBe(1);
  });
});

test('the ETA from submit is the overhead plus audio length times the ratio', () => {
  expect(estimateEta(1000, 10, 1.5)).toBe(1000 + ETA_OVERHEAD_MS + 15_000);
});

describe('pollDelay with webhooks (polls are only a safety net)', () => {
  const hooks: PollPolicy = { plan, webhookFallbackMs: 20_000 };
  const low = () => 0;
  const high = () => 0.999999;

  test('the first safety poll waits twice the expected render when that is longer than the fallback', () => {
    // ETA 30 s away: 60 s, ±10 %.
    expect(pollDelay({ now: 0, etaAt: 30_000, pollCount: 0 }, hooks, mid)).toBe(60_000);
    expect(pollDelay({ now: 0, etaAt: 30_000, pollCount: 0 }, hooks, low)).toBe(54_000);
    expect(pollDelay({ now: 0, etaAt: 30_000, pollCount: 0 }, hooks, high)).toBe(66_000);
  });

  test('a first safety poll for a short render still waits the fallback interval', () => {
    expect(pollDelay({ now: 0, etaAt: 3_000, pollCount: 0 }, hooks, mid)).toBe(20_000);
  });

  test('later safety polls come every fallback interval, ±10 %, whatever the ETA', () => {
    for (const etaAt of [0, 60_000, 600_000]) {
      expect(pollDelay({ now: 0, etaAt, pollCount: 3 }, hooks, mid)).toBe(20_000);
      expect(pollDelay({ now: 0, etaAt, pollCount: 3 }, hooks, low)).toBe(18_000);
      expect(pollDelay({ now: 0, etaAt, pollCount: 3 }, hooks, high)).toBe(22_000);
    }
  });

  test('a failed poll backs off as without webhooks, not at the slow fallback pace', () => {
    const p = { now: 0, etaAt: 30_000, pollCount: 3, failures: 2 };
    expect(pollDelay(p, hooks, mid)).toBe(nextPollDelay(p, plan, mid));
    expect(pollDelay(p, hooks, mid)).toBeLessThan(hooks.webhookFallbackMs!);
  });

  test('without webhooks it is the ETA-driven schedule', () => {
    const polls: PollPolicy = { plan, webhookFallbackMs: undefined };
    const moments = [
      { now: 0, etaAt: 30_000, pollCount: 0 },
      { now: 0, etaAt: 30_000, pollCount: 4 },
      { now: 90_000, etaAt: 30_000, pollCount: 9 },
    ];
    for (const p of moments) {
      expect(pollDelay(p, polls, mid)).toBe(nextPollDelay(p, plan, mid));
    }
  });
});
