import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorSentence } from '../../../src/bots/shared/words/errors.js';
import { MediaError } from '../../../src/core/errors.js';
import { createMediaPreparer, type MediaPreparer } from '../../../src/core/media/index.js';
import { corpusMediaConfig, makeMediaCorpus, type CorpusEntry } from '../../fixtures/make-media-corpus.js';

let dir: string;
let corpus: CorpusEntry[];
let preparer: MediaPreparer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'media-corpus-'));
  corpus = await makeMediaCorpus(dir, ffmpeg.path);
  preparer = createMediaPreparer(corpusMediaConfig, { ffmpegPath: ffmpeg.path });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the preparer for the entry's slot and returns either the error or the output. */
async function attempt(
  entry: CorpusEntry,
): Promise<
  { error: MediaError } | { data: Buffer; type: string; width?: number; height?: number; seconds?: number; transcoded?: boolean }
> {
  const bytes = await readFile(join(dir, entry.file));
  try {
    return entry.as === 'image' ? await preparer.prepareImage(bytes, entry.file) : await preparer.prepareAudio(bytes, entry.file);
  } catch (err) {
    if (err instanceof MediaError) return { error: err };
    throw err;
  }
}

describe('hostile media corpus', () => {
  it('has at least 25 files, each with an expected outcome', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(25);
    expect(new Set(corpus.map((e) => e.file)).size).toBe(corpus.length);
  });

  it('gives every file its expected outcome', async () => {
    const failures: string[] = [];
    for (const entry of corpus) {
      const got = await attempt(entry);
      const exp = entry.expected;
      if ('refused' in exp) {
        if (!('error' in got)) {
          failures.push(`${entry.file}: accepted, expected ${exp.refused}`);
          continue;
        }
        const e = got.error;
        if (e.reason !== exp.refused) failures.push(`${entry.file}: ${e.reason} (${e.message}), expected ${exp.refused}`);
        if (e.kind !== entry.as) failures.push(`${entry.file}: error kind ${e.kind}`);
        if (e.code !== 'INVALID_MEDIA') failures.push(`${entry.file}: code ${e.code}`);
        // People read the sentence made from it: it names the file kind and never leaks paths or ffmpeg's words.
        const words = errorSentence(e);
        if (!/\b(image|audio file|voice note)\b/.test(words)) failures.push(`${entry.file}: sentence does not name the file: ${words}`);
        if (/tmp|ffmpeg|vips|\//i.test(words)) failures.push(`${entry.file}: sentence leaks internals: ${words}`);
        // The log message keeps no temp path either.
        if (e.message.includes(dir) || /media-audio-/.test(e.message)) failures.push(`${entry.file}: message leaks a path: ${e.message}`);
        continue;
      }
      if ('error' in got) {
        failures.push(`${entry.file}: refused ${got.error.reason} (${got.error.message}), expected accepted`);
        continue;
      }
      const want = exp.accepted;
      if (got.type !== want.type) failures.push(`${entry.file}: type ${got.type}, expected ${want.type}`);
      if (want.width !== undefined && got.width !== want.width) failures.push(`${entry.file}: width ${got.width}, expected ${want.width}`);
      if (want.height !== undefined && got.height !== want.height)
        failures.push(`${entry.file}: height ${got.height}, expected ${want.height}`);
      if (want.transcoded !== undefined && got.transcoded !== want.transcoded) failures.push(`${entry.file}: transcoded ${got.transcoded}`);
      if (want.seconds !== undefined && Math.abs((got.seconds ?? -1) - want.seconds) > 0.1) {
        failures.push(`${entry.file}: ${got.seconds} s, expected ${want.seconds} s`);
      }
      failures.push(...(await checkOutput(entry, got.data)));
    }
    expect(failures).toEqual([]);
  });
});

/** Checks the bytes a file was turned into: they must really be what the preparer says. */
async function checkOutput(entry: CorpusEntry, data: Buffer): Promise<string[]> {
  const out: string[] = [];
  const exp = entry.expected;
  if ('refused' in exp) return out;
  if (exp.accepted.type === 'image/jpeg') {
    const meta = await sharp(data).metadata();
    if (meta.format !== 'jpeg') out.push(`${entry.file}: output is ${meta.format}`);
    if (meta.width !== exp.accepted.width || meta.height !== exp.accepted.height)
      out.push(`${entry.file}: output header ${meta.width}x${meta.height}`);
    if (meta.exif !== undefined || meta.icc !== undefined || meta.xmp !== undefined) out.push(`${entry.file}: output carries metadata`);
    for (const check of exp.checks ?? []) {
      if (check === 'no-exif' && (meta.exif !== undefined || data.includes('Exif\0'))) out.push(`${entry.file}: EXIF left`);
      if (check === 'srgb-8bit' && (meta.space !== 'srgb' || meta.depth !== 'uchar' || meta.channels !== 3)) {
        out.push(`${entry.file}: ${meta.space} ${meta.depth} ${meta.channels}ch`);
      }
      if (check === 'no-zip' && data.includes(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) out.push(`${entry.file}: ZIP payload kept`);
      if (check === 'top-is-red' || check === 'corner-is-white') {
        const { data: px } = await sharp(data)
          .extract({ left: 0, top: 0, width: 1, height: 1 })
          .raw()
          .toBuffer({ resolveWithObject: true });
        const [r = 0, g = 0, b = 0] = px;
        if (check === 'top-is-red' && !(r > 200 && b < 60)) out.push(`${entry.file}: top-left pixel ${r},${g},${b}, expected red`);
        if (check === 'corner-is-white' && !(r > 245 && g > 245 && b > 245))
          out.push(`${entry.file}: corner ${r},${g},${b}, expected white`);
      }
    }
  } else if (exp.accepted.type === 'audio/wav') {
    // An honest header: RIFF size matches, PCM data chunk length matches the bytes present.
    if (data.toString('latin1', 0, 4) !== 'RIFF' || data.readUInt32LE(4) + 8 !== data.length)
      out.push(`${entry.file}: output WAV header lies`);
    const dataAt = data.indexOf('data', 12, 'latin1');
    if (dataAt < 0 || dataAt + 8 + data.readUInt32LE(dataAt + 4) !== data.length) out.push(`${entry.file}: output data chunk size wrong`);
  } else if (exp.accepted.type === 'audio/mpeg') {
    const head = data.subarray(0, 3).toString('latin1');
    if (head !== 'ID3' && !(data[0] === 0xff && ((data[1] ?? 0) & 0xe0) === 0xe0)) out.push(`${entry.file}: output is not MP3`);
  }
  return out;
}
