import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { MediaError } from '../errors.js';
import { isHonestPcmWav, isTruncatedOgg } from './containers.js';
import { FfmpegError, runFfmpeg } from './ffmpeg.js';
import { WAV_SAMPLE_RATE, type MediaConfig } from './media-config.js';
import { baseMime, describeSniff, looksFact, sniffBytes } from './sniff.js';

/** A voice note ready for the avatar service. */
export interface PreparedAudio {
  data: Buffer;
  type: 'audio/wav' | 'audio/mpeg';
  seconds: number;
  transcoded: boolean;
}

/** Below this peak level a voice note counts as silence: the face would not speak. */
const SILENCE_MAX_VOLUME_DB = -60;

const WAV_TYPES = new Set(['audio/wav', 'audio/vnd.wave', 'audio/x-wav']);

/**
 * The input may open nothing but local files: a file that ffmpeg reads as a playlist (HLS) or
 * a reference could otherwise make it fetch URLs from the bot's network.
 */
const LOCAL_FILE_ONLY = ['-protocol_whitelist', 'file'];

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
export async function prepareAudio(config: MediaConfig, ffmpegPath: string, bytes: Uint8Array, log?: Logger): Promise<PreparedAudio> {
  if (bytes.length === 0) throw new MediaError('audio', 'EMPTY', 'audio: empty file');
  if (bytes.length > config.maxAudioBytes) {
    throw new MediaError('audio', 'TOO_LARGE', `audio: ${bytes.length} bytes over the limit of ${config.maxAudioBytes}`, {
      facts: { found: bytes.length, limit: config.maxAudioBytes },
    });
  }
  const sniff = await sniffBytes(bytes);
  const looks = describeSniff(sniff);
  if (sniff.kind === 'image') {
    throw new MediaError('audio', 'WRONG_KIND', `audio: an image (${sniff.mime ?? 'unknown type'})`, { facts: looksFact(looks) });
  }
  if (sniff.kind !== 'audio' && sniff.kind !== 'video') {
    throw new MediaError('audio', 'NOT_AUDIO', `audio: not a sound file (${sniff.mime ?? 'unknown type'})`, { facts: looksFact(looks) });
  }
  const mime = sniff.mime === null ? null : baseMime(sniff.mime);
  if (sniff.ext === 'ogg' || sniff.ext === 'opus' || mime === 'audio/ogg' || mime === 'audio/opus' || mime === 'application/ogg') {
    if (isTruncatedOgg(bytes)) {
      throw new MediaError('audio', 'TRUNCATED', 'audio: truncated ogg');
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
    const data = await transcode(config, ffmpegPath, input, join(dir, 'output'), probe.seconds, log);
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
    '-loglevel',
    'level+info',
    // Decode at most a second past the limit: enough to refuse, bounded work for a huge file.
    '-t',
    String(config.maxAudioSeconds + 1),
    ...LOCAL_FILE_ONLY,
    '-i',
    input,
    '-map',
    '0:a:0',
    '-vn',
    '-sn',
    '-dn',
    '-af',
    `aresample=${WAV_SAMPLE_RATE},aformat=sample_fmts=s16:channel_layouts=mono,volumedetect`,
    '-f',
    'null',
    '-',
  ];
  let stderr: string;
  try {
    ({ stderr } = await runFfmpeg(ffmpegPath, args, {
      timeoutMs: config.ffmpegTimeoutMs,
      maxOutputBytes: 1024,
      limits: config.ffmpegLimits,
    }));
  } catch (err) {
    throw probeFailure(err, log);
  }
  const samples = /n_samples:\s*(\d+)/.exec(stderr);
  const volume = /max_volume:\s*(-?[\d.]+|-inf)\s*dB/.exec(stderr);
  const errors = stderr.split('\n').filter((line) => line.includes('[error]') || line.includes('[fatal]'));
  if (!samples?.[1] || Number(samples[1]) === 0 || !volume?.[1]) {
    log?.debug({ tail: errors.slice(-3) }, 'audio decode produced no samples');
    throw new MediaError('audio', 'CORRUPT', 'audio: no samples decoded', { facts: { why: 'NO_SAMPLES' } });
  }
  return {
    seconds: Number(samples[1]) / WAV_SAMPLE_RATE,
    maxVolumeDb: volume[1] === '-inf' ? Number.NEGATIVE_INFINITY : Number(volume[1]),
    declaredSeconds: parseDeclaredDuration(stderr),
    errors,
  };
}

function probeFailure(err: unknown, log?: Logger): MediaError {
  if (!(err instanceof FfmpegError)) {
    return new MediaError('audio', 'CORRUPT', 'audio: probe failed', { facts: { why: 'UNREADABLE' }, cause: err });
  }
  log?.debug({ failure: err.failure, tail: err.stderrTail }, 'audio probe failed');
  if (/matches no streams|does not contain any stream/i.test(err.stderrTail)) {
    return new MediaError('audio', 'NOT_AUDIO', 'audio: no audio stream', { facts: { why: 'NO_SOUND_TRACK' }, cause: err });
  }
  if (err.failure === 'timeout') {
    return new MediaError('audio', 'CORRUPT', 'audio: probe timed out', { facts: { why: 'TIMEOUT' }, cause: err });
  }
  if (err.failure === 'limit') return limitRefusal(err, 'probe', log);
  return new MediaError('audio', 'CORRUPT', `audio: probe failed (${err.failure})`, { cause: err });
}

/**
 * A run the kernel ended at its memory or CPU cap. Logged as a warning: one hostile file is
 * nothing, but many mean the caps are too tight for this host's ffmpeg.
 */
function limitRefusal(err: FfmpegError, stage: 'probe' | 'transcode', log?: Logger): MediaError {
  log?.warn({ stage, tail: err.stderrTail }, 'ffmpeg hit its memory or CPU cap (FFMPEG_MAX_MEMORY_MB, FFMPEG_MAX_CPU_SECONDS)');
  return new MediaError('audio', 'CORRUPT', `audio: ${stage} hit a resource cap`, { facts: { why: 'TOO_DEMANDING' }, cause: err });
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
    throw new MediaError('audio', 'CORRUPT', `audio: ${probe.errors.length} decode errors`, { facts: { why: 'DECODE_ERRORS' } });
  }
  if (probe.seconds > config.maxAudioSeconds) {
    // The decode stopped a second past the limit: the container's claim, when larger, is the better figure.
    // Without such a claim, a decode that reached the cap only knows "longer than this".
    const declared = probe.declaredSeconds ?? 0;
    const shown = Math.max(probe.seconds, declared);
    const reachedCap = probe.seconds >= config.maxAudioSeconds + 1 - 0.05;
    const atLeast = reachedCap && declared <= probe.seconds;
    throw new MediaError('audio', 'TOO_LONG', `audio: ${shown} s over the limit of ${config.maxAudioSeconds} s`, {
      facts: { seconds: shown, max: config.maxAudioSeconds, ...(atLeast ? { atLeast: 1 } : {}) },
    });
  }
  if (probe.seconds < config.minAudioSeconds) {
    throw new MediaError('audio', 'TOO_SHORT', `audio: ${probe.seconds} s under the minimum of ${config.minAudioSeconds} s`, {
      facts: { seconds: probe.seconds, min: config.minAudioSeconds },
    });
  }
  if (probe.maxVolumeDb < SILENCE_MAX_VOLUME_DB) {
    throw new MediaError('audio', 'SILENT', `audio: silent (peak ${probe.maxVolumeDb} dB)`);
  }
}

