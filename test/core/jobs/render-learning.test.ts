/**
 * What the engine learns from finished renders (the ratio and its spread, which place the poll
 * window) is kept in the store's values, read back at start, and falls back to the settings when
 * the stored text is unusable.
 */
import { afterEach, expect, test } from 'vitest';
import { defaultPollPlan } from '../../../src/core/schedule/policy.js';
import { coreWithReply, testRequest as request } from '../../helpers/core-with-reply.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

test('the learned ratio and spread are read back at start, and a finished job moves and stores both', async () => {
  const { h, reply } = await coreWithReply(cleanups, { mockOptions: { queueMs: 100, renderMs: () => 600 } }, false);
  await h.store.setValue('render_ratio', '40');
  await h.store.setValue('render_spread', '0.7');
  await h.startCore();
  expect(h.engine.renderRatio()).toBe(40);
  expect(h.engine.renderSpread()).toBe(0.7);
  const job = await h.core.jobs.create(await request());
  expect((await reply.waitForFinal(job.id)).kind).toBe('result');
  // A render far quicker than a ratio of 40 lowers the ratio; the spread moves from 0.7.
  expect(h.engine.renderRatio()).toBeLessThan(40);
  expect(h.engine.renderSpread()).not.toBe(0.7);
  expect(await h.store.getValue('render_ratio')).toBe(String(h.engine.renderRatio()));
  expect(await h.store.getValue('render_spread')).toBe(String(h.engine.renderSpread()));
});

test('unusable stored values fall back to the configured ratio and the plan’s spread', async () => {
  const { h } = await coreWithReply(cleanups, {}, false);
  await h.store.setValue('render_ratio', 'not a number');
  await h.store.setValue('render_spread', '-1');
  await h.startCore();
  expect(h.engine.renderRatio()).toBe(h.config.avatar.renderRatio);
  expect(h.engine.renderSpread()).toBe(defaultPollPlan.spread);
});
