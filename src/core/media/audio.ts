import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { MediaError } from '../errors.js';
import { isHonestPcmWav, isTruncatedOgg } from './containers.js';
import { FfmpegError, runFfmpeg } from './ffmpeg.js';
import { WAV_SAMPLE_RATE, type MediaConfig } from './media-config.js';
import { baseMime, describeSniff, sniffBytes } from './sniff.js';
import { formatBytes, formatSeconds } from './words.js';

/** A voice note ready for the avatar service. */
export interface PreparedAudio {
  data: Buffer;
  type: 'audio/wav' | 'audio/mpeg';
  seconds: number;
  transcoded: boolean;
}

/** Below this peak level a voice note counts as silence: the face would not speak. */
export const SILENCE_MAX_VOLUME_DB = -60;

const WAV_TYPES = new Set(['audio/wav', 'audio/vnd.wave', 'audio/x-wav']);

/** What one decoding pass of ffmpeg tells about a file. */
interface Probe {
  seconds: number;
  maxVolumeDb: number;
  /** The container's own duration claim, when ffmpeg printed one. */
  declaredSeconds: number | null;
  /** Lines ffmpeg logged at error level while decoding. */
  errors: string[];
}

/**
 * Checks a voice note and makes it ready: sniffed by bytes, size-capped, decoded once in full
 * (duration, corruption, silence), then passed through (clean PCM WAV, clean MP3) or transcoded
 * to `config.audioFormat` from its first audio track. Throws MediaError('audio', ...).
 */
