import { execFileSync } from 'node:child_process';
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import { describe, expect, it } from 'vitest';
import { isHonestPcmWav, isTruncatedOgg } from '../../../src/core/media/containers.js';

function generate(args: string[], format: string): Buffer {
  return execFileSync(
    ffmpeg.path,
    ['-nostdin', '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=duration=1', ...args, '-f', format, 'pipe:1'],
    {
      maxBuffer: 8 * 1024 * 1024,
    },
  );
}

/** A WAV written to a file-like buffer: built by hand so sizes are exact. */
function pcmWav(samples: number, format = 1, bits = 16): Buffer {
  const dataBytes = samples * (bits / 8);
  const out = Buffer.alloc(44 + dataBytes);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write('WAVEfmt ', 8, 'latin1');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(format, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(16000, 24);
  out.writeUInt32LE(16000 * (bits / 8), 28);
  out.writeUInt16LE(bits / 8, 32);
  out.writeUInt16LE(bits, 34);
  out.write('data', 36, 'latin1');
  out.writeUInt32LE(dataBytes, 40);
  return out;
}

describe('isHonestPcmWav', () => {
  it('accepts a PCM WAV whose sizes match the bytes', () => {
    expect(isHonestPcmWav(pcmWav(1600))).toBe(true);
  });

  it('refuses a RIFF size that claims more than the file', () => {
    const wav = pcmWav(1600);
    wav.writeUInt32LE(wav.length * 4, 4);
    expect(isHonestPcmWav(wav)).toBe(false);
  });

  it('refuses a data chunk that runs past the end (a cut-off upload with a fixed-up RIFF size)', () => {
    const wav = pcmWav(1600);
    wav.writeUInt32LE(1600 * 2 + 100, 40);
    expect(isHonestPcmWav(wav)).toBe(false);
  });

  it('passes through only ordinary recordings: mono or stereo, 8 to 48 kHz', () => {
    const eightChannels = pcmWav(1600);
    eightChannels.writeUInt16LE(8, 22);
    expect(isHonestPcmWav(eightChannels)).toBe(false);
    const hiRes = pcmWav(1600);
    hiRes.writeUInt32LE(96_000, 24);
    expect(isHonestPcmWav(hiRes)).toBe(false);
    const phone = pcmWav(1600);
    phone.writeUInt32LE(8000, 24);
    expect(isHonestPcmWav(phone)).toBe(true);
  });

  it('refuses non-PCM formats (IEEE float) so they get transcoded', () => {
    expect(isHonestPcmWav(pcmWav(1600, 3, 32))).toBe(false);
  });

  it('refuses a streamed WAV whose header holds placeholder sizes', () => {
    // ffmpeg writing WAV to a pipe cannot seek back to fill the sizes in.
    expect(isHonestPcmWav(generate(['-c:a', 'pcm_s16le'], 'wav'))).toBe(false);
  });

  it('refuses what is not RIFF/WAVE', () => {
    expect(isHonestPcmWav(Buffer.alloc(100))).toBe(false);
  });
});

describe('isTruncatedOgg', () => {
  const ogg = generate(['-c:a', 'libopus'], 'ogg');

  it('passes a whole Ogg file', () => {
    expect(isTruncatedOgg(ogg)).toBe(false);
  });

  it('flags a file cut inside a page, header or body', () => {
    expect(isTruncatedOgg(ogg.subarray(0, ogg.length - 1))).toBe(true);
    expect(isTruncatedOgg(ogg.subarray(0, 20))).toBe(true);
  });

  it('leaves bytes that are not Ogg pages to the decoder', () => {
    expect(isTruncatedOgg(Buffer.from('not an ogg file at all, just text long enough'))).toBe(false);
  });
});
