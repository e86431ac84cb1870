/**
 * The playground's "Type it" tab in real headless Chromium, in preview mode (what a newcomer
 * without an API key gets), against the real core and the fake avatar service's offline speech:
 * the counter and the disabled Create past the limit, picking (and so saving) a voice, playing
 * its sample, the "making the voice" step, and the finished video.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser, Route } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPlayground, type Playground } from '../../../src/bots/playground/index.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { launchChromium, watchProblems } from './helpers/chromium.js';
import { makeFaceJpeg } from './helpers/media.js';

const TEXT_MAX = 60;

/** The page's document, typed just enough for the checks below (this project's TypeScript has no DOM types). */
type PageDoc = { querySelector(selector: string): { readyState?: number; error?: unknown; paused?: boolean } | null };

let h: Harness | undefined;
let playground: Playground | undefined;
let browser: Browser | undefined;
let files: string | undefined;

beforeAll(async () => {
  h = await startHarness({ preview: true, env: { TEXT_MAX_CHARS: String(TEXT_MAX) } });
  playground = createPlayground({ enabled: true, token: undefined }, { core: h.core, logger: pino({ level: 'silent' }), router: h.http });
  await h.startCore();
  files = mkdtempSync(join(tmpdir(), 'pg-type-it-'));
  writeFileSync(join(files, 'face.jpg'), await makeFaceJpeg());
});

afterAll(async () => {
  await browser?.close();
  await playground?.stop();
  await h?.stop();
  if (files !== undefined) rmSync(files, { recursive: true, force: true });
});

it('types text, picks and hears a voice, is stopped past the limit, and gets the video spoken in that voice', {
  timeout: 90_000,
}, async () => {
  if (h === undefined || files === undefined) throw new Error('setup failed');
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const problems = watchProblems(page);

  await page.goto(`${h.http.url()}/`);
  await page.locator('#limits').filter({ hasText: 'Limits' }).waitFor({ timeout: 10_000 });
  await page.setInputFiles('#image-input', join(files, 'face.jpg'));

  // The tabs answer the keyboard: from "Voice note", the right arrow opens "Type it".
  await page.focus('#tab-voice');
  await page.keyboard.press('ArrowRight');
  await page.locator('#panel-type').waitFor({ state: 'visible', timeout: 5_000 });
  expect(await page.locator('#panel-voice').isHidden()).toBe(true);
  expect(await page.locator('#tab-type').getAttribute('aria-selected')).toBe('true');
  expect(await page.evaluate<string>('document.activeElement.id')).toBe('tab-type');

  // The voices load when the tab opens; preview voices say so.
  const voices = await h.core.voices.list();
  await expect.poll(() => page.locator('#voice-select option').count(), { timeout: 10_000 }).toBe(voices.length);
  expect(await page.locator('#voice-note').textContent()).toMatch(/^Preview voice/);
  expect(await page.locator('label[for="text-input"]').textContent()).toBeTruthy();
  expect(await page.locator('label[for="voice-select"]').textContent()).toBe('Voice');

  // The counter counts as the server does, and past the limit Create is off and the page says why.
  const counter = page.locator('#text-count');
  const warning = page.locator('#text-warning');
  const create = page.locator('#create-btn');
  expect(await counter.textContent()).toBe(`0 / ${TEXT_MAX}`);
  expect(await warning.getAttribute('aria-live')).toBe('polite');
  await page.fill('#text-input', 'x'.repeat(TEXT_MAX + 3));
  expect(await counter.textContent()).toBe(`${TEXT_MAX + 3} / ${TEXT_MAX}`);
  expect(await warning.textContent()).toBe(
    `That text is ${TEXT_MAX + 3} characters long; the limit is ${TEXT_MAX}. Shorten it to create the video.`,
  );
  expect(await create.isDisabled()).toBe(true);
  expect(await create.getAttribute('aria-describedby')).toBe('text-warning');
  // Back on the voice-note tab, the typed text does not block Create.
  await page.click('#tab-voice');
  expect(await create.isDisabled()).toBe(false);
  await page.click('#tab-type');
  expect(await create.isDisabled()).toBe(true);

  const words = 'Hello from the typing test.';
  await page.fill('#text-input', words);
  expect(await counter.textContent()).toBe(`${words.length} / ${TEXT_MAX}`);
  expect(await warning.textContent()).toBe('');
  expect(await create.isDisabled()).toBe(false);

  // Picking a voice saves it for this browser.
  const pick = voices[voices.length - 1];
  if (pick === undefined || pick.id === voices[0]?.id) throw new Error('the fake lists fewer than two voices');
  await page.selectOption('#voice-select', pick.id);
  await page.locator('#voice-status').filter({ hasText: 'Voice saved:' }).waitFor({ timeout: 10_000 });
  const browserId = (await context.cookies()).find((c) => c.name === 'pg_browser')?.value ?? '';
  expect((await h.core.voices.saved('playground', browserId))?.id).toBe(pick.id);

  // Its sample plays from this server, and the audio element loads it without error.
  await page.click('#sample-btn');
  const sample = page.locator('#sample-audio');
  await sample.waitFor({ state: 'visible', timeout: 5_000 });
  expect(await sample.getAttribute('src')).toBe(`/api/voices/${encodeURIComponent(pick.id)}/sample`);
  await page.waitForFunction(
    () => {
      const a = (globalThis as unknown as { document: PageDoc }).document.querySelector('#sample-audio');
      return a !== null && (a.readyState ?? 0) >= 2 && a.error === null;
    },
    undefined,
    { timeout: 10_000 },
  );

  // Create: the request is held until the page has shown "Making the voice…", then let through.
  const before = h.mock.speechRequests().length;
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route('**/api/jobs', async (route: Route) => {
    if (route.request().method() !== 'POST') return route.continue();
    await held;
    return route.continue();
  });
  await create.click();
  const pending = page.locator('#thread .job.pending');
  await pending.waitFor({ timeout: 5_000 });
  expect(await pending.locator('.status').textContent()).toBe('Making the voice from your text…');
  expect(await pending.locator('.me').textContent()).toContain(words);
  expect(await create.textContent()).toBe('Making the voice from your text…');
  expect(await create.isDisabled()).toBe(true);
  release();

  const video = page.locator('#thread video[src]');
  await video.waitFor({ timeout: 40_000 });
  expect(await pending.count()).toBe(0);
  expect(await page.locator('#thread .job .me').first().textContent()).toContain('typed text');
  expect(await create.textContent()).toBe('Create video');
  expect(await page.locator('#form-error').isHidden()).toBe(true);
  expect(h.mock.speechRequests().slice(before)).toEqual([expect.objectContaining({ text: words, voice_profile_id: pick.id })]);

  mkdirSync('test-output', { recursive: true });
  await page.screenshot({ path: 'test-output/playground-type-it.png', fullPage: true });

  // A reload keeps the choice: the saved voice is preselected. The video still says what was
  // typed: the server keeps the text with its job (the page's own copy is gone with the reload).
  await page.reload();
  await page.locator('#thread .job .me').filter({ hasText: words }).waitFor({ timeout: 10_000 });
  await page.click('#tab-type');
  await expect.poll(() => page.locator('#voice-select').inputValue(), { timeout: 10_000 }).toBe(pick.id);
  expect(problems).toEqual([]);
});
