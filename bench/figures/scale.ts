/**
 * Figure 4: scale in one process. 1,000 jobs pending at once in one core (the avatar server
 * runs in a child process so its work is not counted): event-loop delay, RSS and CPU share
 * while they are being taken in, while they wait (polled on schedule), and while they all
 * complete at once.
 */
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { bytesInput } from '../../src/core/media-input.js';
import { voiceFile } from '../../src/core/ports.js';
import { startHarness } from '../../test/helpers/harness.js';
import { makeJpeg, makeTone } from '../../test/helpers/media.js';
import { recordingReply } from '../../test/helpers/recording-reply.js';
import { createGate } from '../lib/limiter.js';
import { say, sleep, until } from '../lib/log.js';
import { startMockProcess } from '../lib/mock-process.js';
import { remoteMock } from '../lib/remote-mock.js';
import type { FigureResult, GoalCheck } from '../lib/result.js';
import { fmt, summarize } from '../lib/stats.js';
import { productionEnv } from '../lib/env.js';

const JOBS = 1000;
const WINDOWS = 4;
const WINDOW_MS = 5000;
const MB = 1024 * 1024;

const ENV = productionEnv(2000);

/** Loop delay, peak RSS and CPU share over one stretch of time. */
interface PhaseSample {
  loopP99: number;
  loopMax: number;
  loopMean: number;
  rssPeakMiB: number;
  cpuShare: number;
  seconds: number;
}

function startPhase(): () => PhaseSample {
  const h: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let rssPeak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }, 50);
  return () => {
    clearInterval(sampler);
    h.disable();
    const cpu = process.cpuUsage(cpu0);
    const wall = performance.now() - t0;
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    return {
      loopP99: h.percentile(99) / 1e6,
      loopMax: h.max / 1e6,
      loopMean: h.mean / 1e6,
      rssPeakMiB: rssPeak / MB,
      cpuShare: (cpu.user + cpu.system) / 1000 / wall,
      seconds: wall / 1000,
    };
  };
}

