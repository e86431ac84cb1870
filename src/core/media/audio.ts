import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { MediaError } from '../errors.js';
import { isHonestPcmWav, isTruncatedOgg } from './containers.js';
import { decodePass, type Probe } from './audio-pass.js';
import type { MediaConfig, MediaTools } from './media-config.js';
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
 * Checks a voice note and makes it ready: sniffed by bytes, size-capped, then one ffmpeg run
 * decodes it in full (duration, corruption, silence) and, unless it is passed through, encodes
 * it to `config.audioFormat` from its first audio track in the same run. Passed through as is:
 * an MP3 (already compressed; a re-encode only loses quality) and, when WAV is the target, a
 * clean PCM WAV. Throws MediaError('audio', ...).
 */
export async function prepareAudio(
  config: MediaConfig,
  tools: MediaTools,
  bytes: Uint8Array,
  log?: Logger,
  signal?: AbortSignal,
): Promise<PreparedAudio> {
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

  // Layer III only: MP2 shares the audio/mpeg type but few players expect it.
  const passThrough =
    (mime === 'audio/mpeg' && sniff.ext === 'mp3') ||
    (config.audioFormat === 'wav' && mime !== null && WAV_TYPES.has(mime) && isHonestPcmWav(bytes));
  const dir = await mkdtemp(join(tools.scratchDir ?? tmpdir(), 'media-audio-'));
  try {
    const input = join(dir, 'input');
    await writeFile(input, bytes);
    const output = passThrough ? null : { format: config.audioFormat, path: join(dir, 'output') };
    const probe = await decodePass(config, tools.ffmpegPath, input, output, log, signal);
    // A refused file's encoding (written in the same run) is thrown away with the folder.
    checkProbe(config, probe);
    if (output === null) {
      const type = mime === 'audio/mpeg' ? 'audio/mpeg' : 'audio/wav';
      return { data: Buffer.from(bytes), type, seconds: probe.seconds, transcoded: false };
    }
    return {
      data: await readFile(output.path),
      type: output.format === 'mp3' ? 'audio/mpeg' : 'audio/wav',
      seconds: probe.seconds,
      transcoded: true,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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
