/**
 * Figure 8: preview render speed. The preview server's talking face (face found with the
 * WebAssembly model, mouth moved by the voice, frames piped to one ffmpeg) for 10 s of speech-like
 * audio at 512 px, through the same child process the server uses, one render at a time. Time is
 * from asking to the MP4 on disk (the child's start and model load included); memory is the
 * child's peak RSS (the kernel's count, ffmpeg not included: it is its own process).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { resolveFfmpeg } from '../../src/core/media/ffmpeg-binary.js';
import { defaultFfmpegLimits } from '../../src/core/media/ffmpeg-limits.js';
import { renderInChild } from '../../src/preview-avatar/talking/talking-process.js';
import { makeFacePng, makeSilenceThenSpeechWav } from '../../test/preview-avatar/talking-fixtures.js';
import { say } from '../lib/log.js';
import type { FigureResult, GoalCheck } from '../lib/result.js';
import { fmt, summarize } from '../lib/stats.js';

const AUDIO_SECONDS = 10;
const RUNS = 3;
const MB = 1024 * 1024;

export async function runPreviewRenderFigure(): Promise<FigureResult> {
  const started = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'bench-preview-render-'));
  const imagePath = join(dir, 'face.png');
  const audioPath = join(dir, 'voice.wav');
  await writeFile(imagePath, await makeFacePng());
  // Half a second of silence first, as voice notes start.
  await writeFile(audioPath, makeSilenceThenSpeechWav(0.5, AUDIO_SECONDS - 0.5));
  const ffmpegPath = resolveFfmpeg().path;
  const times: number[] = [];
  const rss: number[] = [];
  const notes: string[] = [];
  try {
    for (let run = 0; run < RUNS; run += 1) {
      const t0 = performance.now();
      const answer = await renderInChild(
        { imagePath, audioPath, outPath: join(dir, `out-${run}.mp4`), ffmpegPath, timeoutMs: 300_000, limits: defaultFfmpegLimits },
        new AbortController().signal,
      );
      const ms = performance.now() - t0;
      if (answer.kind !== 'done') {
        notes.push(
          `run ${run + 1}: no talking render (${answer.kind}${answer.kind === 'failed' ? `: ${answer.reason}, ${answer.detail}` : ''})`,
        );
        continue;
      }
      times.push(ms);
      rss.push(answer.maxRssBytes / MB);
      say(`figure 8: run ${run + 1}: ${fmt(ms)} ms, peak RSS ${fmt(answer.maxRssBytes / MB)} MB`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const time = summarize(times.length > 0 ? times : [Number.NaN]);
  const memory = summarize(rss.length > 0 ? rss : [Number.NaN]);
  const goals: GoalCheck[] = [
    {
      goal: `render time <= 1x the audio (${AUDIO_SECONDS} s of audio in <= ${AUDIO_SECONDS * 1000} ms), 512 px`,
      measured: `max ${fmt(time.max)} ms (median ${fmt(time.median)} ms)`,
      met: times.length === RUNS && time.max <= AUDIO_SECONDS * 1000,
    },
    {
      goal: 'peak RSS of the render process < 500 MB',
      measured: `max ${fmt(memory.max)} MB`,
      met: rss.length === RUNS && memory.max < 500,
    },
  ];
  return {
    id: 8,
    title: 'Preview render speed',
    method: [
      `The drawn test face (512 px) and ${AUDIO_SECONDS} s of audio (0.5 s silence, then a buzz whose loudness swings like syllables), ` +
        `${RUNS} renders one after another through the preview server's render child process.`,
      'Time: from the request to the MP4 written (face finding, audio decoding, frames, x264 + AAC); the first run also starts the ' +
        'render child and loads the WebAssembly model (the server keeps the child for 30 s between renders, as here). ' +
        "Memory: the child's peak RSS (process.resourceUsage().maxRSS); ffmpeg runs under its own caps.",
    ],
    series: [
      { label: `render ${AUDIO_SECONDS} s of audio at 512 px`, unit: 'ms', summary: time, perRun: { stat: 'value', values: times } },
      { label: 'peak RSS of the render process', unit: 'MB', summary: memory, perRun: { stat: 'value', values: rss } },
    ],
    facts: [
      { label: 'Speed', value: `${fmt((AUDIO_SECONDS * 1000) / time.median, 2)}x real time (median)` },
      { label: 'First (cold) render', value: `${fmt(times[0] ?? Number.NaN)} ms` },
    ],
    goals,
    notes,
    seconds: (performance.now() - started) / 1000,
  };
}
