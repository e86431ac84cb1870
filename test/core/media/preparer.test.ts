import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorSentence } from '../../../src/bots/shared/words/errors.js';
import { MediaError } from '../../../src/core/errors.js';
import { createMediaPreparer, defaultMediaConfig } from '../../../src/core/media/index.js';
import { testFfmpeg as ffmpeg } from '../../helpers/ffmpeg.js';

const logger = pino({ level: 'silent' });
let ownTmp: string;
let previousTmp: string | undefined;

function audio(args: string[], format: string): Buffer {
  return execFileSync(ffmpeg.path, ['-nostdin', '-hide_banner', '-loglevel', 'error', ...args, '-f', format, 'pipe:1'], {
    maxBuffer: 16 * 1024 * 1024,
  });
}
const tone = (seconds: number): string[] => ['-f', 'lavfi', '-i', `sine=frequency=300:duration=${seconds}`];

async function refusal(p: Promise<unknown>): Promise<MediaError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof MediaError) return err;
    throw err;
  }
  throw new Error('expected a MediaError');
}

let jpeg: Buffer;
let png: Buffer;
let ogg: Buffer;

beforeAll(async () => {
  // Each test file runs in its own process: point os.tmpdir() at a folder we can watch.
  previousTmp = process.env.TMPDIR;
  ownTmp = await mkdtemp(join(tmpdir(), 'media-preparer-test-'));
  process.env.TMPDIR = ownTmp;
  jpeg = await sharp({ create: { width: 80, height: 64, channels: 3, background: '#888' } })
    .jpeg()
    .toBuffer();
  png = await sharp({ create: { width: 80, height: 64, channels: 3, background: '#888' } })
    .png()
    .toBuffer();
  ogg = audio([...tone(1), '-ac', '1', '-c:a', 'libopus'], 'ogg');
});