export async function prepareAudio(
  config: MediaConfig,
  ffmpegPath: string,
  bytes: Uint8Array,
  log?: Logger,
): Promise<PreparedAudio> {
  if (bytes.length === 0) throw new MediaError('audio', 'EMPTY', 'The audio file is empty (0 bytes).');
  if (bytes.length > config.maxAudioBytes) {
    throw new MediaError(
      'audio',
      'TOO_LARGE',
      `The audio file is ${formatBytes(bytes.length)}; the limit is ${formatBytes(config.maxAudioBytes)}.`,
    );
  }
  const sniff = await sniffBytes(bytes);
  const looks = describeSniff(sniff);
  if (sniff.kind === 'image') {
    throw new MediaError(
      'audio',
      'WRONG_KIND',
      `The audio file is not audio: it looks like ${looks ?? 'an image'}. Did you swap the picture and the voice note?`,
    );
  }
  if (sniff.kind !== 'audio' && sniff.kind !== 'video') {
    const what = looks === null ? 'its contents match no known sound format' : `it looks like ${looks}`;
    throw new MediaError('audio', 'NOT_AUDIO', `The audio file is not audio: ${what}.`);
  }
  const mime = sniff.mime === null ? null : baseMime(sniff.mime);
  if (sniff.ext === 'ogg' || sniff.ext === 'opus' || mime === 'audio/ogg' || mime === 'audio/opus' || mime === 'application/ogg') {
    if (isTruncatedOgg(bytes)) {
      throw new MediaError('audio', 'TRUNCATED', 'The voice note is cut short: only part of the file arrived. Please send it again.');
    }
  }

  const dir = await mkdtemp(join(tmpdir(), 'media-audio-'));
  try {
    const input = join(dir, 'input');
    await writeFile(input, bytes);
    const probe = await decodeProbe(config, ffmpegPath, input, log);
    checkProbe(config, probe);

    const clean = probe.errors.length === 0;
    if (clean && mime !== null && WAV_TYPES.has(mime) && isHonestPcmWav(bytes)) {
      return { data: Buffer.from(bytes), type: 'audio/wav', seconds: probe.seconds, transcoded: false };
    }
    // Layer III only: MP2 shares the audio/mpeg type but few players expect it.
    if (clean && mime === 'audio/mpeg' && sniff.ext === 'mp3') {
      return { data: Buffer.from(bytes), type: 'audio/mpeg', seconds: probe.seconds, transcoded: false };
    }
    const data = await transcode(config, ffmpegPath, input, join(dir, 'output'), probe.seconds);
    return {
      data,
      type: config.audioFormat === 'mp3' ? 'audio/mpeg' : 'audio/wav',
      seconds: probe.seconds,
      transcoded: true,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Decodes the first audio track to nothing, resampled to a known rate so samples give seconds. */
async function decodeProbe(config: MediaConfig, ffmpegPath: string, input: string, log?: Logger): Promise<Probe> {
  const args = [
    '-nostats',
    '-loglevel', 'level+info',
    // Decode at most a second past the limit: enough to refuse, bounded work for a huge file.
    '-t', String(config.maxAudioSeconds + 1),
    '-i', input,
    '-map', '0:a:0',
    '-vn', '-sn', '-dn',
    '-af', `aresample=${WAV_SAMPLE_RATE},aformat=sample_fmts=s16:channel_layouts=mono,volumedetect`,
    '-f', 'null', '-',
  ];
  let stderr: string;
  try {
    ({ stderr } = await runFfmpeg(ffmpegPath, args, { timeoutMs: config.ffmpegTimeoutMs, maxOutputBytes: 1024 }));
  } catch (err) {
    throw probeFailure(err, log);
  }
  const samples = /n_samples:\s*(\d+)/.exec(stderr);
  const volume = /max_volume:\s*(-?[\d.]+|-inf)\s*dB/.exec(stderr);
  const errors = stderr.split('\n').filter((line) => line.includes('[error]') || line.includes('[fatal]'));
  if (!samples?.[1] || Number(samples[1]) === 0 || !volume?.[1]) {
    log?.debug({ tail: errors.slice(-3) }, 'audio decode produced no samples');
    throw new MediaError('audio', 'CORRUPT', 'The audio file is damaged: no sound could be decoded from it.');
  }
  return {
    seconds: Number(samples[1]) / WAV_SAMPLE_RATE,
    maxVolumeDb: volume[1] === '-inf' ? Number.NEGATIVE_INFINITY : Number(volume[1]),
    declaredSeconds: parseDeclaredDuration(stderr),
    errors,
  };
}

function probeFailure(err: unknown, log?: Logger): MediaError {
  if (!(err instanceof FfmpegError)) return new MediaError('audio', 'CORRUPT', 'The audio file could not be read.', err);
  log?.debug({ failure: err.failure, tail: err.stderrTail }, 'audio probe failed');
  if (/matches no streams|does not contain any stream/i.test(err.stderrTail)) {
    return new MediaError('audio', 'NOT_AUDIO', 'The audio file has no sound track: it is a video without sound.', err);
  }
  if (err.failure === 'timeout') {
    return new MediaError('audio', 'CORRUPT', 'The audio file took too long to read; it may be damaged.', err);
  }
  return new MediaError('audio', 'CORRUPT', 'The audio file is damaged and cannot be read.', err);
}

/** ffmpeg's "Duration: 00:06:12.04" line, in seconds. */
function parseDeclaredDuration(stderr: string): number | null {
  const m = /Duration:\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(stderr);
  if (!m?.[1] || !m[2] || !m[3]) return null;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

function checkProbe(config: MediaConfig, probe: Probe): void {
  if (probe.errors.length > 0) {
    // Decoding errors mid-stream: clicks or gaps a person would hear, and a lip sync on garbage.
    throw new MediaError('audio', 'CORRUPT', 'The audio file is damaged: parts of it cannot be decoded. Please record it again.');
  }
  if (probe.seconds > config.maxAudioSeconds) {
    // The decode stopped a second past the limit: the container's claim, when larger, is the better figure.
    // Without such a claim, a decode that reached the cap only knows "longer than this".
    const declared = probe.declaredSeconds ?? 0;
    const shown = Math.max(probe.seconds, declared);
    const reachedCap = probe.seconds >= config.maxAudioSeconds + 1 - 0.05;
    const over = reachedCap && declared <= probe.seconds ? 'over ' : '';
    throw new MediaError(
      'audio',
      'TOO_LONG',
      `The voice note is ${over}${formatSeconds(shown)} long; the limit is ${formatSeconds(config.maxAudioSeconds)}.`,
    );
  }
  if (probe.seconds < config.minAudioSeconds) {
    throw new MediaError(
      'audio',
      'TOO_SHORT',
      `The voice note is only ${formatSeconds(probe.seconds)} long; it must be at least ${formatSeconds(config.minAudioSeconds)}.`,
    );
  }
  if (probe.maxVolumeDb < SILENCE_MAX_VOLUME_DB) {
    throw new MediaError(
      'audio',
      'SILENT',
      'The voice note is silent, so the face would not speak. Please record it again closer to the microphone.',
    );
  }
}

/** Transcodes the first audio track to the configured format, without metadata, into a temp file. */
async function transcode(config: MediaConfig, ffmpegPath: string, input: string, output: string, seconds: number): Promise<Buffer> {
  const codec =
    config.audioFormat === 'mp3'
      ? ['-c:a', 'libmp3lame', '-b:a', '64k', '-ac', '1', '-f', 'mp3']
      : ['-c:a', 'pcm_s16le', '-ac', '1', '-ar', String(WAV_SAMPLE_RATE), '-f', 'wav'];
  // Output cap: the expected size with room to spare; ffmpeg's -fs stops writing past it.
  const expected = config.audioFormat === 'mp3' ? (64_000 / 8) * (seconds + 2) : WAV_SAMPLE_RATE * 2 * (seconds + 2);
  const cap = Math.ceil(expected * 1.5) + 64 * 1024;
  const args = [
    '-nostats', '-loglevel', 'error',
    '-i', input,
    '-map', '0:a:0', '-vn', '-sn', '-dn',
    '-map_metadata', '-1',
    '-fflags', '+bitexact', '-flags:a', '+bitexact',
    ...codec,
    '-fs', String(cap),
    '-y', output,
  ];
  try {
    await runFfmpeg(ffmpegPath, args, { timeoutMs: config.ffmpegTimeoutMs, maxOutputBytes: 1024 });
  } catch (err) {
    throw new MediaError('audio', 'CORRUPT', 'The audio file could not be converted; it may be damaged.', err);
  }
  return readFile(output);
}
