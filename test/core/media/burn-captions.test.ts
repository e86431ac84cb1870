import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Cue, FinishedVideo } from '../../../src/core/handover-ports.js';
import { createMediaPreparer } from '../../../src/core/media/index.js';
import { createPooledPreparer, type PooledPreparer } from '../../../src/core/media/pool.js';
import { testFfmpeg as ffmpeg } from '../../helpers/ffmpeg.js';
import { probe } from '../../helpers/ffprobe.js';
import { makeVideo } from '../../helpers/media.js';
import { BOTTOM_BAND, changedShare, frameAt, MIDDLE, TOP_RIGHT } from './frame-pixels.js';

const TAGS = { comment: 'AI-generated talking avatar', ai_generated: 'true' };
/** Shown from 0.2 s to 0.9 s of a 2 s video: 0.52 s is inside, 1.4 s outside. */
const CUES: Cue[] = [{ start: 0.2, end: 0.9, text: 'Hello there,\nthis is a caption' }];
const INSIDE = 0.52;
const OUTSIDE = 1.4;
const W = 320;
const H = 240;

let pool: PooledPreparer | null = null;
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'test-burn-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await pool?.stop();
  pool = null;
});

function videoFrames(p: Awaited<ReturnType<typeof probe>>): string | undefined {
  return p.streams.find((s) => s.codec_type === 'video')?.nb_read_frames;
}

/** How much of `region` changed between the input's and the output's frames at `seconds`. */
async function changed(input: Uint8Array, output: FinishedVideo, seconds: number, region: typeof BOTTOM_BAND): Promise<number> {
  const [a, b] = await Promise.all([frameAt(input, seconds, W, H), frameAt(output.bytes, seconds, W, H)]);
  return changedShare(a, b, region);
}

