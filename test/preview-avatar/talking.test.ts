import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFfmpeg } from '../../src/core/media/ffmpeg.js';
import { resolveFfmpeg } from '../../src/core/media/ffmpeg-binary.js';
import { defaultFfmpegLimits } from '../../src/core/media/ffmpeg-limits.js';
import { NO_FACE_NOTE, type RenderDeps, renderPreview } from '../../src/preview-avatar/render-preview.js';
import { makeFacePng, makeGrayPng, makeSilenceThenSpeechWav, mouthDifference } from './talking-fixtures.js';

let tmp = '';
let deps: RenderDeps;
const audioPath = (): string => join(tmp, 'voice.wav');

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'talking-preview-test-'));
  await writeFile(audioPath(), makeSilenceThenSpeechWav(1, 1.5));
  deps = { ffmpegPath: resolveFfmpeg().path, timeoutMs: 120_000, limits: defaultFfmpegLimits, signal: new AbortController().signal };
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Every frame of the MP4 as RGB24, and what ffmpeg says about its streams. */
async function decodeFrames(path: string, width: number, height: number): Promise<{ frames: Buffer[]; report: string }> {
  const { stdout, stderr } = await runFfmpeg(
    deps.ffmpegPath,
    ['-i', path, '-map', '0:v:0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    {
      timeoutMs: 60_000,
      maxOutputBytes: 512 * 1024 * 1024,
    },
  );
  const size = width * height * 3;
  const frames: Buffer[] = [];
  for (let at = 0; at + size <= stdout.length; at += size) frames.push(stdout.subarray(at, at + size));
  return { frames, report: stderr };
}

describe('preview avatar: the talking face', () => {
  it('opens the mouth while the voice speaks and keeps it closed in silence', async () => {
    const outPath = join(tmp, 'talking.mp4');
    const made = await renderPreview(
      { imageBytes: await makeFacePng(), audioPath: audioPath(), audioSeconds: 2.5, workDir: tmp, outPath },
      deps,
    );
    expect(made).toEqual({ seconds: 2.5, talking: true, note: null });
    const { frames, report } = await decodeFrames(outPath, 512, 512);
    expect(report).toMatch(/Video: h264.*512x512/);
    expect(report).toMatch(/Audio: aac/);
    // 2.5 s at 25 fps.
    expect(frames.length).toBeGreaterThanOrEqual(62);
    expect(frames.length).toBeLessThanOrEqual(63);
    const first = frames[0] as Buffer;
    // Silence: frames 1-22 (up to 0.9 s) differ from the first only by the head's sway.
    const silent = frames.slice(1, 23).map((f) => mouthDifference(f, first, 512));
    // Speech: 1.1 s to the end.
    const speaking = frames.slice(28).map((f) => mouthDifference(f, first, 512));
    const silentMax = Math.max(...silent);
    const speakingMax = Math.max(...speaking);
    expect(silentMax).toBeLessThan(8);
    expect(speakingMax).toBeGreaterThan(20);
    expect(speakingMax).toBeGreaterThan(silentMax * 3);
    // The mouth moves with the syllables: it opens and closes, not one pose held.
    expect(Math.min(...speaking)).toBeLessThan(speakingMax / 2);
  }, 120_000);

  it('falls back to the still preview, with a note, when the image has no face', async () => {
    const outPath = join(tmp, 'still.mp4');
    const made = await renderPreview(
      { imageBytes: await makeGrayPng(), audioPath: audioPath(), audioSeconds: 2.5, workDir: tmp, outPath },
      deps,
    );
    expect(made.talking).toBe(false);
    expect(made.note).toBe(NO_FACE_NOTE);
    expect(made.seconds).toBeGreaterThan(2.3);
    expect(made.seconds).toBeLessThan(2.8);
    expect((await stat(outPath)).size).toBeGreaterThan(1000);
  }, 120_000);
});
