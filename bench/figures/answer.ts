/**
 * Figure 3: from "video ready" (the avatar server's task finishedAt) to the person's answer
 * (the ChatReply's result() call), and status requests per job, for 200 jobs, three ways at
 * once: the core's scheduled polling, the core with webhooks, and a 2-second polling loop as
 * the official Mirako CLI does (the baseline, over the same AvatarApi client).
 */
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createAvatarApi } from '../../src/core/avatar-api.js';
import { createMediaPreparer } from '../../src/core/media/index.js';
import { bytesInput } from '../../src/core/media-input.js';
import { voiceFile } from '../../src/core/ports.js';
import type { ChatReply, PreparedMedia } from '../../src/core/ports.js';
import { MP3_BITRATE } from '../../src/core/media/media-config.js';
import { startHarness, type Harness } from '../../test/helpers/harness.js';
import { makeJpeg, makeTone } from '../../test/helpers/media.js';
import { recordingReply } from '../../test/helpers/recording-reply.js';
import { createGate } from '../lib/limiter.js';
import { startMockProcess, type MockProcess, type RenderTimeModel } from '../lib/mock-process.js';
import { remoteMock } from '../lib/remote-mock.js';
import { say, sleep, until } from '../lib/log.js';
import { simulatePolling } from '../lib/poll-sim.js';
import { seededRandom, type RenderModel } from '../lib/random.js';
import { defaultPollPlan } from '../../src/core/schedule/policy.js';
import type { FigureResult, GoalCheck } from '../lib/result.js';
import { fmt, summarize } from '../lib/stats.js';
import { productionEnv } from '../lib/env.js';

/** Voice notes from 5 to 60 s, in 5 s steps (one real Opus file each). */
const DEFAULT_DURATIONS = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60];
/** Real time (no scaling): renders take audio x ~1.2 with a log-normal spread. */
const MODEL: RenderModel = { ratio: 1.2, sigma: 0.2 };
/** People send their voice notes over this window (a busy evening, compressed). */
const BASELINE_INTERVAL_MS = 2000;
/**
 * The default MP3 is constant-bitrate, so the avatar server (in its own process, render off) reads
 * each voice note's seconds from its size and draws the modelled render time from them.
 */
const BYTES_PER_SECOND = MP3_BITRATE / 8;
const ENV = productionEnv(1000);

/** Each mode's avatar server draws its render times from its own seed. */
function serverFor(seed: number): Promise<MockProcess> {
  const model: RenderTimeModel = { ...MODEL, seed, bytesPerSecond: BYTES_PER_SECOND };
  return startMockProcess({ renderMs: 0, queueMs: 200, model });
}

/** Answers so far per mode (for the progress line). */
const progress = { scheduled: 0, webhook: 0, baseline: 0 };

interface ModeResult {
  /** Jobs that ended without a video (code: message), or baseline loops that threw. */
  errors: string[];
  latencies: number[];
  statusPerJob: number[];
  answered: number;
}

/** A ChatReply that records when each result arrives, around the shared recording fake. */
function timedReply(onAnswer: () => void): { reply: ChatReply; answeredAt: Map<string, number>; errors: string[] } {
  const rec = recordingReply();
  const answeredAt = new Map<string, number>();
  const errors: string[] = [];
  return {
    answeredAt,
    errors,
    reply: {
      progress: (job, u) => rec.progress(job, u),
      async error(job, e) {
        errors.push(`${e.code}: ${e.message}`);
        onAnswer();
        return rec.error(job, e);
      },
      async result(job, r) {
        answeredAt.set(job.id, Date.now());
        onAnswer();
        return rec.result(job, r);
      },
    },
  };
}

/** One of the core's two modes: creates the jobs on the arrival schedule and waits for answers. */
async function coreMode(
  webhooks: boolean,
  jpeg: Buffer,
  voices: Buffer[],
  plan: number[],
  gate: <T>(fn: () => Promise<T>) => Promise<T>,
  t0: number,
): Promise<{ result: ModeResult; h: Harness; server: MockProcess }> {
  const server = await serverFor(webhooks ? 33 : 34);
  const h = await startHarness({ env: ENV, webhooks, mock: remoteMock(server) });
  const { reply, answeredAt, errors } = timedReply(() => {
    progress[webhooks ? 'webhook' : 'scheduled'] += 1;
  });
  h.core.registerReply('bench', reply);
  await h.startCore();
  const ids: string[] = [];
  await Promise.all(
    plan.map(async (d, i) => {
      await sleep(Math.max(0, t0 + (i * ARRIVAL_MS) / JOBS - performance.now()));
      const job = await gate(() =>
        h.core.jobs.create({
          platform: 'bench',
          requesterId: `person-${i}`,
          groupId: 'server-1',
          replyTo: `bench:${i}`,
          image: bytesInput(jpeg),
          speech: voiceFile(bytesInput(voices[d] ?? Buffer.alloc(0))),
        }),
      );
      ids.push(job.id);
    }),
  );
  await until(() => answeredAt.size + errors.length >= JOBS, Math.max(1000, t0 + DEADLINE_MS - performance.now()), 200);
  const tasks = new Map((await server.tasks()).map((t) => [t.taskId, t]));
  const calls = (await server.stats()).statusCallsByTask;
  const latencies: number[] = [];
  const statusPerJob: number[] = [];
  for (const id of ids) {
    const job = await h.core.jobs.get(id);
    const task = job?.taskId == null ? undefined : tasks.get(job.taskId);
    const at = answeredAt.get(id);
    if (job?.taskId == null || task?.finishedAt == null || at === undefined) continue;
    latencies.push(at - task.finishedAt);
    statusPerJob.push(calls[job.taskId] ?? 0);
  }
  return { result: { latencies, statusPerJob, answered: answeredAt.size, errors }, h, server };
}