afterAll(async () => {
  if (previousTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previousTmp;
  await rm(ownTmp, { recursive: true, force: true });
});

describe('createMediaPreparer', () => {
  it('fills missing config from the defaults', () => {
    expect(defaultMediaConfig).toMatchObject({
      maxImageBytes: 20 * 1024 * 1024,
      maxAudioBytes: 25 * 1024 * 1024,
      maxAudioSeconds: 300,
      minAudioSeconds: 0.3,
      minImageSide: 64,
      imageMaxSide: 1024,
      maxImagePixels: 100_000_000,
      audioFormat: 'mp3',
      ffmpegTimeoutMs: 60_000,
      ffmpegLimits: { memoryBytes: 1024 * 1024 * 1024, cpuSeconds: 0 },
    });
  });

  it('sniffs by bytes, whatever the name', async () => {
    const p = createMediaPreparer({}, { ffmpegPath: ffmpeg.path });
    expect(await p.sniff(jpeg)).toEqual({ kind: 'image', mime: 'image/jpeg', ext: 'jpg' });
    expect((await p.sniff(ogg)).kind).toBe('audio');
    expect(await p.sniff(Buffer.from('plain text'))).toEqual({ kind: 'other', mime: null, ext: null });
    expect((await p.sniff(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).mime).toBe('image/svg+xml');
  });

  it('prepares a pair: JPEG face and a transcoded voice note with its length', async () => {
    const p = createMediaPreparer({}, { ffmpegPath: ffmpeg.path, logger });
    const media = await p.prepare(png, ogg);
    expect(media.imageType).toBe('image/jpeg');
    expect((await sharp(Buffer.from(media.image)).metadata()).format).toBe('jpeg');
    expect(media.audioType).toBe('audio/mpeg');
    expect(media.audioSeconds).toBeCloseTo(1, 1);
    // 32 kbit/s: one second is 4 000 bytes plus the encoder's padding frames, far from a WAV's 48 000.
    expect(media.audio.length).toBeGreaterThan(3_000);
    expect(media.audio.length).toBeLessThan(6_000);
  });

  it('checks the image first: a bad face is reported even when the audio is bad too', async () => {
    const p = createMediaPreparer({}, { ffmpegPath: ffmpeg.path });
    const err = await refusal(p.prepare(new Uint8Array(0), new Uint8Array(0)));
    expect(err.kind).toBe('image');
    const audioErr = await refusal(p.prepare(jpeg, Buffer.from('nope')));
    expect(audioErr.kind).toBe('audio');
    expect(audioErr.reason).toBe('NOT_AUDIO');
  });

  it('transcodes to 24 kHz mono WAV when configured', async () => {
    const p = createMediaPreparer({ audioFormat: 'wav' }, { ffmpegPath: ffmpeg.path });
    const out = await p.prepareAudio(ogg);
    expect(out).toMatchObject({ type: 'audio/wav', transcoded: true });
    expect(out.seconds).toBeCloseTo(1, 1);
    expect((await p.sniff(out.data)).mime).toBe('audio/wav');
    // 24 kHz mono 16-bit: one second is 48 000 bytes plus the header.
    expect(Math.abs(out.data.length - 48_000 - 44)).toBeLessThan(600);
    expect([out.data.readUInt16LE(22), out.data.readUInt32LE(24)]).toEqual([1, 24_000]);
  });

  it('gives the facts for sentences a person can act on', async () => {
    const p = createMediaPreparer({ maxAudioSeconds: 60 }, { ffmpegPath: ffmpeg.path });
    const small = createMediaPreparer({ maxImageBytes: 1024 }, { ffmpegPath: ffmpeg.path });
    const words = async (pending: Promise<unknown>): Promise<string> => errorSentence(await refusal(pending));
    expect(await words(p.prepareImage(new Uint8Array(0)))).toBe('The image is empty (0 bytes).');
    expect(await words(p.prepareAudio(new Uint8Array(0)))).toBe('The audio file is empty (0 bytes).');
    expect(await words(p.prepareAudio(png))).toMatch(/^The audio file is not audio: it looks like a PNG image\./);
    expect(await words(p.prepareImage(ogg))).toMatch(/^The image is not an image: it looks like an? (OGG|Opus)/);
    const big = await refusal(small.prepareImage(Buffer.concat([jpeg, Buffer.alloc(2000)])));
    expect(big.facts).toMatchObject({ limit: 1024 });
    expect(errorSentence(big)).toMatch(/^The image is [\d.]+ KB; the limit is 1 KB\.$/);
    // 72 s: the decode stops a second past the limit, the container's own length is shown.
    const long = audio([...tone(72), '-ac', '1', '-c:a', 'libopus', '-b:a', '12k'], 'ogg');
    const err = await refusal(p.prepareAudio(long));
    expect(err.reason).toBe('TOO_LONG');
    expect(err.facts).toMatchObject({ max: 60 });
    expect(errorSentence(err)).toBe('The voice note is 1 min 12 s long; the limit is 1 min.');
    const heic = await refusal(p.prepareImage(Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic')])));
    expect(heic.reason).toBe('UNSUPPORTED_FORMAT');
    expect(errorSentence(heic)).toMatch(/HEIC.*JPEG or PNG/);
  });

  it('refuses, in words, a voice note ffmpeg cannot read within its memory cap', async () => {
    // A cap this low stops any ffmpeg: it stands in for a file that needs more than a voice note should.
    const logs: Array<{ msg: string }> = [];
    const spy = pino({ level: 'warn' }, { write: (line: string) => logs.push(JSON.parse(line) as { msg: string }) });
    const p = createMediaPreparer(
      { ffmpegLimits: { memoryBytes: 16 * 1024 * 1024, cpuSeconds: 0 } },
      { ffmpegPath: ffmpeg.path, logger: spy },
    );
    const err = await refusal(p.prepareAudio(ogg));
    expect(err).toMatchObject({ code: 'INVALID_MEDIA', kind: 'audio', reason: 'CORRUPT', facts: { why: 'TOO_DEMANDING' } });
    expect(errorSentence(err)).toBe(
      'The audio file needs more memory or time to read than a voice note should; it may be damaged. Please record it again.',
    );
    // The operator is told which caps to look at, in case they, not the file, are at fault.
    expect(logs.map((l) => l.msg)).toContain('ffmpeg hit its memory or CPU cap (FFMPEG_MAX_MEMORY_MB, FFMPEG_MAX_CPU_SECONDS)');
  });

  it('leaves no temp files behind, accepted or refused', async () => {
    const p = createMediaPreparer({}, { ffmpegPath: ffmpeg.path });
    await p.prepareAudio(ogg);
    await refusal(p.prepareAudio(audio(['-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '1'], 'wav')));
    expect(await readdir(ownTmp)).toEqual([]);
    // A bad face stops the voice note's run, which started beside it: its folder is gone when the refusal arrives.
    const long = audio([...tone(20), '-ac', '1', '-c:a', 'libopus'], 'ogg');
    expect((await refusal(p.prepare(Buffer.from('not a face'), long))).kind).toBe('image');
    expect(await readdir(ownTmp)).toEqual([]);
  });
});
