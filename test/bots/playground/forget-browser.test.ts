/**
 * The playground's "Forget me" button in real headless Chromium: after a video, pressing it
 * (and confirming) empties the page and the store of this browser's data and says what went.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPlayground, type Playground } from '../../../src/bots/playground/index.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { launchChromium, watchProblems } from './helpers/chromium.js';
import { makeFaceJpeg, makeToneWav } from './helpers/media.js';

let h: Harness | undefined;
let playground: Playground | undefined;
let browser: Browser | undefined;
let files: string | undefined;

beforeAll(async () => {
  h = await startHarness();
  playground = createPlayground({ enabled: true, token: undefined }, { core: h.core, logger: pino({ level: 'silent' }), router: h.http });
  await h.startCore();
  files = mkdtempSync(join(tmpdir(), 'pg-forget-'));
  writeFileSync(join(files, 'face.jpg'), await makeFaceJpeg());
  writeFileSync(join(files, 'hello.wav'), await makeToneWav(1));
});

afterAll(async () => {
  await browser?.close();
  await playground?.stop();
  await h?.stop();
  if (files !== undefined) rmSync(files, { recursive: true, force: true });
});

it('Forget me: confirm, the thread empties, the answer says what was deleted, the store keeps nothing', { timeout: 90_000 }, async () => {
  if (h === undefined || files === undefined) throw new Error('setup failed');
  browser = await launchChromium();
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = watchProblems(page);

  await page.goto(`${h.http.url()}/`);
  await page.locator('#limits').filter({ hasText: 'Limits' }).waitFor({ timeout: 10_000 });
  await page.setInputFiles('#image-input', join(files, 'face.jpg'));
  await page.setInputFiles('#audio-input', join(files, 'hello.wav'));
  await page.locator('#image-preview').waitFor({ state: 'visible', timeout: 5_000 });
  await page.click('#create-btn');
  await page.locator('#thread video[src]').waitFor({ timeout: 25_000 });
  const browserId = (await context.cookies()).find((c) => c.name === 'pg_browser')?.value ?? '';
  const [job] = await h.core.jobs.listForRequester('playground', browserId, 1);
  if (job === undefined) throw new Error('no job for this browser');
  await expect.poll(async () => (await h?.core.jobs.get(job.id))?.delivered, { timeout: 20_000 }).toBe(true);

  const asked: string[] = [];
  page.once('dialog', (d) => {
    asked.push(d.message());
    void d.accept();
  });
  await page.click('#forget-btn');
  const result = page.locator('#forget-result');
  await result.waitFor({ state: 'visible', timeout: 10_000 });
  expect(asked).toHaveLength(1);
  expect(asked[0]).toContain('Delete your saved face');
  expect(await result.textContent()).toBe('Deleted your saved face, 1 video. Nothing else of yours is kept.');
  expect(await page.locator('#thread .job').count()).toBe(0);
  expect(await page.locator('#empty').isVisible()).toBe(true);
  expect(await h.core.jobs.get(job.id)).toBeNull();
  expect(await h.core.faces.get('playground', browserId)).toBeNull();
  // A reload lists nothing either: the store is the truth.
  await page.reload();
  await page.locator('#limits').filter({ hasText: 'Limits' }).waitFor({ timeout: 10_000 });
  expect(await page.locator('#thread .job').count()).toBe(0);
  expect(problems).toEqual([]);
});
