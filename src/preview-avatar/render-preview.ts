import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { FfmpegError, runFfmpeg } from '../core/media/ffmpeg.js';
import type { FfmpegLimits } from '../core/media/ffmpeg-limits.js';
import { renderInChild } from './talking/talking-process.js';

export interface RenderDeps {
  ffmpegPath: string;
  timeoutMs: number;
  /** Memory and CPU caps of each run, as for the bot's own ffmpeg runs. */
  limits: FfmpegLimits;
  signal: AbortSignal;
}

/** The options of every run: the wall-clock cap, the caps, the server's stop signal. */
function runOptions(deps: RenderDeps) {
  return { timeoutMs: deps.timeoutMs, limits: deps.limits, signal: deps.signal };
}

/** Parses `HH:MM:SS.ss` into seconds. */
function clockToSeconds(h: string, m: string, s: string): number {
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}

/** The last `time=` ffmpeg reported while decoding (the real decoded length). */
function lastProgressSeconds(stderr: string): number | null {
  const all = [...stderr.matchAll(/time=\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/g)];
  const last = all.at(-1);
  if (last === undefined) return null;
  return clockToSeconds(last[1] ?? '0', last[2] ?? '0', last[3] ?? '0');
}

/** The container duration from ffmpeg's input report (`Duration: 00:00:01.02`). */
function headerDurationSeconds(stderr: string): number | null {
  const m = /Duration:\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(stderr);
  if (m === null) return null;
  return clockToSeconds(m[1] ?? '0', m[2] ?? '0', m[3] ?? '0');
}

/**
 * Measures the audio's length by decoding its first audio stream to nowhere: header durations
 * lie for some OGG/WebM voice notes, decoding does not. Returns null when there is no audio.
 */
export async function measureAudioSeconds(audioPath: string, deps: RenderDeps): Promise<number | null> {
  try {
    const { stderr } = await runFfmpeg(
      deps.ffmpegPath,
      ['-protocol_whitelist', 'file', '-i', audioPath, '-map', '0:a:0', '-f', 'null', '-'],
      runOptions(deps),
    );
    return lastProgressSeconds(stderr) ?? headerDurationSeconds(stderr);
  } catch (err) {
    if (err instanceof FfmpegError) return null;
    throw err;
  }
}

/** Why a render failed, in words fit for the task's `error` field (no paths, no stderr). */
export class RenderFailure extends Error {
  override readonly name = 'RenderFailure';
}

/** What a render made: a talking face, or the still face with the reason why. */
export interface PreviewRender {
  /** The output's duration in seconds (null when it could not be read). */
  seconds: number | null;
  talking: boolean;
  /** Why the video is a still face, in words for the task's log; null when it talks. */
  note: string | null;
}

/** The still preview's note when no face was found in the image. */
export const NO_FACE_NOTE = 'no face found: still preview';

/**
 * Renders the preview: the talking face (a child process finds the face, moves the mouth with
 * the voice, blinks and sways; see talking/), else the still face with a note saying why. A
 * talking render that runs out of time fails the task like a still one would.
 */
export async function renderPreview(
  input: { imageBytes: Uint8Array; audioPath: string; audioSeconds: number | null; workDir: string; outPath: string },
  deps: RenderDeps,
): Promise<PreviewRender> {
  const imagePath = join(input.workDir, 'face-source');
  await writeFile(imagePath, input.imageBytes);
  const talking = await renderInChild(
    {
      imagePath,
      audioPath: input.audioPath,
      outPath: input.outPath,
      ffmpegPath: deps.ffmpegPath,
      timeoutMs: deps.timeoutMs,
      limits: deps.limits,
    },
    deps.signal,
  );
  await rm(imagePath, { force: true });
  if (talking.kind === 'done') return { seconds: talking.seconds, talking: true, note: null };
  if (talking.kind === 'failed' && talking.reason === 'timeout') throw new RenderFailure('Rendering took too long.');
  if (deps.signal.aborted) throw new RenderFailure('The preview server stopped.');
  const note = talking.kind === 'no-face' ? NO_FACE_NOTE : `talking face failed (${talking.reason}): still preview`;
  const seconds = await renderStill(input, deps);
  return { seconds, talking: false, note };
}

/**
 * Renders the still preview: the still image for the whole voice note, H.264 (yuv420p, even
 * dimensions) + AAC, `-shortest` (and `-t`), `+faststart` so players can start before the end arrives.
 * The image goes through sharp first: it decodes more formats than some ffmpeg builds and
 * bounds the frame size. Returns the output duration in seconds.
 */
