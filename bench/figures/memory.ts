/**
 * Figure 5: memory per submission. 20 concurrent submissions of 25 MB voice notes through the
 * client's submit path (prepared bytes, base64 streamed slice by slice: src/core/base64-body.ts)
 * to an avatar server in a child process; peak RSS growth of this process. Then, separately,
 * what media preparation of such files costs.
 */
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import { execFile } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import pino from 'pino';
import { createAvatarApi } from '../../src/core/avatar-api.js';
import { createMediaPreparer } from '../../src/core/media/index.js';
import { makeJpeg } from '../../test/helpers/media.js';
import { say, sleep } from '../lib/log.js';
import { startMockProcess } from '../lib/mock-process.js';
import type { FigureResult, GoalCheck } from '../lib/result.js';
import { fmt, summarize } from '../lib/stats.js';

const CONCURRENT = 20;
const AUDIO_BYTES = 25 * 1000 * 1000;
const RUNS = 3;
const MB = 1024 * 1024;
const run = promisify(execFile);

/** Runs `fn` while sampling RSS every 5 ms; returns the peak. */
async function peakRss<T>(fn: () => Promise<T>): Promise<{ peak: number; value: T }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { peak, value };
  } finally {
    clearInterval(timer);
  }
}

/** Collects garbage twice (with --expose-gc, which run.ts passes) and lets RSS settle. */
async function settle(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 2; i += 1) {
    gc?.();
    await sleep(100);
  }
  return process.memoryUsage.rss();
}

/** A 25 MB voice note as a phone might send it: 44.1 kHz stereo 16-bit WAV, about 148 s. */
async function bigWav(): Promise<Buffer> {
  const { stdout } = await run(
    ffmpeg.path,
    [
      ...['-nostdin', '-hide_banner', '-loglevel', 'error'],
      ...['-f', 'lavfi', '-i', 'sine=frequency=220:duration=148'],
      ...['-ac', '2', '-ar', '44100', '-c:a', 'pcm_s16le', '-f', 'wav', 'pipe:1'],
    ],
    { encoding: 'buffer', maxBuffer: 64 * MB },
  );
  return stdout;
}

