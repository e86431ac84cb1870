/**
 * Delete beside each video, and the avatar service's queue, in real headless Chromium against
 * the real core, job store and local avatar server: the inline "Delete? Yes / No", the video
 * leaving this tab and the browser's other tab, a reload that does not bring it back; a video
 * held in the service's queue shown as waiting, without an ETA, and deleted from there; a
 * rendering one with its rendering clock and ETA.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlayground, type Playground } from '../../../src/bots/playground/index.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { launchChromium, watchProblems } from './helpers/chromium.js';
import { makeFaceJpeg, makeToneWav } from './helpers/media.js';

let browser: Browser | undefined;
let files: string | undefined;
const stops: Array<() => Promise<void>> = [];

/** A core and a playground on the local avatar server; `queueMs` holds each task IN_QUEUE that long. */
async function start(mockOptions: { queueMs?: number; renderMs?: () => number } = {}): Promise<Harness> {
  const h = await startHarness({ preview: true, mockOptions });
  const playground: Playground = createPlayground(
    { enabled: true, token: undefined },
    { core: h.core, logger: pino({ level: 'silent' }), router: h.http },
  );
  stops.push(async () => {
    await playground.stop();
    await h.stop();
  });
  await h.startCore();
  return h;
}

beforeAll(async () => {
  files = mkdtempSync(join(tmpdir(), 'pg-delete-'));
  writeFileSync(join(files, 'face.jpg'), await makeFaceJpeg());
  writeFileSync(join(files, 'hello.wav'), await makeToneWav(1));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const stop of stops.splice(0).reverse()) await stop();
  if (files !== undefined) rmSync(files, { recursive: true, force: true });
});

async function open(page: Page, h: Harness): Promise<void> {
  await page.goto(`${h.http.url()}/`);
  await page.locator('#limits').filter({ hasText: 'Limits' }).waitFor({ timeout: 10_000 });
}

/** Sends the face and the voice note; resolves once this page shows one more job. */
async function createVideo(page: Page): Promise<void> {
  if (files === undefined) throw new Error('setup failed');
  const before = await page.locator('#thread .job').count();
  await page.setInputFiles('#image-input', join(files, 'face.jpg'));
  await page.setInputFiles('#audio-input', join(files, 'hello.wav'));
  await page.click('#create-btn');
  await expect.poll(() => page.locator('#thread .job').count(), { timeout: 10_000 }).toBe(before + 1);
  await expect.poll(() => page.locator('#create-btn').isDisabled(), { timeout: 10_000 }).toBe(false);
}

describe('Delete beside a video', () => {
  it('asks inline, removes the video from this tab and the other tab, and a reload does not bring it back', {
    timeout: 90_000,
  }, async () => {
    const h = await start();
    if (browser === undefined) throw new Error('setup failed');
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await open(page, h);
    await createVideo(page);
    await createVideo(page);
    await expect.poll(() => page.locator('#thread video[src]').count(), { timeout: 30_000 }).toBe(2);
    expect(await page.locator('#thread .ai-label').first().textContent()).toMatch(/^AI-generated/);

    // The same browser's other tab lists both.
    const other = await context.newPage();
    const otherProblems = watchProblems(other);
    await open(other, h);
    await expect.poll(() => other.locator('#thread video[src]').count(), { timeout: 10_000 }).toBe(2);

    const first = page.locator('#thread .job').first();
    const id = await first.getAttribute('data-job-id');
    if (id === null) throw new Error('a job without its id');

    // "No" leaves it be; the question is beside the video, not a browser dialog.
    page.on('dialog', (d) => problems.push(`dialog: ${d.message()}`));
    await first.locator('.delete-btn').click();
    expect(await first.locator('.delete-question').textContent()).toBe('Delete this video?');
    expect(await first.locator('.delete-btn').isHidden()).toBe(true);
    await first.locator('.delete-no').click();
    expect(await first.locator('.delete-confirm').isHidden()).toBe(true);
    expect(await page.locator('#thread .job').count()).toBe(2);
    expect((await h.core.jobs.get(id))?.discardedAt).toBeNull();

    await first.locator('.delete-btn').click();
    await first.locator('.delete-yes').click();
    const gone = `#thread .job[data-job-id="${id}"]`;
    await page.locator(gone).waitFor({ state: 'detached', timeout: 10_000 });
    expect(await page.locator('#thread .job').count()).toBe(1);
    // The other tab is told by its live events.
    await other.locator(gone).waitFor({ state: 'detached', timeout: 10_000 });
    expect(await other.locator('#thread .job').count()).toBe(1);
    expect((await h.core.jobs.get(id))?.discardedAt).toEqual(expect.any(Number));

    // A reload lists the other video again, and not the deleted one.
    await page.reload();
    await page.locator('#thread video[src]').waitFor({ timeout: 10_000 });
    expect(await page.locator('#thread .job').count()).toBe(1);
    expect(await page.locator(gone).count()).toBe(0);
    expect(await page.locator('#form-error').isHidden()).toBe(true);
    expect(problems).toEqual([]);
    expect(otherProblems).toEqual([]);
    await context.close();
  });
});