/** Transcodes the first audio track to the configured format, without metadata, into a temp file. */
async function transcode(
  config: MediaConfig,
  ffmpegPath: string,
  input: string,
  output: string,
  seconds: number,
  log?: Logger,
): Promise<Buffer> {
  const codec =
    config.audioFormat === 'mp3'
      ? ['-c:a', 'libmp3lame', '-b:a', '64k', '-ac', '1', '-f', 'mp3']
      : ['-c:a', 'pcm_s16le', '-ac', '1', '-ar', String(WAV_SAMPLE_RATE), '-f', 'wav'];
  // Output cap: the expected size with room to spare; ffmpeg's -fs stops writing past it.
  const expected = config.audioFormat === 'mp3' ? (64_000 / 8) * (seconds + 2) : WAV_SAMPLE_RATE * 2 * (seconds + 2);
  const cap = Math.ceil(expected * 1.5) + 64 * 1024;
  const args = [
    '-nostats',
    '-loglevel',
    'error',
    ...LOCAL_FILE_ONLY,
    '-i',
    input,
    '-map',
    '0:a:0',
    '-vn',
    '-sn',
    '-dn',
    '-map_metadata',
    '-1',
    '-fflags',
    '+bitexact',
    '-flags:a',
    '+bitexact',
    ...codec,
    '-fs',
    String(cap),
    '-y',
    output,
  ];
  try {
    await runFfmpeg(ffmpegPath, args, { timeoutMs: config.ffmpegTimeoutMs, maxOutputBytes: 1024, limits: config.ffmpegLimits });
  } catch (err) {
    if (err instanceof FfmpegError && err.failure === 'limit') throw limitRefusal(err, 'transcode', log);
    throw new MediaError('audio', 'CORRUPT', 'audio: transcode failed', { facts: { why: 'CONVERT' }, cause: err });
  }
  return readFile(output);
}