export async function runMemoryFigure(): Promise<FigureResult> {
  const started = performance.now();
  const proc = await startMockProcess({ renderMs: 1000, queueMs: 50, maxBodyBytes: 80 * MB });
  const api = createAvatarApi({ baseUrl: proc.url, apiKey: undefined, requestTimeoutMs: 120_000 }, { logger: pino({ level: 'silent' }) });
  const image = new Uint8Array(await makeJpeg(1024, 1024));
  const payloadSum = CONCURRENT * (AUDIO_BYTES + image.byteLength);
  const growth: number[] = [];
  const overhead: number[] = [];
  const seconds: number[] = [];
  try {
    for (let r = 1; r <= RUNS; r += 1) {
      const before = await settle();
      // The prepared voice notes as the store hands them to submit(): one buffer per job.
      const audios = Array.from({ length: CONCURRENT }, () => randomFillSync(new Uint8Array(AUDIO_BYTES)));
      const loaded = process.memoryUsage.rss();
      const t0 = performance.now();
      const { peak, value } = await peakRss(() => Promise.all(audios.map((audio) => api.submit({ image, audio }))));
      seconds.push((performance.now() - t0) / 1000);
      if (value.length !== CONCURRENT) throw new Error('not every submit was answered');
      growth.push((peak - before) / MB);
      overhead.push((peak - loaded) / MB);
      say(
        `figure 5 run ${r}: peak RSS growth ${fmt((peak - before) / MB)} MiB (payload bytes ${fmt(payloadSum / MB)} MiB), ` +
          `submit-path overhead ${fmt((peak - loaded) / MB)} MiB`,
      );
      audios.length = 0;
    }
  } finally {
    await proc.close();
  }

  say('figure 5: media preparation of 25 MB WAV voice notes');
  const wav = await bigWav();
  const preparer = createMediaPreparer({}, { ffmpegPath: ffmpeg.path });
  const jpeg = await makeJpeg(1024, 1024);
  const prepOne = await (async () => {
    const before = await settle();
    const t0 = performance.now();
    const { peak, value } = await peakRss(() => preparer.prepare(jpeg, wav));
    return { growth: (peak - before) / MB, ms: performance.now() - t0, outBytes: value.audio.byteLength, seconds: value.audioSeconds };
  })();
  const prepMany = await (async () => {
    const before = await settle();
    const t0 = performance.now();
    const { peak } = await peakRss(() => Promise.all(Array.from({ length: CONCURRENT }, () => preparer.prepare(jpeg, wav))));
    return { growth: (peak - before) / MB, ms: performance.now() - t0 };
  })();

  const g = summarize(growth);
  const o = summarize(overhead);
  const sumMiB = payloadSum / MB;
  const goals: GoalCheck[] = [
    {
      goal: `peak RSS growth < 3x the sum of the payloads (${CONCURRENT} x 25 MB)`,
      measured: `${fmt(g.max)} MiB worst run = ${(g.max / sumMiB).toFixed(2)}x of ${fmt(sumMiB)} MiB`,
      met: g.max < 3 * sumMiB,
    },
  ];
  return {
    id: 5,
    title: `Memory per submission: ${CONCURRENT} concurrent 25 MB voice notes`,
    method: [
      `${RUNS} runs. Each: settle (gc), allocate ${CONCURRENT} prepared 25 MB audio buffers (+ a 1024x1024 face), then submit them all ` +
        `at once with the real AvatarApi client to the local avatar server in a child process (its memory is not counted). RSS sampled ` +
        `every 5 ms.`,
      '"Growth" = peak RSS minus RSS before the buffers existed (the payload bytes themselves included); "submit-path overhead" = peak ' +
        'minus RSS once the buffers were allocated: what base64 streaming, undici and the JSON body add.',
      `Media preparation, separately: the same kind of file as a phone would send (25 MB, 44.1 kHz stereo WAV, 148 s) through ` +
        `createMediaPreparer().prepare (default settings: the WAV is transcoded to MP3), alone and ${CONCURRENT} at once (unbounded, as the core does today). ffmpeg ` +
        `runs in child processes: their memory is not in this RSS.`,
    ],
    series: [
      { label: 'Peak RSS growth per run (payload bytes included)', unit: 'MiB', summary: g, perRun: { stat: 'value', values: growth } },
      { label: 'Submit-path overhead per run', unit: 'MiB', summary: o, perRun: { stat: 'value', values: overhead } },
      { label: `Wall time for ${CONCURRENT} submits`, unit: 's', summary: summarize(seconds) },
    ],
    facts: [
      { label: 'Sum of the payloads (raw bytes)', value: `${fmt(sumMiB)} MiB; base64 on the wire ${fmt((sumMiB * 4) / 3)} MiB` },
      {
        label: 'Submit-path overhead per submission',
        value: `${fmt(o.median / CONCURRENT)} MiB median (${((o.median / sumMiB) * 100).toFixed(1)}% of the payload)`,
      },
      {
        label: 'prepare() of one 25 MB WAV',
        value:
          `${fmt(prepOne.ms)} ms, RSS growth ${fmt(prepOne.growth)} MiB; output ${fmt(prepOne.outBytes / MB)} MiB ` +
          `(${prepOne.seconds.toFixed(0)} s at 24 kHz mono)`,
      },
      {
        label: `prepare() of ${CONCURRENT} such files at once`,
        value:
          `${fmt(prepMany.ms)} ms, RSS growth ${fmt(prepMany.growth)} MiB (${fmt(prepMany.growth / CONCURRENT)} MiB per file; the ` +
          `inputs were in memory before)`,
      },
    ],
    goals,
    notes: [],
    seconds: (performance.now() - started) / 1000,
  };
}
