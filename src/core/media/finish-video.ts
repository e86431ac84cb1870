/**
 * The last touch on a finished video before people get it: machine-readable provenance as MP4
 * metadata tags (what made it, when, that it is AI-generated), written by ffmpeg without
 * re-encoding. Runs on a media worker thread (pool.ts) like the rest of the media work.
 *
 * The video goes through temporary files, not pipes: an MP4 may keep its index (`moov`) at the
 * end, which a reader of stdin cannot seek back to, and the output's index is moved to the
 * front (`faststart`) so players can start before the whole file arrives.
 *
 * With `input.burn`, the captions are then drawn into the picture (burn-captions.ts). The tag
 * pass always runs first: its copy is what goes out when the burn fails or runs too long, and
 * its report gives the picture's size the captions are laid out for.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { AvatarError } from '../errors.js';
import type { FinishedVideo, FinishVideoInput } from '../handover-ports.js';
import { burnCaptions, videoSize } from './burn-captions.js';
import { FfmpegError, runFfmpeg } from './ffmpeg.js';
import type { MediaConfig, MediaTools } from './media-config.js';
import { tagMp4 } from './mp4-tags.js';

/** Tags add a few hundred bytes; the index moving to the front changes nothing in size. */
const TAGGED_SLACK_BYTES = 1024 * 1024;

/** `-metadata key=value` pairs; `use_metadata_tags` keeps keys the MP4 muxer has no atom for. */
function metadataArgs(tags: Readonly<Record<string, string>>): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(tags)) {
    // A key is ours (a constant in the hand-over); a value may hold a person's words: no newlines.
    args.push('-metadata', `${key}=${value.replace(/[\r\n]+/g, ' ')}`);
  }
  return args;
}

/**
 * Copies the video's streams into a new MP4 carrying `input.tags`. Throws AvatarError INTERNAL
 * (reason VIDEO_TAG) when ffmpeg cannot read or write it: the hand-over then sends the link only.
 */
export async function finishVideo(config: MediaConfig, tools: MediaTools, input: FinishVideoInput, log?: Logger): Promise<FinishedVideo> {
  const { ffmpegPath } = tools;
  if (input.burn === undefined) {
    // Tags alone are written in JavaScript when the file's layout allows (mp4-tags.ts): no
    // ffmpeg start, no temporary files, on the step every answer takes.
    const tagged = tagMp4(input.video, input.tags);
    if (tagged !== null) return { bytes: tagged, captionsBurned: false, cornerMark: false, c2pa: false };
  }
  const dir = await mkdtemp(join(tools.scratchDir ?? tmpdir(), 'media-video-'));
  try {
    const source = join(dir, 'in.mp4');
    const tagged = join(dir, 'tagged.mp4');
    await writeFile(source, input.video);
    const args = ['-y', '-i', source, '-map', '0', '-c', 'copy', ...metadataArgs(input.tags)];
    args.push('-movflags', '+faststart+use_metadata_tags', '-f', 'mp4', tagged);
    let report: string;
    try {
      ({ stderr: report } = await runFfmpeg(ffmpegPath, args, {
        timeoutMs: config.ffmpegTimeoutMs,
        limits: config.ffmpegLimits,
        maxOutputBytes: input.video.byteLength + TAGGED_SLACK_BYTES,
      }));
    } catch (err) {
      const why = err instanceof FfmpegError ? `${err.failure}: ${err.stderrTail}` : String(err);
      log?.warn({ why }, 'the video could not be tagged');
      throw new AvatarError('INTERNAL', 'The finished video could not be tagged.', { reason: 'VIDEO_TAG', detail: why, cause: err });
    }
    const plain = { captionsBurned: false, cornerMark: false, c2pa: false };
    if (input.burn === undefined) return { bytes: await readFile(tagged), ...plain };
    const size = videoSize(report);
    // Whatever goes wrong in the burn (a full disk under the script included), the tagged original goes out.
    const burned =
      size === null
        ? ({ ok: false, why: 'ffmpeg reported no video stream to burn into' } as const)
        : await burnCaptions(ffmpegPath, config.ffmpegLimits, {
            dir,
            source,
            size,
            cues: input.burn.cues,
            cornerMark: input.burn.cornerMark,
            metadataArgs: metadataArgs(input.tags),
            timeoutMs: input.burnTimeoutMs,
            inputBytes: input.video.byteLength,
          }).catch((err: unknown) => ({ ok: false, why: `the burn could not run: ${String(err)}` }) as const);
    if (burned.ok) {
      return { bytes: await readFile(burned.file), ...plain, captionsBurned: burned.captions, cornerMark: input.burn.cornerMark };
    }
    // The tagged original goes out; the hand-over tells people (BURN_FAILED), this tells the operator why.
    log?.warn({ why: burned.why }, 'captions could not be burned: the video goes out without them');
    return { bytes: await readFile(tagged), ...plain, burnFailed: burned.why };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
