/**
 * The one ffmpeg run of an audio preparation: it decodes the first audio track once, measures it
 * (samples and peak level, reported by `volumedetect` on stderr) and, when asked, encodes the
 * same decoded samples to the target format in the same run. A separate probe run used to decode
 * every file twice and pay ffmpeg's start-up twice.
 */
import type { Logger } from 'pino';
import { MediaError } from '../errors.js';
import { FfmpegError, runFfmpeg } from './ffmpeg.js';
import { MP3_BITRATE, MP3_SAMPLE_RATE, type MediaConfig, WAV_SAMPLE_RATE } from './media-config.js';

/**
 * The input may open nothing but local files: a file that ffmpeg reads as a playlist (HLS) or
 * a reference could otherwise make it fetch URLs from the bot's network.
 */
const LOCAL_FILE_ONLY = ['-protocol_whitelist', 'file'];

/** What the decoding pass tells about a file. */
export interface Probe {
  seconds: number;
  maxVolumeDb: number;
  /** The container's own duration claim, when ffmpeg printed one. */
  declaredSeconds: number | null;
  /** Lines ffmpeg logged at error level while decoding. */
  errors: string[];
}

/** Where the pass writes the encoded audio; `null` measures only (a file passed through as is). */
export type PassOutput = { format: MediaConfig['audioFormat']; path: string } | null;

/** The rate samples are counted at: the target's own, so the filter graph resamples only once. */
function rateFor(output: PassOutput): number {
  return output?.format === 'mp3' ? MP3_SAMPLE_RATE : WAV_SAMPLE_RATE;
}

function encodeArgs(config: MediaConfig, output: NonNullable<PassOutput>): string[] {
  // libmp3lame's compression_level 7 is its "fast" search: about half the time of the default
  // for speech at this bitrate, with no size change (the bitrate is fixed).
  const codec =
    output.format === 'mp3'
      ? ['-c:a', 'libmp3lame', '-b:a', `${MP3_BITRATE / 1000}k`, '-compression_level', '7', '-ar', String(MP3_SAMPLE_RATE), '-f', 'mp3']
      : ['-c:a', 'pcm_s16le', '-ar', String(WAV_SAMPLE_RATE), '-f', 'wav'];
  // Output cap: the size of the longest decode (a second past the limit) with room to spare.
  const seconds = config.maxAudioSeconds + 3;
  const expected = output.format === 'mp3' ? (MP3_BITRATE / 8) * seconds : WAV_SAMPLE_RATE * 2 * seconds;
  const cap = Math.ceil(expected * 1.5) + 64 * 1024;
  return [
    '-map_metadata',
    '-1',
    '-fflags',
    '+bitexact',
    '-flags:a',
    '+bitexact',
    '-ac',
    '1',
    ...codec,
    '-fs',
    String(cap),
    '-y',
    output.path,
  ];
}

/**
 * Decodes `input` once: at most a second past the length limit (enough to refuse, bounded work
 * for a huge file), resampled to a known rate so the sample count gives seconds. Throws
 * MediaError when ffmpeg fails or decodes nothing; the caller judges the Probe.
 */
export async function decodePass(
  config: MediaConfig,
  ffmpegPath: string,
  input: string,
  output: PassOutput,
  log?: Logger,
  signal?: AbortSignal,
): Promise<Probe> {
  const rate = rateFor(output);
  const args = [
    '-nostats',
    '-loglevel',
    'level+info',
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
    `aresample=${rate},aformat=sample_fmts=s16:channel_layouts=mono,volumedetect`,
    ...(output === null ? ['-f', 'null', '-'] : encodeArgs(config, output)),
  ];
  let stderr: string;
  try {
    ({ stderr } = await runFfmpeg(ffmpegPath, args, {
      timeoutMs: config.ffmpegTimeoutMs,
      maxOutputBytes: 1024,
      limits: config.ffmpegLimits,
      ...(signal === undefined ? {} : { signal }),
    }));
  } catch (err) {
    throw passFailure(err, log);
  }
  const samples = /n_samples:\s*(\d+)/.exec(stderr);
  const volume = /max_volume:\s*(-?[\d.]+|-inf)\s*dB/.exec(stderr);
  const errors = stderr.split('\n').filter((line) => line.includes('[error]') || line.includes('[fatal]'));
  if (!samples?.[1] || Number(samples[1]) === 0 || !volume?.[1]) {
    log?.debug({ tail: errors.slice(-3) }, 'audio decode produced no samples');
    throw new MediaError('audio', 'CORRUPT', 'audio: no samples decoded', { facts: { why: 'NO_SAMPLES' } });
  }
  return {
    seconds: Number(samples[1]) / rate,
    maxVolumeDb: volume[1] === '-inf' ? Number.NEGATIVE_INFINITY : Number(volume[1]),
    declaredSeconds: parseDeclaredDuration(stderr),
    errors,
  };
}

function passFailure(err: unknown, log?: Logger): MediaError {
  if (!(err instanceof FfmpegError)) {
    return new MediaError('audio', 'CORRUPT', 'audio: decode failed', { facts: { why: 'UNREADABLE' }, cause: err });
  }
  log?.debug({ failure: err.failure, tail: err.stderrTail }, 'audio decode failed');
  if (/matches no streams|does not contain any stream/i.test(err.stderrTail)) {
    return new MediaError('audio', 'NOT_AUDIO', 'audio: no audio stream', { facts: { why: 'NO_SOUND_TRACK' }, cause: err });
  }
  if (err.failure === 'timeout') {
    return new MediaError('audio', 'CORRUPT', 'audio: decode timed out', { facts: { why: 'TIMEOUT' }, cause: err });
  }
  if (err.failure === 'limit') {
    // Logged as a warning: one hostile file is nothing, but many mean the caps are too tight for this host's ffmpeg.
    log?.warn({ tail: err.stderrTail }, 'ffmpeg hit its memory or CPU cap (FFMPEG_MAX_MEMORY_MB, FFMPEG_MAX_CPU_SECONDS)');
    return new MediaError('audio', 'CORRUPT', 'audio: decode hit a resource cap', { facts: { why: 'TOO_DEMANDING' }, cause: err });
  }
  return new MediaError('audio', 'CORRUPT', `audio: decode failed (${err.failure})`, { cause: err });
}

/** ffmpeg's "Duration: 00:06:12.04" line, in seconds. */
function parseDeclaredDuration(stderr: string): number | null {
  const m = /Duration:\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(stderr);
  if (!m?.[1] || !m[2] || !m[3]) return null;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}
