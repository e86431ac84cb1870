import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createMediaPreparer } from '../../../src/core/media/index.js';
import { tagMp4 } from '../../../src/core/media/mp4-tags.js';
import { testFfmpeg as ffmpeg } from '../../helpers/ffmpeg.js';
import { probe } from '../../helpers/ffprobe.js';
import { makeVideo } from '../../helpers/media.js';

const run = promisify(execFile);
const TAGS = {
  title: 'AI-generated talking avatar',
  comment: 'AI-generated (made by talking-avatar-bot)',
  description: 'AI-generated video',
  ai_generated: 'true',
  software: 'talking-avatar-bot 0.1.0',
  creation_time: '2026-11-30T21:00:00.000Z',
};

/** ffmpeg's MD5 of every decoded frame and sample: equal means the pictures and sound are untouched. */
async function decodedMd5(bytes: Uint8Array): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'test-md5-'));
  try {
    await writeFile(join(dir, 'v.mp4'), bytes);
    const { stdout } = await run(ffmpeg.path, ['-v', 'error', '-i', join(dir, 'v.mp4'), '-f', 'md5', '-']);
    return stdout.trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The same video with its index (moov) moved in front of the media data. */
async function faststart(bytes: Uint8Array): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'test-faststart-'));
  try {
    await writeFile(join(dir, 'in.mp4'), bytes);
    await run(ffmpeg.path, ['-v', 'error', '-i', join(dir, 'in.mp4'), '-c', 'copy', '-movflags', '+faststart', join(dir, 'out.mp4')]);
    return await readFile(join(dir, 'out.mp4'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('MP4 tags written without ffmpeg', () => {
  for (const layout of ['index after the media data', 'index first (faststart)'] as const) {
    it(`${layout}: ffprobe reads every tag, and every frame and sample decodes as before`, async () => {
      const plain = layout === 'index after the media data' ? await makeVideo(2) : await faststart(await makeVideo(2));
      const tagged = tagMp4(plain, TAGS);
      if (tagged === null) throw new Error('not tagged');
      const { format } = await probe(tagged);
      for (const [key, value] of Object.entries(TAGS)) expect(format.tags?.[key]).toBe(value);
      expect(await decodedMd5(tagged)).toBe(await decodedMd5(plain));
    });
  }

  it('a file it cannot edit safely (not MP4 boxes, fragments, two indexes) is left to ffmpeg: null', () => {
    expect(tagMp4(Buffer.from('<html>not a video</html>'), TAGS)).toBeNull();
    const boxOf = (type: string, body = 0): Buffer => {
      const b = Buffer.alloc(8 + body);
      b.writeUInt32BE(8 + body, 0);
      b.write(type, 4, 'latin1');
      return b;
    };
    expect(tagMp4(Buffer.concat([boxOf('ftyp', 8), boxOf('moov'), boxOf('moof'), boxOf('mdat')]), TAGS)).toBeNull();
    expect(tagMp4(Buffer.concat([boxOf('ftyp', 8), boxOf('moov'), boxOf('moov'), boxOf('mdat')]), TAGS)).toBeNull();
    // A box claiming more bytes than the file has.
    const truncated = Buffer.concat([boxOf('ftyp', 8), boxOf('moov')]);
    truncated.writeUInt32BE(4096, 16);
    expect(tagMp4(truncated, TAGS)).toBeNull();
  });

  it('finishVideo tags without starting ffmpeg when it can (an ffmpeg path that does not exist is never used)', async () => {
    const noFfmpeg = createMediaPreparer({}, { ffmpegPath: '/nonexistent/ffmpeg' });
    const done = await noFfmpeg.finishVideo({ video: await makeVideo(2), tags: TAGS, burnTimeoutMs: 10_000 });
    expect((await probe(done.bytes)).format.tags?.ai_generated).toBe('true');
  });
});

describe('the media pool tags on the calling thread', () => {
  it('a video it can edit is tagged even when every worker is stuck (no worker is used)', async () => {
    const { createPooledPreparer } = await import('../../../src/core/media/pool.js');
    const { MEDIA_WORKER_SOURCE } = await import('../../../src/core/media/worker-source.js');
    // The real worker, except that it never answers a job.
    const stuck = `{
      const port = require('node:worker_threads').parentPort;
      const on = port.on.bind(port);
      port.on = (ev, fn) => on(ev, ev !== 'message' ? fn : () => undefined);
    }
    ${MEDIA_WORKER_SOURCE}`;
    const pool = createPooledPreparer({}, { ffmpegPath: ffmpeg.path, size: 1, workerSource: stuck });
    try {
      const done = await pool.finishVideo({ video: await makeVideo(2), tags: TAGS, burnTimeoutMs: 10_000 });
      expect((await probe(done.bytes)).format.tags?.software).toBe('talking-avatar-bot 0.1.0');
    } finally {
      await pool.stop();
    }
  });
});
