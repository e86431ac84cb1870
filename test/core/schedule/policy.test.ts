import { describe, expect, test } from 'vitest';
import {
  defaultPollPlan,
  estimateEta,
  learnRatio,
  nextPollDelay,
  pollDelay,
  ETA_OVERHEAD_MS,
  type PollPlan,
  type PollPolicy,
} from '../../../src/core/schedule/policy.js';

const plan: PollPlan = { ...defaultPollPlan, jitter: 0 };
const mid = () => 0.5; // no jitter either way
const at = (now: number, etaAt: number, pollCount: number, failures = 0) => nextPollDelay({ now, etaAt, pollCount, failures }, plan, mid);

describe('nextPollDelay', () => {
  test('the first poll comes soon after submit, whatever the ETA', () => {
    expect(at(0, 60_000, 0)).toBe(plan.firstMs);
  });

  test('long before the ETA it sleeps towards the approach window, never longer than the cap', () => {
    expect(at(0, 15_000, 1)).toBe(15_000 - plan.approachMs); // 3 s: lands at the window's start
    expect(at(0, 120_000, 1)).toBe(plan.maxIntervalMs);
  });

  test('around the ETA (inside the window, either side) it polls at the steady interval', () => {
    expect(at(0, 5_000, 3)).toBe(plan.minIntervalMs);
    expect(at(10_000, 5_000, 5)).toBe(plan.minIntervalMs);
  });

  test('far past the ETA the waits grow with how overdue the job is, up to the cap', () => {
    const a = at(30_000, 0, 9);
    const b = at(60_000, 0, 12);
    expect(a).toBeGreaterThan(plan.minIntervalMs);
    expect(b).toBeGreaterThan(a);
    expect(at(10_000_000, 0, 99)).toBe(plan.maxIntervalMs);
  });

  test('failed polls back off exponentially, capped', () => {
    const waits = [1, 2, 3, 4, 10].map((f) => at(0, 0, 3, f));
    expect(waits[1]!).toBe(2 * waits[0]!);
    expect(waits[2]!).toBe(2 * waits[1]!);
    expect(waits[4]).toBe(plan.maxIntervalMs);
  });

  test('jitter spreads delays within ±jitter and never below 1 ms', () => {
    const jittery = { ...defaultPollPlan, jitter: 0.1 };
    const lo = nextPollDelay({ now: 0, etaAt: 0, pollCount: 0 }, jittery, () => 0);
    const hi = nextPollDelay({ now: 0, etaAt: 0, pollCount: 0 }, jittery, () => 0.999999);
    expect(lo).toBe(Math.round(jittery.firstMs * 0.9));
    expect(hi).toBe(Math.round(jittery.firstMs * 1.1));
  });
});

test('the ETA is the overhead plus audio length times the ratio', () => {
  expect(estimateEta(1000, 10, 1.5)).toBe(1000 + ETA_OVERHEAD_MS + 15_000);
});

test('the learned ratio moves towards observations, and one odd job cannot wreck it', () => {
  const r = learnRatio(1.5, 1.0);
  expect(r).toBeLessThan(1.5);
  expect(r).toBeGreaterThan(1.0);
  expect(learnRatio(1.5, 1000)).toBeLessThanOrEqual(1.5 * 0.8 + 1.5 * 4 * 0.2 + 1e-9);
  expect(learnRatio(1.5, Number.NaN)).toBe(1.5);
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
