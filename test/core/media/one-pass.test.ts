/**
 * Audio preparation runs ffmpeg once per voice note (the probe is folded into the transcode),
 * and the default output is what the service is promised: MP3, 16 kHz, mono, 32 kbit/s.
 * ffmpeg is reached through a wrapper script that logs each start, so the count is of real
 * processes, not of calls to our own code.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MediaError } from '../../../src/core/errors.js';
import { createMediaPreparer } from '../../../src/core/media/index.js';
import { testFfmpeg } from '../../helpers/ffmpeg.js';
import { makeTone } from '../../helpers/media.js';

let dir: string;
let wrapper: string;
let startLog: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'one-pass-test-'));
  startLog = join(dir, 'starts');
  wrapper = join(dir, 'ffmpeg');
  await writeFile(wrapper, `#!/bin/sh\necho start >> '${startLog}'\nexec '${testFfmpeg.path}' "$@"\n`);
  await chmod(wrapper, 0o755);
});
afterAll(() => rm(dir, { recursive: true, force: true }));
beforeEach(() => writeFile(startLog, ''));

async function starts(): Promise<number> {
  return (await readFile(startLog, 'utf8')).split('\n').filter((l) => l === 'start').length;
}

/** ffprobe (beside the ffmpeg under test, else on PATH: the bundled build has none): the encoded stream's own description. */
function describeStream(bytes: Buffer): { codec_name: string; sample_rate: string; channels: number; bit_rate: string } {
  const beside = testFfmpeg.path.replace(/ffmpeg$/, 'ffprobe');
  const ffprobe = existsSync(beside) ? beside : 'ffprobe';
  const out = execFileSync(
    ffprobe,
    ['-v', 'error', '-show_entries', 'stream=codec_name,sample_rate,channels,bit_rate', '-of', 'json', 'pipe:0'],
    {
      input: bytes,
    },
  );
  const streams = (JSON.parse(out.toString('utf8')) as { streams: ReturnType<typeof describeStream>[] }).streams;
  const [first] = streams;
  if (first === undefined) throw new Error('ffprobe found no stream');
  return first;
}

/** A WAV whose header tells the truth (ffmpeg writing to a pipe cannot fill in the sizes): a 300 Hz tone. */
function honestWav(seconds: number, rate = 16_000): Buffer {
  const pcm = Buffer.alloc(seconds * rate * 2);
  for (let i = 0; i < seconds * rate; i += 1) pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 300 * i) / rate)), i * 2);
  const head = Buffer.alloc(44);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(36 + pcm.length, 4);
  head.write('WAVEfmt ', 8, 'latin1');
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20);
  head.writeUInt16LE(1, 22);
  head.writeUInt32LE(rate, 24);
  head.writeUInt32LE(rate * 2, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write('data', 36, 'latin1');
  head.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([head, pcm]);
}

async function refusal(p: Promise<unknown>): Promise<MediaError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof MediaError) return err;
    throw err;
  }
  throw new Error('expected a MediaError');
}

describe('one ffmpeg run per voice note', () => {
  it('an Opus voice note becomes a 16 kHz mono 32 kbit/s MP3 in a single run', async () => {
    const p = createMediaPreparer({}, { ffmpegPath: wrapper });
    const out = await p.prepareAudio(await makeTone(3, 'ogg'));
    expect(await starts()).toBe(1);
    expect(out).toMatchObject({ type: 'audio/mpeg', transcoded: true });
    expect(out.seconds).toBeCloseTo(3, 1);
    const stream = describeStream(out.data);
    expect(stream).toMatchObject({ codec_name: 'mp3', sample_rate: '16000', channels: 1 });
    expect(Number(stream.bit_rate)).toBe(32_000);
  });

  it('a WAV is transcoded to MP3 by default (it would be nine times the upload), in one run', async () => {
    const p = createMediaPreparer({}, { ffmpegPath: wrapper });
    const out = await p.prepareAudio(honestWav(2));
    expect(await starts()).toBe(1);
    expect(out).toMatchObject({ type: 'audio/mpeg', transcoded: true });
    expect(out.seconds).toBeCloseTo(2, 1);
  });

  it('with AUDIO_FORMAT=wav a clean WAV passes through, measured in one run', async () => {
    const wav = honestWav(2);
    const p = createMediaPreparer({ audioFormat: 'wav' }, { ffmpegPath: wrapper });
    const out = await p.prepareAudio(wav);
    expect(await starts()).toBe(1);
    expect(out).toMatchObject({ type: 'audio/wav', transcoded: false });
    expect(out.data.equals(wav)).toBe(true);
    expect(out.seconds).toBeCloseTo(2, 1);
  });

  it('an MP3 passes through unchanged, measured in one run', async () => {
    const mp3 = await makeTone(2, 'mp3');
    const p = createMediaPreparer({}, { ffmpegPath: wrapper });
    const out = await p.prepareAudio(mp3);
    expect(await starts()).toBe(1);
    expect(out).toMatchObject({ type: 'audio/mpeg', transcoded: false });
    expect(out.data.equals(mp3)).toBe(true);
  });

  it('the single run still refuses what the probe refused, with the same facts', async () => {
    const p = createMediaPreparer({ maxAudioSeconds: 3, minAudioSeconds: 1.5 }, { ffmpegPath: wrapper });
    const long = await refusal(p.prepareAudio(await makeTone(5, 'ogg')));
    expect(long.reason).toBe('TOO_LONG');
    expect(long.facts).toMatchObject({ max: 3 });
    expect(Number(long.facts?.seconds)).toBeGreaterThan(3);
    const short = await refusal(p.prepareAudio(await makeTone(1, 'ogg')));
    expect(short.reason).toBe('TOO_SHORT');
    expect(short.facts).toMatchObject({ min: 1.5 });
    const silence = execFileSync(testFfmpeg.path, [
      ...['-nostdin', '-loglevel', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=mono', '-t', '2'],
      ...['-c:a', 'libopus', '-f', 'ogg', 'pipe:1'],
    ]);
    expect((await refusal(p.prepareAudio(silence))).reason).toBe('SILENT');
    // One run each, refused or not.
    expect(await starts()).toBe(3);
  });
});