export async function runScaleFigure(): Promise<FigureResult> {
  const started = performance.now();
  const jpeg = await makeJpeg(256, 256);
  const voice = await makeTone(2, 'ogg');
  // Renders outlast the measurement; completeAll() then finishes every task at once.
  const proc = await startMockProcess({ renderMs: 15 * 60_000, queueMs: 200 });
  const h = await startHarness({ env: ENV, mock: remoteMock(proc) });
  const reply = recordingReply();
  h.core.registerReply('bench', reply);
  await h.startCore();
  const rssStart = process.memoryUsage.rss() / MB;
  try {
    say(`figure 4: taking in ${JOBS} jobs (3 preparations at a time)`);
    const gate = createGate(3);
    const endIntake = startPhase();
    const ids = await Promise.all(
      Array.from({ length: JOBS }, (_, i) =>
        gate(() =>
          h.core.jobs.create({
            platform: 'bench',
            requesterId: `person-${i}`,
            groupId: `server-${i % 20}`,
            replyTo: `bench:${i}`,
            image: bytesInput(jpeg),
            speech: voiceFile(bytesInput(voice)),
          }),
        ).then((j) => j.id),
      ),
    );
    const states = async () => (await Promise.all(ids.map((id) => h.core.jobs.get(id)))).map((j) => j?.state);
    await until(async () => (await states()).every((s) => s === 'submitted'), 60_000, 100);
    const intake = endIntake();
    const submitted = (await states()).filter((s) => s === 'submitted').length;
    say(`figure 4: ${submitted} pending; measuring ${WINDOWS} x ${WINDOW_MS / 1000} s`);
    const polls0 = h.engine.stats().statusPolls;
    const t0 = performance.now();
    const windows: PhaseSample[] = [];
    for (let w = 0; w < WINDOWS; w += 1) {
      const end = startPhase();
      await sleep(WINDOW_MS);
      windows.push(end());
    }
    const pollRate = (h.engine.stats().statusPolls - polls0) / ((performance.now() - t0) / 1000);
    say('figure 4: completing every task at once');
    const endBurst = startPhase();
    await proc.completeAll();
    await until(() => ids.every((id) => reply.finals(id).length > 0), 120_000, 100);
    const burst = endBurst();
    const answered = ids.filter((id) => reply.finals(id).length > 0).length;

    const pending = {
      loopP99: Math.max(...windows.map((w) => w.loopP99)),
      rssPeak: Math.max(...windows.map((w) => w.rssPeakMiB)),
      cpu: windows.reduce((a, w) => a + w.cpuShare, 0) / windows.length,
    };
    const pooledP99 = summarize(windows.map((w) => w.loopP99));
    const goals: GoalCheck[] = [
      {
        goal: `event-loop delay p99 < 20 ms with ${JOBS} jobs pending`,
        measured: `${fmt(pending.loopP99)} ms (worst ${WINDOW_MS / 1000} s window)`,
        met: pending.loopP99 < 20 && submitted === JOBS,
      },
      { goal: 'RSS < 300 MB while pending', measured: `${fmt(pending.rssPeak)} MiB peak`, met: pending.rssPeak < 300 },
    ];
    const line = (p: PhaseSample): string =>
      `loop delay p99 ${fmt(p.loopP99)} ms (max ${fmt(p.loopMax)}), peak RSS ${fmt(p.rssPeakMiB)} MiB, CPU ` +
      `${(p.cpuShare * 100).toFixed(0)}% of one core over ${p.seconds.toFixed(1)} s`;
    return {
      id: 4,
      title: `Scale in one process: ${JOBS} jobs pending`,
      method: [
        `One real core (harness) with LIMIT_IN_FLIGHT=2000, LIMIT_PER_GROUP=2000, QUEUE_MAX=5000 and production poll settings; the local ` +
          `avatar server runs in a child process (render off, every task held for 15 min until completeAll()), so only the bot's own ` +
          `work is measured.`,
        `${JOBS} people (20 servers) each send a 256x256 face and a 2 s Ogg/Opus voice note; creation is limited to 3 preparations at a ` +
          `time on the bench side (the core does not bound it: see figure 1).`,
        `Pending: ${WINDOWS} windows of ${WINDOW_MS / 1000} s once all ${JOBS} are submitted, while the core polls them on schedule (ETA ` +
          `passed: short waits growing with overdue time). Loop delay: perf_hooks monitorEventLoopDelay at 1 ms resolution (each sample ` +
          `includes that 1 ms). RSS sampled every 50 ms. CPU share = process.cpuUsage() over wall time (1.0 = one full core; children ` +
          `not counted).`,
        'Burst: every task completes at once; the core polls each (webhooks off), finishes it and delivers through the recording ' +
          'ChatReply.',
      ],
      series: [
        {
          label: 'Pending: loop delay p99 per window',
          unit: 'ms',
          summary: pooledP99,
          perRun: { stat: 'value', values: windows.map((w) => w.loopP99) },
        },
      ],
      facts: [
        { label: 'Jobs pending at once', value: `${submitted} of ${JOBS}` },
        { label: 'Intake', value: line(intake) },
        ...windows.map((w, i) => ({ label: `Pending window ${i + 1}`, value: line(w) })),
        { label: 'Status polls while pending', value: `${pollRate.toFixed(0)} per second (${JOBS} jobs)` },
        { label: 'Pending, mean CPU share', value: `${(pending.cpu * 100).toFixed(0)}% of one core` },
        { label: 'Burst', value: `${line(burst)}; ${answered} of ${JOBS} answered` },
        { label: 'RSS at start (core started, no jobs)', value: `${fmt(rssStart)} MiB` },
      ],
      goals,
      notes: [],
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await h.stop();
    await proc.close();
  }
}
