/**
 * The consent box in real headless Chromium (FACE_CONSENT=once): shown on a first visit,
 * Create without ticking it shows the refusal next to it and keeps the form, ticking it makes
 * the video, and then the box is gone (this browser is remembered).
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
  h = await startHarness({ env: { FACE_CONSENT: 'once' } });
  playground = createPlayground({ enabled: true, token: undefined }, { core: h.core, logger: pino({ level: 'silent' }), router: h.http });
  await h.startCore();
  files = mkdtempSync(join(tmpdir(), 'pg-consent-'));
  writeFileSync(join(files, 'face.jpg'), await makeFaceJpeg());
  writeFileSync(join(files, 'hello.wav'), await makeToneWav(1));
});

afterAll(async () => {
  await browser?.close();
  await playground?.stop();
  await h?.stop();
  if (files !== undefined) rmSync(files, { recursive: true, force: true });
});

it('asks with the box, refuses beside it while unticked, makes the video once ticked, then no longer asks', {
  timeout: 90_000,
}, async () => {
  if (h === undefined || files === undefined) throw new Error('setup failed');
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  // The refused upload is a 403 the page expects: the console line for it is not a problem.
  const problems = watchProblems(page);

  await page.goto(`${h.http.url()}/`);
  await page.locator('#consent-row').waitFor({ state: 'visible', timeout: 10_000 });
  expect(await page.locator('#consent-label').textContent()).toBe('This is my face, or I have permission to use it');
  await page.setInputFiles('#image-input', join(files, 'face.jpg'));
  await page.setInputFiles('#audio-input', join(files, 'hello.wav'));
  await page.click('#create-btn');

  await page.locator('#consent-error').waitFor({ state: 'visible', timeout: 10_000 });
  expect(await page.locator('#consent-error').textContent()).toContain('please confirm that it is yours');
  expect(await page.locator('#form-error').isHidden()).toBe(true);
  expect(h.mock.stats().submits).toBe(0);
  expect(await page.locator('#thread .job').count()).toBe(0);

  // The form kept the face and the voice note: ticking the box is all it takes.
  await page.check('#consent-input');
  expect(await page.locator('#consent-error').isHidden()).toBe(true);
  await page.click('#create-btn');
  await page.locator('#thread .job').first().waitFor({ timeout: 10_000 });
  await page.locator('#consent-row').waitFor({ state: 'hidden', timeout: 5_000 });
  await page.locator('#thread video[src]').waitFor({ timeout: 45_000 });

  // A reload: this browser is remembered, the box stays away.
  await page.reload();
  await page.locator('#limits').filter({ hasText: 'Limits' }).waitFor({ timeout: 10_000 });
  expect(await page.locator('#consent-row').isHidden()).toBe(true);
  expect(problems.filter((p) => !p.includes('403'))).toEqual([]);
});