async function renderStill(
  input: { imageBytes: Uint8Array; audioPath: string; audioSeconds: number | null; workDir: string; outPath: string },
  deps: RenderDeps,
): Promise<number | null> {
  let png: Buffer;
  try {
    png = await sharp(input.imageBytes, { limitInputPixels: 40_000_000 })
      .rotate()
      .resize({ width: 1024, height: 1024, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .png()
      .toBuffer();
  } catch {
    throw new RenderFailure('The image could not be decoded.');
  }
  const imagePath = join(input.workDir, 'face.png');
  await writeFile(imagePath, png);
  let renderReport: string;
  try {
    ({ stderr: renderReport } = await runFfmpeg(
      deps.ffmpegPath,
      [
        '-y',
        '-loop',
        '1',
        // A still image needs few frames: 10 fps costs a fraction of 25 and looks the same.
        '-framerate',
        '10',
        '-i',
        imagePath,
        // The audio came from a client: it may open local files only (no playlist fetching URLs).
        '-protocol_whitelist',
        'file',
        '-i',
        input.audioPath,
        '-map',
        '0:v:0',
        '-map',
        '1:a:0',
        '-vf',
        'scale=trunc(iw/2)*2:trunc(ih/2)*2,format=yuv420p',
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        // x264 starts 1.5 threads per core, each with its own stack and arena: on a big host that
        // alone would pass the address-space cap. A still image needs few.
        '-threads',
        '4',
        '-tune',
        'stillimage',
        '-r',
        '10',
        '-c:a',
        'aac',
        '-b:a',
        '128k',
        '-ac',
        '2',
        '-ar',
        '44100',
        '-shortest',
        // This ffmpeg build overshoots `-shortest` by up to a second with a looped image
        // (encoder buffering): cap at the measured audio length too.
        ...(input.audioSeconds !== null ? ['-t', input.audioSeconds.toFixed(3)] : []),
        '-movflags',
        '+faststart',
        input.outPath,
      ],
      runOptions(deps),
    ));
  } catch (err) {
    if (!(err instanceof FfmpegError)) throw err;
    if (err.failure === 'timeout') throw new RenderFailure('Rendering took too long.');
    throw new RenderFailure('The audio or image could not be rendered.');
  }
  // Report what the file says, not what we asked for: a stream copy to nowhere prints its header.
  try {
    const probe = await runFfmpeg(deps.ffmpegPath, ['-i', input.outPath, '-map', '0', '-c', 'copy', '-f', 'null', '-'], runOptions(deps));
    return headerDurationSeconds(probe.stderr) ?? lastProgressSeconds(renderReport);
  } catch (err) {
    if (err instanceof FfmpegError) return lastProgressSeconds(renderReport);
    throw err;
  }
}

/**
 * The stand-in file when rendering is off: a real one-second MP4 (64 px, H.264 and silent AAC,
 * 2 KB), so whatever reads the video (the hand-over tags it with ffmpeg) treats it as a service's
 * file. Made once with ffmpeg's color and anullsrc sources and kept here as base64.
 */
const PLACEHOLDER_MP4_BASE64 = [
  'AAAAIGZ0eXBpc29tAAACAGlzb21pc28yYXZjMW1wNDEAAAXCbW9vdgAAAGxtdmhkAAAAAAAAAAAAAAAAAAAD6AAAA+gAAQAAAQAA',
  'AAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAwAA',
  'AnB0cmFrAAAAXHRraGQAAAADAAAAAAAAAAAAAAABAAAAAAAAA+gAAAAAAAAAAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAABAAAA',
  'AAAAAAAAAAAAAABAAAAAAEAAAABAAAAAAAAkZWR0cwAAABxlbHN0AAAAAAAAAAEAAAPoAAAAAAABAAAAAAHobWRpYQAAACBtZGhk',
  'AAAAAAAAAAAAAAAAAAAoAAAAKABVxAAAAAAALWhkbHIAAAAAAAAAAHZpZGUAAAAAAAAAAAAAAABWaWRlb0hhbmRsZXIAAAABk21p',
  'bmYAAAAUdm1oZAAAAAEAAAAAAAAAAAAAACRkaW5mAAAAHGRyZWYAAAAAAAAAAQAAAAx1cmwgAAAAAQAAAVNzdGJsAAAAt3N0c2QA',
  'AAAAAAAAAQAAAKdhdmMxAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAEAAQABIAAAASAAAAAAAAAABDExhdmMgbGlieDI2NAAAAAAA',
  'AAAAAAAAAAAAAAAAAAAAGP//AAAALWF2Y0MBQsAK/+EAFmdCwAraEJsBEAAAAwAQAAADAKDxImoBAARozg/IAAAAEHBhc3AAAAAB',
  'AAAAAQAAABRidHJ0AAAAAAAAFRAAABUQAAAAGHN0dHMAAAAAAAAAAQAAAAUAAAgAAAAAFHN0c3MAAAAAAAAAAQAAAAEAAAAcc3Rz',
  'YwAAAAAAAAABAAAAAQAAAAEAAAABAAAAKHN0c3oAAAAAAAAAAAAAAAUAAAJ6AAAACgAAAAoAAAAKAAAACgAAACRzdGNvAAAAAAAA',
  'AAUAAAYHAAAIiQAACJsAAAipAAAIuwAAAqF0cmFrAAAAXHRraGQAAAADAAAAAAAAAAAAAAACAAAAAAAAA+gAAAAAAAAAAAAAAAEB',
  'AAAAAAEAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAAAAkZWR0cwAAABxlbHN0AAAAAAAAAAEAAAPo',
  'AAAEAAABAAAAAAIZbWRpYQAAACBtZGhkAAAAAAAAAAAAAAAAAAAfQAAAI0BVxAAAAAAALWhkbHIAAAAAAAAAAHNvdW4AAAAAAAAA',
  'AAAAAABTb3VuZEhhbmRsZXIAAAABxG1pbmYAAAAQc21oZAAAAAAAAAAAAAAAJGRpbmYAAAAcZHJlZgAAAAAAAAABAAAADHVybCAA',
  'AAABAAABiHN0YmwAAAB+c3RzZAAAAAAAAAABAAAAbm1wNGEAAAAAAAAAAQAAAAAAAAAAAAIAEAAAAAAfQAAAAAAANmVzZHMAAAAA',
  'A4CAgCUAAgAEgICAF0AVAAAAAAAfQAAAAXcFgICABRWIVuUABoCAgAECAAAAFGJ0cnQAAAAAAAAfQAAAAXcAAAAgc3R0cwAAAAAA',
  'AAACAAAACAAABAAAAAABAAADQAAAAExzdHNjAAAAAAAAAAUAAAABAAAAAQAAAAEAAAACAAAAAgAAAAEAAAAEAAAAAQAAAAEAAAAF',
  'AAAAAgAAAAEAAAAGAAAAAQAAAAEAAAA4c3RzegAAAAAAAAAAAAAACQAAABUAAAAEAAAABAAAAAQAAAAEAAAABAAAAAQAAAAEAAAA',
  'BAAAAChzdGNvAAAAAAAAAAYAAAXyAAAIgQAACJMAAAilAAAIswAACMUAAAAac2dwZAEAAAByb2xsAAAAAgAAAAH//wAAABxzYmdw',
  'AAAAAHJvbGwAAAABAAAACQAAAAEAAAA9dWR0YQAAADVtZXRhAAAAAAAAACFoZGxyAAAAAAAAAABtZGlyYXBwbAAAAAAAAAAAAAAA',
  'AAhpbHN0AAAACGZyZWUAAALfbWRhdN4CAExhdmM1OS4zNy4xMDAAAjBADgAAAlUGBf//UdxF6b3m2Ui3lizYINkj7u94MjY0IC0g',
  'Y29yZSAxNjQgcjMwOTUgYmFlZTQwMCAtIEguMjY0L01QRUctNCBBVkMgY29kZWMgLSBDb3B5bGVmdCAyMDAzLTIwMjIgLSBodHRw',
  'Oi8vd3d3LnZpZGVvbGFuLm9yZy94MjY0Lmh0bWwgLSBvcHRpb25zOiBjYWJhYz0wIHJlZj0xIGRlYmxvY2s9MDotMzotMyBhbmFs',
  'eXNlPTA6MCBtZT1kaWEgc3VibWU9MCBwc3k9MSBwc3lfcmQ9Mi4wMDowLjcwIG1peGVkX3JlZj0wIG1lX3JhbmdlPTE2IGNocm9t',
  'YV9tZT0xIHRyZWxsaXM9MCA4eDhkY3Q9MCBjcW09MCBkZWFkem9uZT0yMSwxMSBmYXN0X3Bza2lwPTEgY2hyb21hX3FwX29mZnNl',
  'dD0wIHRocmVhZHM9MiBsb29rYWhlYWRfdGhyZWFkcz0xIHNsaWNlZF90aHJlYWRzPTAgbnI9MCBkZWNpbWF0ZT0xIGludGVybGFj',
  'ZWQ9MCBibHVyYXlfY29tcGF0PTAgY29uc3RyYWluZWRfaW50cmE9MCBiZnJhbWVzPTAgd2VpZ2h0cD0wIGtleWludD0yNTAga2V5',
  'aW50X21pbj01IHNjZW5lY3V0PTAgaW50cmFfcmVmcmVzaD0wIHJjPWNyZiBtYnRyZWU9MCBjcmY9MjMuMCBxY29tcD0wLjYwIHFw',
  'bWluPTAgcXBtYXg9NjkgcXBzdGVwPTQgaXBfcmF0aW89MS40MCBhcT0wAIAAAAAdZYiEOhGKAAIeccAAtHAAKycnJ11111111111',
  '14ABGCAHARggBwAAAAZBmiAUoIwBGCAHARggBwAAAAZBmkAUoIwBGCAHAAAABkGaYBSgjAEYIAcBGCAHAAAABkGagBWgjAEYIAc=',
].join('');

export function placeholderMp4(): Buffer {
  return Buffer.from(PLACEHOLDER_MP4_BASE64, 'base64');
}
