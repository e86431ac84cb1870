/**
 * The finished video on the page, in real headless Chromium: it plays this server's tagged copy
 * with the captions as a default <track> whose cues load, shows the transcript (shortened, the
 * whole behind "Whole transcript"), the notes and the AI label, and offers the MP4, VTT and SRT
 * for download. A stand-in core hands the result to the playground's real ChatReply.
 */
import pino from 'pino';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlayground, formatReplyTo, type Playground } from '../../../src/bots/playground/index.js';
import type { JobView } from '../../../src/core/ports.js';
import { standInCore } from './helpers/stand-in-core.js';
import { createHttpServer, type HttpServer } from '../../../src/http/server.js';
import { captionFiles, handedResult } from '../../helpers/handover.js';
import { failedJob } from '../shared/job-view.js';
import { launchChromium, watchProblems } from './helpers/chromium.js';

let http: HttpServer;
let playground: Playground;
let browser: Browser | undefined;
const jobs = new Map<string, JobView>();

const stand = standInCore(jobs, { voices: { list: async () => [], saved: async () => null } });
const core = stand.core;

beforeAll(async () => {
  http = createHttpServer({ port: 0, host: '127.0.0.1' }, { logger: pino({ level: 'silent' }) });
  playground = createPlayground({ enabled: true, token: undefined }, { core, logger: pino({ level: 'silent' }), router: http });
  await http.listen();
});

afterAll(async () => {
  await browser?.close();
  await playground?.stop();
  await http?.close(1000);
});

describe('the handed-over video in Chromium', () => {
  it('plays the tagged copy with its captions track loaded, the transcript, the notes and three downloads', {
    timeout: 60_000,
  }, async () => {
    browser = await launchChromium();
    const page = await browser.newPage();
    const problems = watchProblems(page);
    await page.goto(`${http.url()}/`);
    await page.locator('#limits').filter({ hasText: 'Limits' }).waitFor({ timeout: 10_000 });
    const browserId = (await page.context().cookies()).find((c) => c.name === 'pg_browser')?.value ?? '';
    const job: JobView = {
      ...failedJob({ id: 'pg-track-1', platform: 'playground', requesterId: browserId, replyTo: formatReplyTo(browserId) }),
      state: 'completed',
      fileUrl: 'http://127.0.0.1:9/files/never-fetched.mp4',
      preview: true,
    };
    jobs.set(job.id, job);
    const long = `${'Hello there. This is a test of captions. '.repeat(12)}The very end.`;
    await stand.reply().result(job, await handedResult(job.id, { captions: captionFiles(long), notes: ['BURN_FAILED'], preview: true }));

    const video = page.locator('#thread video[src]');
    await video.waitFor({ timeout: 10_000 });
    expect(await video.getAttribute('src')).toBe(`/api/jobs/${job.id}/video.mp4`);
    expect(await page.locator('#thread video track').getAttribute('src')).toBe(`/api/jobs/${job.id}/captions.vtt`);
    // The browser fetched and parsed the WebVTT: the track has cues.
    const cues = await page.evaluate<number>(`new Promise((resolve) => {
      const v = document.querySelector('#thread video');
      const started = Date.now();
      const check = () => {
        const t = v && v.textTracks[0];
        if (t && t.cues && t.cues.length > 0) return resolve(t.cues.length);
        if (Date.now() - started > 8000) return resolve(0);
        setTimeout(check, 50);
      };
      check();
    })`);
    expect(cues).toBe(2);
    const excerpt = (await page.locator('#thread .transcript').textContent()) ?? '';
    expect(excerpt.endsWith('…')).toBe(true);
    expect(excerpt).not.toContain('The very end.');
    expect(await page.locator('#thread .transcript-full').textContent()).toContain('The very end.');
    expect(await page.locator('#thread .handover-note').textContent()).toContain('could not be drawn into the video');
    expect(await page.locator('#thread .ai-label').textContent()).toContain('AI-generated');
    const links = await page.evaluate<string[]>(
      `[...document.querySelectorAll('#thread .actions a')].map((a) => a.getAttribute('href') + ' ' + a.getAttribute('download'))`,
    );
    expect(links).toEqual([
      `/api/jobs/${job.id}/video.mp4 talking-avatar-${job.id}.mp4`,
      `/api/jobs/${job.id}/captions.vtt talking-avatar-${job.id}.vtt`,
      `/api/jobs/${job.id}/captions.srt talking-avatar-${job.id}.srt`,
    ]);
    expect(problems).toEqual([]);
  });
});