/** The baseline: submit, then ask every 2 s until final, as the Mirako CLI does. */
async function baselineMode(prepared: PreparedMedia[], plan: number[], t0: number): Promise<{ result: ModeResult; server: MockProcess }> {
  const mock = await serverFor(35);
  const api = createAvatarApi({ baseUrl: mock.url, apiKey: undefined, requestTimeoutMs: 30_000 }, { logger: pino({ level: 'silent' }) });
  const answered: Array<{ taskId: string; at: number }> = [];
  const errors: string[] = [];
  await Promise.all(
    plan.map(async (d, i) => {
      await sleep(Math.max(0, t0 + (i * ARRIVAL_MS) / JOBS - performance.now()));
      const media = prepared[d];
      if (media === undefined) return;
      try {
        const { taskId } = await api.submit({ image: media.image, audio: media.audio });
        for (let n = 0; n < DEADLINE_MS / BASELINE_INTERVAL_MS; n += 1) {
          await sleep(BASELINE_INTERVAL_MS);
          const st = await api.status(taskId);
          if (st.status !== 'IN_QUEUE' && st.status !== 'IN_PROGRESS') {
            answered.push({ taskId, at: Date.now() });
            progress.baseline += 1;
            return;
          }
        }
        errors.push(`still ${taskId} unfinished at the deadline`);
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
      }
    }),
  );
  const tasks = new Map((await mock.tasks()).map((t) => [t.taskId, t]));
  const calls = (await mock.stats()).statusCallsByTask;
  const latencies: number[] = [];
  const statusPerJob: number[] = [];
  for (const a of answered) {
    const finishedAt = tasks.get(a.taskId)?.finishedAt;
    if (finishedAt == null) continue;
    latencies.push(a.at - finishedAt);
    statusPerJob.push(calls[a.taskId] ?? 0);
  }
  return { result: { latencies, statusPerJob, answered: answered.length, errors }, server: mock };
}

/** Size of the run: the figure's defaults, smaller for a smoke check. */
export interface AnswerOptions {
  jobs?: number;
  arrivalMs?: number;
  durations?: number[];
  deadlineMs?: number;
}

let JOBS = 200;
let ARRIVAL_MS = 30_000;
let DEADLINE_MS = 300_000;

