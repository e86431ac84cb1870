/**
 * Figure 9: burning captions. (a) How long the media worker takes to burn 20 captions into a
 * minute of 720p video (the whole `finishVideo`: tag pass, ASS script, libass + x264), one burn
 * at a time. (b) Whether people's acks move while a burn runs: figure 1's Discord burst (real
 * discord.js against the fake Discord in a child process), with no burn and with a burn in
 * flight on a media worker of this process, alternating, plus the event-loop delay meanwhile.
 */
import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Cue, FinishedVideo } from '../../src/core/handover-ports.js';
import { resolveFfmpeg } from '../../src/core/media/ffmpeg-binary.js';
import { createPooledPreparer, type PooledPreparer } from '../../src/core/media/pool.js';
import { makeVideo } from '../../test/helpers/media.js';
import { say, sleep } from '../lib/log.js';
import { startMockProcess } from '../lib/mock-process.js';
import { startPlatformProcess } from '../lib/platform-process.js';
import type { FigureResult, GoalCheck } from '../lib/result.js';
import { seriesOf } from '../lib/result.js';
import { fmt, summarize } from '../lib/stats.js';
import { burst } from './ack.js';

const VIDEO_SECONDS = 60;
const CUE_COUNT = 20;
const BURN_RUNS = 3;
/** Bursts per condition (no burn / burn in flight), alternating so drift in the machine's load hits both. */
const ACK_RUNS = 5;
const ACK_CONCURRENT = 100;
/** The burn in flight during a burst: 10 s of the same 720p video, which outlasts a burst's acks. */
const BACKGROUND_SECONDS = 10;
/** Time for the tag pass and ffmpeg's start before the burst, so the burst meets x264 at work. */
const BURN_WARMUP_MS = 2000;
const TAGS = { comment: 'AI-generated talking avatar (bench)', ai_generated: 'true' };

/** CUE_COUNT captions of two short lines spread over `seconds`, as speech-to-text would time them. */
function cuesOver(seconds: number): Cue[] {
  const span = seconds / CUE_COUNT;
  return Array.from({ length: CUE_COUNT }, (_, i) => ({
    start: i * span + 0.2,
    end: (i + 1) * span - 0.2,
    text: `This is caption number ${i + 1}, spoken\nby the talking avatar on screen`,
  }));
}

function burnOf(pool: PooledPreparer, video: Buffer, seconds: number): Promise<FinishedVideo> {
  return pool.finishVideo({ video, tags: TAGS, burn: { cues: cuesOver(seconds), cornerMark: true }, burnTimeoutMs: 600_000 });
}

async function burnTimes(pool: PooledPreparer, video: Buffer, notes: string[]): Promise<{ ms: number[]; outBytes: number }> {
  const ms: number[] = [];
  let outBytes = 0;
  for (let run = 1; run <= BURN_RUNS; run += 1) {
    const t0 = performance.now();
    const done = await burnOf(pool, video, VIDEO_SECONDS);
    const took = performance.now() - t0;
    if (!done.captionsBurned) {
      notes.push(`burn run ${run}: not burned (${done.burnFailed ?? 'no reason'})`);
      continue;
    }
    ms.push(took);
    outBytes = done.bytes.byteLength;
    say(`figure 9 burn run ${run}: ${fmt(took / 1000, 2)} s for ${VIDEO_SECONDS} s of 720p`);
  }
  return { ms, outBytes };
}

interface AckRuns {
  acks: number[][];
  loopP99: number[];
  failed: number;
}

async function ackRuns(pool: PooledPreparer, background: Buffer, notes: string[]): Promise<Record<'idle' | 'burning', AckRuns>> {
  const out = { idle: { acks: [], loopP99: [], failed: 0 }, burning: { acks: [], loopP99: [], failed: 0 } } as Record<
    'idle' | 'burning',
    AckRuns
  >;
  const mock = await startMockProcess({ renderMs: 120_000, queueMs: 200 });
  const fakes = await startPlatformProcess();
  try {
    for (let run = 1; run <= ACK_RUNS; run += 1) {
      for (const condition of ['idle', 'burning'] as const) {
        let inFlight = false;
        let burning: Promise<unknown> = Promise.resolve();
        if (condition === 'burning') {
          inFlight = true;
          burning = burnOf(pool, background, BACKGROUND_SECONDS).finally(() => {
            inFlight = false;
          });
          await sleep(BURN_WARMUP_MS);
        }
        const loop = monitorEventLoopDelay({ resolution: 10 });
        loop.enable();
        // No settling after the burst: the acks are the figure, and the bot is stopped right after.
        const r = await burst('discord', 900 + run * 10 + (condition === 'idle' ? 0 : 1), fakes, mock, ACK_CONCURRENT, 0);
        loop.disable();
        if (condition === 'burning' && !inFlight) notes.push(`ack run ${run}: the burn ended before the burst did`);
        await burning;
        out[condition].acks.push(r.acks);
        out[condition].loopP99.push(loop.percentile(99) / 1e6);
        out[condition].failed += r.failed;
        say(`figure 9 acks ${condition} run ${run}: p99 ${fmt(summarize(r.acks).p99)} ms, loop p99 ${fmt(loop.percentile(99) / 1e6)} ms`);
      }
    }
  } finally {
    await fakes.close();
    await mock.close();
  }
  return out;
}