/** An executable that runs the real ffmpeg after `prelude` (a line of shell). */
async function wrappedFfmpeg(name: string, prelude: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${prelude}\nexec "${ffmpeg.path}" "$@"\n`);
  await chmod(path, 0o755);
  return path;
}

describe('finishVideo with burn: captions drawn into the picture, on a worker thread', () => {
  it('keeps every frame and the length, draws the words at the bottom while a cue shows and nowhere else, and keeps the tags', async () => {
    pool = createPooledPreparer({}, { ffmpegPath: ffmpeg.path, size: 1 });
    const video = await makeVideo(2, W, H);
    const done = await pool.finishVideo({ video, tags: TAGS, burn: { cues: CUES, cornerMark: false }, burnTimeoutMs: 60_000 });
    expect(done).toMatchObject({ captionsBurned: true, cornerMark: false });
    expect(done.burnFailed).toBeUndefined();

    const [before, after] = await Promise.all([probe(video, { countFrames: true }), probe(done.bytes, { countFrames: true })]);
    expect(videoFrames(after)).toBe(videoFrames(before));
    expect(Number(after.format.duration)).toBeCloseTo(Number(before.format.duration), 2);
    expect(after.format.tags?.ai_generated).toBe('true');
    expect(after.format.tags?.comment).toBe('AI-generated talking avatar');
    // The sound is copied, the picture re-encoded (H.264 still, for every player).
    expect(after.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);

    expect(await changed(video, done, INSIDE, BOTTOM_BAND)).toBeGreaterThan(0.02);
    expect(await changed(video, done, INSIDE, MIDDLE)).toBeLessThan(0.005);
    expect(await changed(video, done, OUTSIDE, BOTTOM_BAND)).toBeLessThan(0.005);
    expect(await changed(video, done, INSIDE, TOP_RIGHT)).toBeLessThan(0.005);
  });

  it('cornerMark draws a mark in the top-right corner for the whole video, captions or not', async () => {
    pool = createPooledPreparer({}, { ffmpegPath: ffmpeg.path, size: 1 });
    const video = await makeVideo(2, W, H);
    const done = await pool.finishVideo({ video, tags: TAGS, burn: { cues: CUES, cornerMark: true }, burnTimeoutMs: 60_000 });
    expect(done).toMatchObject({ captionsBurned: true, cornerMark: true });
    expect(await changed(video, done, OUTSIDE, TOP_RIGHT)).toBeGreaterThan(0.03);
    expect(await changed(video, done, INSIDE, TOP_RIGHT)).toBeGreaterThan(0.03);
    expect(await changed(video, done, OUTSIDE, BOTTOM_BAND)).toBeLessThan(0.005);
  });

  it('a cue too long for two lines is shown screen after screen: the band changes in both halves of its time', async () => {
    const direct = createMediaPreparer({}, { ffmpegPath: ffmpeg.path });
    const video = await makeVideo(2, W, H);
    const long = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen';
    const done = await direct.finishVideo({
      video,
      tags: TAGS,
      burn: { cues: [{ start: 0, end: 2, text: long }], cornerMark: false },
      burnTimeoutMs: 60_000,
    });
    const [early, late] = await Promise.all([frameAt(done.bytes, 0.4, W, H), frameAt(done.bytes, 1.6, W, H)]);
    // Different words on the two screens, and neither screen climbs into the middle of the picture.
    expect(changedShare(early, late, BOTTOM_BAND)).toBeGreaterThan(0.02);
    expect(await changed(video, done, 0.4, MIDDLE)).toBeLessThan(0.005);
    expect(await changed(video, done, 1.6, MIDDLE)).toBeLessThan(0.005);
  });
});

describe('finishVideo with burn: a burn that fails hands over the tagged original', () => {
  async function expectTaggedOriginal(video: Uint8Array, done: FinishedVideo): Promise<void> {
    expect(done.captionsBurned).toBe(false);
    expect(done.cornerMark).toBe(false);
    expect(typeof done.burnFailed).toBe('string');
    const after = await probe(done.bytes, { countFrames: true });
    expect(after.format.tags?.ai_generated).toBe('true');
    expect(videoFrames(after)).toBe(videoFrames(await probe(video, { countFrames: true })));
    // Stream copy: the picture is the service's, bit for bit, where the captions would have been.
    const [a, b] = await Promise.all([frameAt(video, INSIDE, W, H), frameAt(done.bytes, INSIDE, W, H)]);
    expect(a.rgb.equals(b.rgb)).toBe(true);
  }

  it('a burn that runs past burnTimeoutMs is stopped (on the worker thread)', async () => {
    pool = createPooledPreparer({}, { ffmpegPath: ffmpeg.path, size: 1 });
    const video = await makeVideo(2, W, H);
    const done = await pool.finishVideo({ video, tags: TAGS, burn: { cues: CUES, cornerMark: true }, burnTimeoutMs: 1 });
    await expectTaggedOriginal(video, done);
    expect(done.burnFailed).toMatch(/^timeout/);
  });

  it('an ffmpeg without the subtitles filter (a build without libass)', async () => {
    // Says what such a build says when the burn asks for the filter; runs the real ffmpeg otherwise.
    const noLibass = await wrappedFfmpeg(
      'ffmpeg-no-libass',
      `case "$*" in *subtitles=*) echo "No such filter: 'subtitles'" >&2; exit 1;; esac`,
    );
    const direct = createMediaPreparer({}, { ffmpegPath: noLibass });
    const video = await makeVideo(2, W, H);
    const done = await direct.finishVideo({ video, tags: TAGS, burn: { cues: CUES, cornerMark: false }, burnTimeoutMs: 60_000 });
    await expectTaggedOriginal(video, done);
    expect(done.burnFailed).toMatch(/no subtitles filter/);
  });

  it('a host where fontconfig finds no font: libass would draw nothing, so nothing is claimed', async () => {
    const config = join(dir, 'no-fonts.conf');
    const fonts = `<?xml version="1.0"?>\n<fontconfig><dir>${join(dir, 'no-fonts')}</dir><cachedir>${join(dir, 'fc-cache')}</cachedir></fontconfig>\n`;
    await writeFile(config, fonts);
    const noFonts = await wrappedFfmpeg('ffmpeg-no-fonts', `export FONTCONFIG_FILE="${config}"`);
    const direct = createMediaPreparer({}, { ffmpegPath: noFonts });
    const video = await makeVideo(2, W, H);
    const done = await direct.finishVideo({ video, tags: TAGS, burn: { cues: CUES, cornerMark: false }, burnTimeoutMs: 60_000 });
    await expectTaggedOriginal(video, done);
    expect(done.burnFailed).toMatch(/drew nothing/);
  });

  it('no cue with words and no corner mark: nothing to burn, said so', async () => {
    const direct = createMediaPreparer({}, { ffmpegPath: ffmpeg.path });
    const video = await makeVideo(2, W, H);
    const cues = [
      { start: 0.5, end: 0.5, text: 'no time' },
      { start: 0, end: 1, text: '  ' },
    ];
    const done = await direct.finishVideo({ video, tags: TAGS, burn: { cues, cornerMark: false }, burnTimeoutMs: 60_000 });
    await expectTaggedOriginal(video, done);
    expect(done.burnFailed).toMatch(/no captions/);
  });
});
