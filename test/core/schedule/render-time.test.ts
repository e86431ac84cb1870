import { describe, expect, test } from 'vitest';
import { ETA_OVERHEAD_MS } from '../../../src/core/schedule/policy.js';
import {
  learnRatio,
  learnSpread,
  observedRatio,
  renderEta,
  SPREAD_BOUNDS,
  startedBetween,
  storedNumber,
} from '../../../src/core/schedule/render-time.js';

describe('renderEta', () => {
  test('before the service started rendering: from submit, with the fixed allowance for upload and queue', () => {
    expect(renderEta({ submittedAt: 1000, renderStartedAt: null, audioSeconds: 10 }, 1.5)).toEqual({
      etaAt: 1000 + ETA_OVERHEAD_MS + 15_000,
      renderMs: 15_000,
    });
  });

  test('once it said IN_PROGRESS: from there, without the allowance (the queue is behind it)', () => {
    expect(renderEta({ submittedAt: 1000, renderStartedAt: 9000, audioSeconds: 10 }, 1.5)).toEqual({ etaAt: 24_000, renderMs: 15_000 });
  });

  test('the observed ratio is measured from the same anchor, so a job on time observes the ratio it was planned with', () => {
    for (const renderStartedAt of [null, 9000]) {
      const job = { submittedAt: 1000, renderStartedAt, audioSeconds: 10 };
      expect(observedRatio(job, renderEta(job, 1.5).etaAt)).toBeCloseTo(1.5, 9);
    }
    expect(observedRatio({ submittedAt: 0, renderStartedAt: 0, audioSeconds: 0 }, 5000)).toBeNaN();
  });
});

describe('startedBetween', () => {
  test('a render first seen running began in the middle of the gap since the job was last seen queued', () => {
    expect(startedBetween(10_000, 14_000)).toBe(12_000);
    // Seen at once (the submit said IN_PROGRESS, or a write at the same instant): no earlier.
    expect(startedBetween(14_000, 14_000)).toBe(14_000);
    // A clock that went back never dates the start after the sighting.
    expect(startedBetween(15_000, 14_000)).toBe(14_000);
  });

  test('placed in the middle, a short render is measured at its true ratio on average; dated at the sighting it reads shorter', () => {
    // A 5 s clip rendering at 1.2 from 200 ms after submit; the first poll comes 1.5 s after submit.
    const job = (renderStartedAt: number) => ({ submittedAt: 0, renderStartedAt, audioSeconds: 5 });
    const done = 200 + 6000;
    const middle = observedRatio(job(startedBetween(0, 1500)), done);
    const sighting = observedRatio(job(1500), done);
    expect(Math.abs(middle - 1.2)).toBeLessThan(Math.abs(sighting - 1.2));
  });
});

test('the learned ratio moves towards observations, and one odd job cannot wreck it', () => {
  const r = learnRatio(1.5, 1.0);
  expect(r).toBeLessThan(1.5);
  expect(r).toBeGreaterThan(1.0);
  expect(learnRatio(1.5, 1000)).toBeLessThanOrEqual(1.5 * 0.8 + 1.5 * 4 * 0.2 + 1e-9);
  expect(learnRatio(1.5, Number.NaN)).toBe(1.5);
});

describe('learnSpread', () => {
  test('renders on their estimate narrow it, renders off it widen it', () => {
    expect(learnSpread(0.3, 1.2, 1.2)).toBeLessThan(0.3);
    expect(learnSpread(0.1, 1.2, 1.8)).toBeGreaterThan(0.1);
  });

  test('it settles near the sigma of log-normal render times around the estimate', () => {
    // Deviations of +-sigma x sqrt(2/pi) average the mean absolute deviation of a normal draw.
    const sigma = 0.2;
    const off = Math.exp(sigma * Math.sqrt(2 / Math.PI));
    let spread = 0.6;
    for (let i = 0; i < 200; i += 1) spread = learnSpread(spread, 1.2, i % 2 === 0 ? 1.2 * off : 1.2 / off);
    expect(spread).toBeCloseTo(sigma, 3);
  });

  test('one wild job moves it by at most a bounded step, and it stays within its bounds', () => {
    expect(learnSpread(0.2, 1.2, 1000)).toBeLessThanOrEqual(0.2 * 0.9 + 0.2 * 4 * 0.1 + 1e-9);
    let low = 0.2;
    let high = 0.2;
    for (let i = 0; i < 500; i += 1) {
      low = learnSpread(low, 1.2, 1.2);
      high = learnSpread(high, 1.2, i % 2 === 0 ? 12 : 0.12);
    }
    expect(low).toBe(SPREAD_BOUNDS.min);
    expect(high).toBe(SPREAD_BOUNDS.max);
  });

  test('an observation that is not a positive number changes nothing', () => {
    for (const bad of [Number.NaN, 0, -1, Number.POSITIVE_INFINITY]) expect(learnSpread(0.25, 1.2, bad)).toBe(0.25);
  });
});

test('a stored value reads back as a positive number, or the fallback', () => {
  expect(storedNumber('0.21', 0.3)).toBe(0.21);
  for (const bad of [null, '', 'x', '0', '-1', 'Infinity']) expect(storedNumber(bad, 0.3)).toBe(0.3);
});