export async function runAnswerFigure(opts: AnswerOptions = {}): Promise<FigureResult> {
  JOBS = opts.jobs ?? 200;
  ARRIVAL_MS = opts.arrivalMs ?? 30_000;
  DEADLINE_MS = opts.deadlineMs ?? 240_000;
  const DURATIONS = opts.durations ?? DEFAULT_DURATIONS;
  const started = performance.now();
  say('figure 3: making voice notes of 5-60 s');
  const jpeg = await makeJpeg(640, 640);
  const voices = await Promise.all(DURATIONS.map((d) => makeTone(d, 'ogg')));
  const preparer = createMediaPreparer({ audioFormat: 'mp3' }, { ffmpegPath: ffmpeg.path });
  const prepared = await Promise.all(voices.map((v) => preparer.prepare(jpeg, v)));
  // Which voice note each of the 200 people sends: uniform over the durations.
  const pick = seededRandom(7);
  const plan = Array.from({ length: JOBS }, () => Math.floor(pick() * DURATIONS.length));
  // At most two preparations at a time across both core modes, as two cores allow; see figure 1.
  const gate = createGate(2);
  say(`figure 3: ${JOBS} jobs x 3 modes, arrivals over ${ARRIVAL_MS / 1000} s, renders up to ~3 min (real time)`);
  const t0 = performance.now();
  const tick = (): void => {
    const seconds = Math.round((performance.now() - t0) / 1000);
    say(`figure 3: ${seconds} s, answered ${progress.scheduled} / ${progress.webhook} / ${progress.baseline}`);
  };
  const ticker = setInterval(tick, 20_000);
  const [scheduled, webhook, baseline] = await Promise.all([
    coreMode(false, jpeg, voices, plan, gate, t0),
    coreMode(true, jpeg, voices, plan, gate, t0),
    baselineMode(prepared, plan, t0),
  ]);
  clearInterval(ticker);
  for (const [name, m] of [
    ['scheduled', scheduled.server],
    ['webhook', webhook.server],
    ['baseline', baseline.server],
  ] as const) {
    const tasks = await m.tasks();
    const st = await m.stats();
    say(
      `figure 3 ${name}: ${tasks.length} tasks, ${tasks.filter((t) => t.finishedAt === null).length} unfinished, submits ` +
        `${st.submits} accepted ${st.accepted}`,
    );
  }
  const ratioLearned = scheduled.h.engine.renderRatio();
  const spreadLearned = scheduled.h.engine.renderSpread();
  const webhooksSent = (await webhook.server.stats()).webhooksSent;
  await Promise.all([scheduled.h.stop(), webhook.h.stop()]);
  await Promise.all([scheduled.server.close(), webhook.server.close(), baseline.server.close()]);

  const sS = summarize(scheduled.result.latencies);
  const sW = summarize(webhook.result.latencies);
  const sB = summarize(baseline.result.latencies);
  const perJob = (r: ModeResult): number => r.statusPerJob.reduce((a, b) => a + b, 0) / Math.max(1, r.statusPerJob.length);
  const [rS, rW, rB] = [perJob(scheduled.result), perJob(webhook.result), perJob(baseline.result)];
  say(
    `figure 3: p95 scheduled ${fmt(sS.p95)} ms, webhook ${fmt(sW.p95)} ms, baseline ${fmt(sB.p95)} ms; status/job ${rS.toFixed(1)} / ` +
      `${rW.toFixed(1)} / ${rB.toFixed(1)}`,
  );
  const fewer = 1 - rS / rB;
  const goals: GoalCheck[] = [
    { goal: 'webhook: p95 ready -> answer < 300 ms', measured: `${fmt(sW.p95)} ms`, met: sW.p95 < 300 && sW.n === JOBS },
    { goal: 'webhook: about one status request per job', measured: `${rW.toFixed(2)} per job`, met: rW <= 1.5 },
    { goal: 'scheduled: p95 ready -> answer within 2 s', measured: `${fmt(sS.p95)} ms`, met: sS.p95 <= 2000 && sS.n === JOBS },
    { goal: 'scheduled: p99 ready -> answer within 4 s', measured: `${fmt(sS.p99)} ms`, met: sS.p99 <= 4000 && sS.n === JOBS },
    {
      goal: 'scheduled: >= 50% fewer status requests than the 2 s baseline',
      measured: `${(fewer * 100).toFixed(0)}% fewer (${rS.toFixed(1)} vs ${rB.toFixed(1)} per job)`,
      met: fewer >= 0.5,
    },
  ];
  // The same plan in the offline model, at other spreads: where the two polling goals meet.
  // The previous plan: 2 s polls from 12 s before the ETA to 12 s after it, whatever the spread.
  const previousPlan = { ...defaultPollPlan, approachMs: 12_000, windowSpreads: 0, tailSpreads: 0, leadSpreads: 0 };
  const modelFacts = [0.1, 0.2, 0.3].flatMap((sigma) =>
    (
      [
        ['shipped plan', defaultPollPlan],
        ['previous plan', previousPlan],
      ] as const
    ).map(([name, plan]) => {
      const m = simulatePolling(plan, { ratio: MODEL.ratio, sigma }, DURATIONS, { startRatio: 1.5 });
      return {
        label: `Model, ${name}, spread sigma ${sigma}`,
        value:
          `p95 wait ${fmt(m.latency.p95)} ms, p99 ${fmt(m.latency.p99)} ms, ${m.pollsPerJob.toFixed(1)} polls/job vs ` +
          `${m.baselinePollsPerJob.toFixed(1)} for the 2 s loop (${((1 - m.pollsPerJob / m.baselinePollsPerJob) * 100).toFixed(1)}% fewer)`,
      };
    }),
  );
  // The model again at this figure's own size (200 jobs over 30 s), over 30 seeds: how far one
  // run of 200 can land from the long-run figures above by the draw alone.
  const draws = Array.from({ length: 30 }, (_, k) =>
    simulatePolling(defaultPollPlan, MODEL, DURATIONS, { jobs: JOBS, arrivalMs: ARRIVAL_MS, seed: k + 1, startRatio: 1.5 }),
  );
  const p95s = summarize(draws.map((m) => m.latency.p95));
  const fewers = summarize(draws.map((m) => (1 - m.pollsPerJob / m.baselinePollsPerJob) * 100));
  modelFacts.push({
    label: `Model, shipped plan, this figure's size (${JOBS} jobs over ${ARRIVAL_MS / 1000} s), 30 seeds`,
    value:
      `p95 wait median ${fmt(p95s.median)} ms (worst ${fmt(p95s.max)} ms); ${fewers.median.toFixed(1)}% fewer polls than the 2 s loop ` +
      `(least ${fewers.min.toFixed(1)}%)`,
  });
  const statusSeries = (label: string, r: ModeResult) => ({ label, unit: 'requests/job', summary: summarize(r.statusPerJob) });
  return {
    id: 3,
    title: 'Video ready to answer, and status requests per job',
    method: [
      `${JOBS} jobs per mode, all three modes at once in this process, each against its own local avatar server in its own child ` +
        `process (render off, so "rendering" is only the modelled wait), so the servers' work does not share the bot's event loop. ` +
        `People arrive evenly over ${ARRIVAL_MS / 1000} s.`,
      `Job durations: voice notes of 5-60 s (12 real Ogg/Opus files, uniform); render time = audio seconds x ${MODEL.ratio} x log-normal ` +
        `spread (sigma ${MODEL.sigma}), plus 200 ms in queue. Real time, not scaled, so the poll settings are the production ones ` +
        `(AVATAR_POLL_FIRST_SECONDS=1.5, AVATAR_POLL_MAX_INTERVAL_SECONDS=30), audio is the default MP3 (the server reads its seconds from its size), and the core starts from AVATAR_RENDER_RATIO=1.5 and ` +
        `learns the true ratio as jobs finish.`,
      '"Video ready" = the avatar server\'s task finishedAt (mock.tasks()); "answer" = when the recording ChatReply\'s result() is ' +
        'called (for the baseline: when the loop sees the final status). Status requests counted by the avatar server per task.',
      'Scheduled and webhook modes: a real core (test/helpers/harness.ts) with LIMIT_IN_FLIGHT/LIMIT_PER_GROUP raised to 1000; webhook ' +
        "mode sets PUBLIC_URL to the harness's HTTP server so each submit carries a webhook. Baseline: the same AvatarApi client, " +
        'submit then status every 2 s.',
      '"Model" lines: bench/lib/poll-sim.ts runs the real nextPollDelay, ETA and learning (ratio from 1.5, spread from the plan\'s) ' +
        'over 4,000 simulated jobs arriving 150 ms apart (no network) at other render-time spreads, for the shipped plan and the ' +
        'previous one (2 s polls from 12 s before the ETA to 12 s after it).',
      'Job creation (media preparation) is limited to 2 at a time on the bench side, so preparation load does not blur the timing ' +
        '(figure 1 shows why).',
    ],
    series: [
      { label: 'Scheduled polling: ready -> answer', unit: 'ms', summary: sS },
      { label: 'Webhook: ready -> answer', unit: 'ms', summary: sW },
      { label: 'Baseline 2 s loop: ready -> answer', unit: 'ms', summary: sB },
      statusSeries('Scheduled polling: status requests', scheduled.result),
      statusSeries('Webhook: status requests', webhook.result),
      statusSeries('Baseline 2 s loop: status requests', baseline.result),
    ],
    facts: [
      {
        label: 'Answered (scheduled / webhook / baseline)',
        value: `${scheduled.result.answered} / ${webhook.result.answered} / ${baseline.result.answered} of ${JOBS}`,
      },
      {
        label: 'Status requests per job, mean (scheduled / webhook / baseline)',
        value: `${rS.toFixed(2)} / ${rW.toFixed(2)} / ${rB.toFixed(2)}`,
      },
      { label: 'Webhooks delivered (webhook mode)', value: String(webhooksSent) },
      ...(
        [
          ['scheduled', scheduled.result],
          ['webhook', webhook.result],
          ['baseline', baseline.result],
        ] as const
      )
        .filter(([, r]) => r.errors.length > 0)
        .map(([name, r]) => ({
          label: `Ended without a video (${name})`,
          value: `${r.errors.length}: ${[...new Set(r.errors)].slice(0, 3).join(' | ')}`,
        })),
      ...modelFacts,
      {
        label:
          'Render ratio and spread the core learned (true 1.2 and sigma 0.2; started at 1.5 and 0.2; from the start as placed between polls)',
        value: `${ratioLearned.toFixed(2)}, ${spreadLearned.toFixed(3)} (the last jobs to end are the slow ones: both end high)`,
      },
    ],
    goals,
    notes: [],
    seconds: (performance.now() - started) / 1000,
  };
}