describe("the avatar service's queue", () => {
  it('shows a video held in the queue as waiting, without an ETA, also after a reload; Delete cancels it first', {
    timeout: 90_000,
  }, async () => {
    // Each task waits in the service's queue far longer than this test runs.
    const h = await start({ queueMs: 120_000, renderMs: () => 180_000 });
    if (browser === undefined) throw new Error('setup failed');
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await open(page, h);
    await createVideo(page);

    const job = page.locator('#thread .job').first();
    await job.locator('.status').filter({ hasText: 'Waiting at the avatar service…' }).waitFor({ timeout: 15_000 });
    expect(await job.locator('.timing').textContent()).toMatch(/^elapsed /);
    expect(await job.locator('.timing').textContent()).not.toMatch(/left|any moment/);
    const id = await job.getAttribute('data-job-id');
    if (id === null) throw new Error('a job without its id');
    expect((await h.core.jobs.get(id))?.taskStatus).toBe('IN_QUEUE');

    await page.reload();
    await page.locator('#thread .job .status').filter({ hasText: 'Waiting at the avatar service…' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#thread .job .timing').textContent()).not.toMatch(/left|any moment/);

    // A video still being made: the question says it is canceled first.
    await page.locator('#thread .job .delete-btn').click();
    expect(await page.locator('#thread .job .delete-question').textContent()).toBe('Cancel it and delete it?');
    await page.locator('#thread .job .delete-yes').click();
    await page.locator('#thread .job').waitFor({ state: 'detached', timeout: 10_000 });
    expect(await page.locator('#empty').isVisible()).toBe(true);
    const stored = await h.core.jobs.get(id);
    expect(stored?.state).toBe('canceled');
    expect(stored?.discardedAt).toEqual(expect.any(Number));
    expect(problems).toEqual([]);
    await context.close();
  });

  it('once the service renders, the page counts rendering time and shows the ETA', { timeout: 60_000 }, async () => {
    // Straight out of the queue, then a long render.
    const h = await start({ queueMs: 0, renderMs: () => 180_000 });
    if (browser === undefined) throw new Error('setup failed');
    const page = await browser.newPage();
    const problems = watchProblems(page);
    await open(page, h);
    await createVideo(page);
    const job = page.locator('#thread .job').first();
    await job.locator('.status').filter({ hasText: 'Rendering…' }).waitFor({ timeout: 15_000 });
    await job
      .locator('.timing')
      .filter({ hasText: /^rendering for \d+:\d\d · (about \d+:\d\d left|any moment now)$/ })
      .waitFor({ timeout: 5_000 });
    await job.locator('.delete-btn').click();
    await job.locator('.delete-yes').click();
    await job.waitFor({ state: 'detached', timeout: 10_000 });
    expect(problems).toEqual([]);
    await page.close();
  });
});
