/**
 * Draws captions (and the "AI" corner mark) into the picture of a finished video: ffmpeg's
 * `subtitles` filter (libass, fonts through fontconfig) over an ASS script (caption-ass.ts), the
 * picture re-encoded with x264, the sound copied. Every frame keeps its timestamp (`-vsync
 * passthrough`), so the captioned video has the same frames and length as the service's.
 *
 * Bounded like every ffmpeg run here, with caps of its own (see `burnLimits`): a wall-clock
 * cap, an output cap, and a lower CPU priority, because a burn is long, optional work and the
 * bot's acks share the cores with it. Never throws: it says why it could not burn, and the
 * caller hands over the unburned video.
 */
import { availableParallelism } from 'node:os';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Cue } from '../handover-ports.js';
import { assScript, drawableCues } from './caption-ass.js';
import { FfmpegError, runFfmpeg } from './ffmpeg.js';
import type { FfmpegLimits } from './ffmpeg-limits.js';

export interface BurnJob {
  /** A folder of the caller's own (removed by the caller): the script and the output go there. */
  dir: string;
  /** The service's video, already written to a file. */
  source: string;
  /** The picture's size as ffmpeg reads it (see `videoSize`). */
  size: { width: number; height: number };
  cues: readonly Cue[];
  cornerMark: boolean;
  /** `-metadata` arguments: the burned file carries the same tags as the tagged one. */
  metadataArgs: readonly string[];
  timeoutMs: number;
  /** Bytes of the service's video: the output may grow to `maxBurnedBytes(inputBytes)`. */
  inputBytes: number;
}

/** `captions`: false when only the corner mark was drawn (no cue had words and a time span). */
export type BurnResult = { ok: true; file: string; captions: boolean } | { ok: false; why: string };

/**
 * Re-encoding at crf 20 may make a file larger than the service's (a service that compresses
 * harder): three times as large plus 10 MB is generous for that and still stops a runaway.
 */
function maxBurnedBytes(inputBytes: number): number {
  return 3 * inputBytes + 10 * 1024 * 1024;
}

/**
 * 10 more than its caller: the burn runs when the cores are free of the bot's own work. On a media
 * worker (already at nice 10, pool.ts) that is 19, below preparing people's new requests too.
 */
const BURN_NICENESS = 10;

/**
 * The memory cap is the configured one (a 720p burn peaks near 200 MB resident). The CPU cap
 * is the burn's own: FFMPEG_MAX_CPU_SECONDS is sized for voice notes, and a minute of 720p
 * takes about 25 CPU seconds at crf 20 on this kind of machine, so the configured cap could end
 * a legitimate burn. The burn's wall-clock cap bounds it instead; the CPU cap only backs that up
 * (every core busy for the whole wall-clock cap).
 */
export function burnLimits(configured: FfmpegLimits, timeoutMs: number): FfmpegLimits {
  const wholeMachine = Math.ceil((availableParallelism() * timeoutMs) / 1000);
  return { memoryBytes: configured.memoryBytes, cpuSeconds: Math.max(configured.cpuSeconds, wholeMachine) };
}

/**
 * A path as a value of a filter option inside a filtergraph: ffmpeg unescapes twice (the
 * option's `\ ' :`, then the graph's `\ ' [ ] , ;`), and a temporary folder's name is the
 * host's business, so nothing in it may end the option or the filter.
 */
export function filterPath(path: string): string {
  const option = path.replace(/[\\':]/g, '\\$&');
  return option.replace(/[\\'[\],;]/g, '\\$&');
}

/**
 * The picture's size from ffmpeg's description of its input ("Stream #0:0…: Video: h264 …,
 * 1280x720 …"), turned when the file asks players to rotate it by a quarter (ffmpeg turns the
 * frames before the filter sees them). Null when there is no video stream.
 */
export function videoSize(stderr: string): { width: number; height: number } | null {
  const input = stderr.split(/^Output #0/m)[0] ?? stderr;
  const m = /Stream #0:\d+[^\n]*?: Video: [^\n]*?, (\d{2,5})x(\d{2,5})/.exec(input);
  if (m === null) return null;
  const width = Number(m[1]);
  const height = Number(m[2]);
  return /rotation of -?(90|270)\.00 degrees/.test(input) ? { width: height, height: width } : { width, height };
}

/**
 * libass names the font file when it first draws; without that line nothing was drawn: no font
 * was found (a host without fonts-dejavu-core or any other), or no caption fell inside the video.
 */
const FONT_FOUND = /fontselect: \(.*\) -> \S/;

export async function burnCaptions(ffmpegPath: string, configured: FfmpegLimits, job: BurnJob): Promise<BurnResult> {
  const cues = drawableCues(job.cues);
  if (cues.length === 0 && !job.cornerMark) return { ok: false, why: 'there were no captions to burn' };
  const script = join(job.dir, 'captions.ass');
  const output = join(job.dir, 'burned.mp4');
  await writeFile(script, assScript(cues, job.size.width, job.size.height, job.cornerMark));
  const maxBytes = maxBurnedBytes(job.inputBytes);
  const args = ['-nostats', '-y', '-i', job.source, '-map', '0:v:0', '-map', '0:a?', '-sn', '-dn'];
  args.push('-vf', `subtitles=filename=${filterPath(script)}`, '-vsync', 'passthrough');
  args.push('-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', '-c:a', 'copy');
  // -fs stops writing past the cap (and ffmpeg then exits 0 with a cut file: checked below).
  args.push(...job.metadataArgs, '-fs', String(maxBytes), '-movflags', '+faststart+use_metadata_tags', '-f', 'mp4', output);
  let stderr: string;
  try {
    ({ stderr } = await runFfmpeg(ffmpegPath, args, {
      timeoutMs: job.timeoutMs,
      limits: burnLimits(configured, job.timeoutMs),
      niceness: BURN_NICENESS,
    }));
  } catch (err) {
    if (err instanceof FfmpegError) {
      if (/No such filter: 'subtitles'/.test(err.stderr)) return { ok: false, why: 'this ffmpeg has no subtitles filter (libass)' };
      return { ok: false, why: `${err.failure}: ${err.stderrTail}` };
    }
    return { ok: false, why: String(err) };
  }
  if (!FONT_FOUND.test(stderr)) return { ok: false, why: 'libass drew nothing: no font found, or no caption inside the video' };
  const size = (await stat(output)).size;
  if (size >= maxBytes) return { ok: false, why: `the captioned video reached its ${maxBytes}-byte cap` };
  return { ok: true, file: output, captions: cues.length > 0 };
}