export async function runBurnFigure(): Promise<FigureResult> {
  const started = performance.now();
  const load = loadavg()[0] ?? 0;
  const ffmpeg = resolveFfmpeg({});
  const notes: string[] = [];
  const video = await makeVideo(VIDEO_SECONDS, 1280, 720, 25);
  const background = await makeVideo(BACKGROUND_SECONDS, 1280, 720, 25);
  const pool = createPooledPreparer({}, { ffmpegPath: ffmpeg.path, size: 1 });
  let burns: Awaited<ReturnType<typeof burnTimes>>;
  let acks: Awaited<ReturnType<typeof ackRuns>>;
  try {
    burns = await burnTimes(pool, video, notes);
    acks = await ackRuns(pool, background, notes);
  } finally {
    await pool.stop();
  }
  const perMinute = burns.ms.map((ms) => ms / 1000 / (VIDEO_SECONDS / 60));
  const burn = summarize(perMinute.length > 0 ? perMinute : [Number.NaN]);
  const p99 = (runs: number[][]) => runs.map((r) => summarize(r).p99);
  const idle = summarize(p99(acks.idle.acks));
  const burning = summarize(p99(acks.burning.acks));
  // Run-to-run noise: how far apart the runs without a burn already are.
  const noise = idle.max - idle.min;
  const moved = burning.median - idle.median;
  const complete = acks.idle.failed + acks.burning.failed === 0 && burns.ms.length === BURN_RUNS;
  const goals: GoalCheck[] = [
    {
      goal: `burn time per minute of 720p video reported (median of ${BURN_RUNS})`,
      measured: `${fmt(burn.median, 1)} s per minute (min ${fmt(burn.min, 1)}, max ${fmt(burn.max, 1)})`,
      met: burns.ms.length === BURN_RUNS,
    },
    {
      goal: 'Discord ack p99 with a burn in flight moves no more than the run-to-run noise without one',
      measured: `median p99 ${fmt(idle.median)} ms idle, ${fmt(burning.median)} ms burning (moved ${fmt(moved)} ms, noise ${fmt(noise)} ms)`,
      met: complete && moved <= noise,
    },
  ];
  return {
    id: 9,
    title: 'Burning captions',
    method: [
      `(a) A ${VIDEO_SECONDS} s 1280x720 25 fps H.264 + AAC test video (ffmpeg's testsrc2, about ${fmt(video.byteLength / 1e6)} MB), ` +
        `${CUE_COUNT} two-line captions and the corner mark, burned by the core's finishVideo on one media worker (tag pass, ASS ` +
        `script, libass + x264 veryfast crf 20 at nice 10, audio copied), ${BURN_RUNS} times one after another. ` +
        `ffmpeg ${ffmpeg.version}; ${availableParallelism()} cores.`,
      `(b) Figure 1's Discord burst: ${ACK_CONCURRENT} /avatar interactions at once from the fake Discord in a child process to ` +
        "a fresh bot + core in this process (each job then prepares its media on the core's own workers), time from " +
        `INTERACTION_CREATE to the defer callback. ${ACK_RUNS} runs with no burn and ${ACK_RUNS} with a burn of ` +
        `${BACKGROUND_SECONDS} s of the same 720p video in flight on a separate media worker (started ${BURN_WARMUP_MS} ms ` +
        "before the burst), alternating; no settling after a burst (the bot stops, cutting the jobs' preparations). The event " +
        "loop's delay p99 (monitorEventLoopDelay, 10 ms resolution) over each run (the bot's start, the burst, its stop) is given too.",
      `Load average (1 min) when the figure started: ${load.toFixed(2)}. The machine was shared with other work when this ` +
        'was measured: the numbers are indicative.',
    ],
    series: [
      { label: 'burn time per minute of 720p video', unit: 's', summary: burn, perRun: { stat: 'value', values: perMinute } },
      seriesOf('Discord ack, no burn', 'ms', acks.idle.acks, summarize, 'p99'),
      seriesOf('Discord ack, a burn in flight', 'ms', acks.burning.acks, summarize, 'p99'),
    ],
    facts: [
      { label: 'Burned file', value: `${fmt(burns.outBytes / 1e6)} MB from ${fmt(video.byteLength / 1e6)} MB` },
      { label: 'Event-loop delay p99 per burst, no burn', value: acks.idle.loopP99.map((v) => `${fmt(v)} ms`).join(', ') },
      { label: 'Event-loop delay p99 per burst, a burn in flight', value: acks.burning.loopP99.map((v) => `${fmt(v)} ms`).join(', ') },
      { label: 'Interactions not deferred', value: `${acks.idle.failed + acks.burning.failed} of ${2 * ACK_RUNS * ACK_CONCURRENT}` },
    ],
    goals,
    notes,
    seconds: (performance.now() - started) / 1000,
  };
}
