/**
 * End to end in real headless Chromium: the page, the real core and job store, the local avatar
 * server. Uploads a face and a voice note, presses Create, waits for the video, screenshots it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { createPlayground, type Playground } from '../../../src/bots/playground/index.js';
import { launchChromium, watchProblems } from './helpers/chromium.js';
import { makeFacePng } from '../../preview-avatar/talking-fixtures.js';
import { makeFaceJpeg, makeToneWav } from './helpers/media.js';

/**
 * The page's document, typed just enough for the checks below (this project's TypeScript has no
 * DOM types). Only for functions that run in the page: waitForFunction must get functions, not
 * strings, because the page's CSP forbids eval.
 */
type PageDoc = { querySelector(selector: string): { value?: number; textContent: string | null } | null };

let h: Harness | undefined;
let playground: Playground | undefined;
let browser: Browser | undefined;
let files: string | undefined;

beforeAll(async () => {
  // Preview mode, what a new user without an API key gets (its CSP once carried an invalid source).
  h = await startHarness({ preview: true });
  playground = createPlayground({ enabled: true, token: undefined }, { core: h.core, logger: pino({ level: 'silent' }), router: h.http });
  await h.startCore();
  files = mkdtempSync(join(tmpdir(), 'pg-browser-'));
  writeFileSync(join(files, 'face.jpg'), await makeFaceJpeg());
  // A face the preview's landmark model finds: the video is the talking face, not the still one.
  writeFileSync(join(files, 'face.png'), await makeFacePng());
  writeFileSync(join(files, 'hello.wav'), await makeToneWav(2));
});

afterAll(async () => {
  await browser?.close();
  await playground?.stop();
  await h?.stop();
  if (files !== undefined) rmSync(files, { recursive: true, force: true });
});

describe('playground in Chromium', () => {
  it('creates a video from an uploaded face and voice note and plays it inline', { timeout: 90_000 }, async () => {
    if (h === undefined || files === undefined) throw new Error('setup failed');
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
    const problems = watchProblems(page);

    await page.goto(`${h.http.url()}/`);
    await page.locator('#limits').filter({ hasText: 'Limits' }).waitFor({ timeout: 10_000 });
    await page.setInputFiles('#image-input', join(files, 'face.png'));
    await page.setInputFiles('#audio-input', join(files, 'hello.wav'));
    await page.locator('#image-preview').waitFor({ state: 'visible', timeout: 5_000 });
    await page.click('#create-btn');

    // The job shows up in the thread, then its video arrives over SSE.
    await page.locator('#thread .job').first().waitFor({ timeout: 10_000 });
    const video = page.locator('#thread video[src]');
    await video.waitFor({ timeout: 45_000 });
    const src = await video.getAttribute('src');
    // This server's tagged copy when the core handed one over, else the preview server's file.
    const job = (
      await h.core.jobs.listForRequester(
        'playground',
        (await page.context().cookies()).find((c) => c.name === 'pg_browser')?.value ?? '',
        1,
      )
    )[0];
    expect(src === `/api/jobs/${job?.id}/video.mp4` || /^http:\/\/127\.0\.0\.1:\d+\/files\//.test(src ?? '')).toBe(true);
    // The preview talked: its status answer carries no note saying why the face stayed still.
    const taskId = /preview-([^/.]+)\.mp4$/.exec(job?.fileUrl ?? '')?.[1] ?? '';
    const status = (await (await fetch(`${h.mock.url}/v1/video/async_generate_talking_avatar/${taskId}/status`)).json()) as {
      data: { status: string; preview_note?: string };
    };
    expect(status.data).toMatchObject({ status: 'COMPLETED' });
    expect(status.data.preview_note).toBeUndefined();
    expect(await page.locator('#thread .status').first().textContent()).toMatch(/^Done/);
    expect(await page.locator('#form-error').isHidden()).toBe(true);
    // The video really decodes in the browser: seek a little and wait (bounded) for the frame.
    // (Page code is given as strings: this project's TypeScript has no DOM types.)
    const decoded = await page.evaluate<boolean>(`new Promise((resolve) => {
      const v = document.querySelector('#thread video');
      if (v === null) return resolve(false);
      const t = setTimeout(() => resolve(false), 8000);
      v.addEventListener('seeked', () => { clearTimeout(t); resolve(v.videoWidth > 0); }, { once: true });
      v.preload = 'auto';
      v.currentTime = 0.05;
    })`);
    expect(decoded).toBe(true);
    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/playground.png', fullPage: true });

    // A reload lists the job again from the store (same cookie).
    await page.reload();
    await page.locator('#thread video[src]').waitFor({ timeout: 10_000 });
    expect(await page.locator('#thread .job').count()).toBe(1);
    expect(await page.locator('#thread video').getAttribute('src')).toBe(src);
    expect(problems).toEqual([]);
  });
});

describe('recording in Chromium', () => {
  it('records a voice note with the fake microphone, shows the level meter, and the core accepts it', { timeout: 90_000 }, async () => {
    if (h === undefined || files === undefined) throw new Error('setup failed');
    // A second browser: the fake microphone (a steady tone) needs its own launch flags.
    const rec = await launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']);
    try {
      const context = await rec.newContext();
      await context.grantPermissions(['microphone'], { origin: h.http.url() });
      const page = await context.newPage();
      const problems = watchProblems(page);
      await page.goto(`${h.http.url()}/`);
      await page.setInputFiles('#image-input', join(files, 'face.jpg'));
      await page.click('#record-btn');
      // The meter moves while recording (the fake device plays a beep).
      await page.waitForFunction(
        () => Number((globalThis as unknown as { document: PageDoc }).document.querySelector('#level')?.value ?? 0) > 0,
        undefined,
        { timeout: 5_000 },
      );
      await page.waitForFunction(
        () => /0:0[1-9]/.test((globalThis as unknown as { document: PageDoc }).document.querySelector('#rec-time')?.textContent ?? ''),
        undefined,
        { timeout: 8_000 },
      );
      await page.click('#stop-btn');
      await page.locator('#audio-name').filter({ hasText: 'Recorded' }).waitFor({ timeout: 5_000 });
      await page.click('#create-btn');
      const outcome = await Promise.race([
        page
          .locator('#thread video[src]')
          .waitFor({ timeout: 40_000 })
          .then(() => 'video'),
        page
          .locator('#form-error')
          .filter({ hasText: /./ })
          .waitFor({ timeout: 40_000 })
          .then(async () => `error: ${await page.locator('#form-error').textContent()}`),
      ]).catch(async (err: unknown) => {
        // Say what the page showed and what the core knew, not just "timeout".
        const thread = await page
          .locator('#thread')
          .textContent()
          .catch(() => '?');
        const jobs = ((await h?.store.unfinishedJobs()) ?? []).map((j) => `${j.state}/${j.taskStatus ?? '-'}/${j.errorCode ?? '-'}`);
        return `no video: ${String(err)}; thread: ${thread}; unfinished jobs: ${jobs.join(', ')}`;
      });
      expect(outcome).toBe('video');
      expect(problems).toEqual([]);
    } finally {
      await rec.close();
    }
  });
});
