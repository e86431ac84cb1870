import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpeg } from '../../src/core/media/ffmpeg-binary.js';
import { defaultFfmpegLimits } from '../../src/core/media/ffmpeg-limits.js';
import { renderChildPid, renderInChild } from '../../src/preview-avatar/talking/talking-process.js';
import type { TalkingRequest } from '../../src/preview-avatar/talking/talking-render.js';
import { pollUntil } from './helpers.js';
import { makeFacePng, makeSilenceThenSpeechWav } from './talking-fixtures.js';

let tmp = '';
let request: (out: string) => TalkingRequest;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'talking-child-test-'));
  await writeFile(join(tmp, 'face.png'), await makeFacePng());
  await writeFile(join(tmp, 'voice.wav'), makeSilenceThenSpeechWav(0.5, 5.5));
  const ffmpegPath = resolveFfmpeg().path;
  request = (out) => ({
    imagePath: join(tmp, 'face.png'),
    audioPath: join(tmp, 'voice.wav'),
    outPath: join(tmp, out),
    ffmpegPath,
    timeoutMs: 120_000,
    limits: defaultFfmpegLimits,
  });
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('talking preview: the render child process', () => {
  it('ends the child when the caller stops mid-render, and the next render starts a new one', async () => {
    const stop = new AbortController();
    const pending = renderInChild(request('stopped.mp4'), stop.signal);
    const pid = await pollUntil(async () => renderChildPid());
    stop.abort();
    const answer = await pending;
    expect(answer.kind).toBe('failed');
    await pollUntil(async () => (alive(pid) ? undefined : true));

    const again = await renderInChild(request('again.mp4'), new AbortController().signal);
    expect(again.kind).toBe('done');
    expect(renderChildPid()).not.toBe(pid);
    // The child's own peak memory, reported with each answer.
    expect(again.maxRssBytes).toBeGreaterThan(10 * 1024 * 1024);
  }, 120_000);
});
