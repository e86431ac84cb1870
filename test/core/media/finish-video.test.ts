import { afterEach, describe, expect, it } from 'vitest';
import { AvatarError } from '../../../src/core/errors.js';
import { createMediaPreparer } from '../../../src/core/media/index.js';
import { createPooledPreparer, type PooledPreparer } from '../../../src/core/media/pool.js';
import { testFfmpeg as ffmpeg } from '../../helpers/ffmpeg.js';
import { probe } from '../../helpers/ffprobe.js';
import { makeVideo } from '../../helpers/media.js';

const TAGS = { comment: 'AI-generated talking avatar', ai_generated: 'true', creation_time: '2026-11-30T21:00:00Z' };
let pool: PooledPreparer | null = null;

afterEach(async () => {
  await pool?.stop();
  pool = null;
});

describe('finishVideo: provenance tags on the handed-over MP4', () => {
  it('through the pool: the tags are readable with ffprobe, and the streams are copied unchanged', async () => {
    pool = createPooledPreparer({}, { ffmpegPath: ffmpeg.path, size: 1 });
    const video = await makeVideo(2);
    const done = await pool.finishVideo({ video, tags: TAGS, burnTimeoutMs: 10_000 });
    expect(done.captionsBurned).toBe(false);
    const [before, after] = await Promise.all([probe(video, { countFrames: true }), probe(done.bytes, { countFrames: true })]);
    expect(after.format.tags?.comment).toBe('AI-generated talking avatar');
    expect(after.format.tags?.ai_generated).toBe('true');
    expect(before.format.tags?.ai_generated).toBeUndefined();
    const frames = (p: typeof before) => p.streams.find((s) => s.codec_type === 'video')?.nb_read_frames;
    expect(frames(after)).toBe(frames(before));
    expect(after.streams.map((s) => s.codec_name).sort()).toEqual(before.streams.map((s) => s.codec_name).sort());
  });

  it('a value with a newline is written on one line (a person’s words may end up in a tag)', async () => {
    const direct = createMediaPreparer({}, { ffmpegPath: ffmpeg.path });
    const done = await direct.finishVideo({ video: await makeVideo(2), tags: { comment: 'line one\nline two' }, burnTimeoutMs: 10_000 });
    expect((await probe(done.bytes)).format.tags?.comment).toBe('line one line two');
  });

  it('bytes that are not a video are refused with INTERNAL / VIDEO_TAG, never handed over', async () => {
    pool = createPooledPreparer({}, { ffmpegPath: ffmpeg.path, size: 1 });
    const err = await pool
      .finishVideo({ video: Buffer.from('<html>not a video</html>'), tags: TAGS, burnTimeoutMs: 10_000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AvatarError);
    expect((err as AvatarError).reason).toBe('VIDEO_TAG');
  });
});
