/**
 * Figure 7: typed text to submit. From `jobs.create()` with typed text (about 100 characters)
 * to the moment the avatar service accepted the submit (the job turns `submitted`), one request
 * at a time and ten at once, with two speech services: the preview server's eSpeak NG (on its
 * worker thread, in this process, as `npm start` runs it) and a stand-in for the real service
 * that answers every text-to-speech request after 300 ms with a 6 s WAV.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { bytesInput } from '../../src/core/media-input.js';
import { typedText, type AvatarRequest, type JobView } from '../../src/core/ports.js';
import { createPreviewAvatarServer } from '../../src/preview-avatar/index.js';
import type { FakeAvatarServer } from '../../test/fakes/avatar/index.js';
import { startHarness } from '../../test/helpers/harness.js';
import { makeJpeg, makeTone } from '../../test/helpers/media.js';
import { recordingReply } from '../../test/helpers/recording-reply.js';
import { productionEnv } from '../lib/env.js';
import { say } from '../lib/log.js';
import type { FigureResult, GoalCheck, Series } from '../lib/result.js';
import { fmt, summarize } from '../lib/stats.js';

const TEXT = 'Good morning, team. The release went out at nine, and every check on the dashboard is green again.';
const SEQUENTIAL = 15;
const BURST = 10;
const SERVICE_TTS_MS = 300;

/** A preview server whose TTS answers after SERVICE_TTS_MS with a fixed WAV (the real service's shape). */
function slowSpeechServer(wav: Uint8Array) {
  const b64 = Buffer.from(wav).toString('base64');
  return createPreviewAvatarServer({
    renderMs: () => 60_000,
    faults: {
      intercept(endpoint, req: IncomingMessage, res: ServerResponse, later) {
        if (endpoint !== 'tts') return false;
        req.resume();
        later(SERVICE_TTS_MS, () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ data: { id: 'tts-1', voice_profile_id: 'preview-en-us', b64_audio_str: b64, output_duration: 6 } }));
        });
        return true;
      },
      refuseTask: () => false,
      outcome: () => null,
    },
  });
}

async function measure(label: string, server: ReturnType<typeof createPreviewAvatarServer>) {
  await server.start();
  // The harness only needs the server's URL when one is passed in.
  // Production timeouts: the harness's 5 s request timeout is for tests, and a burst can near it.
  const h = await startHarness({ mock: server as unknown as FakeAvatarServer, env: { ...productionEnv(100), LIMIT_PER_PERSON: '100' } });
  h.core.registerReply('bench', recordingReply());
  await h.startCore();
  const face = await makeJpeg();
  const submittedAt = new Map<string, number>();
  h.engine.onUpdate((job: JobView) => {
    if (job.state === 'submitted' && !submittedAt.has(job.id)) submittedAt.set(job.id, performance.now());
  });
  const request = (i: number): AvatarRequest => ({
    platform: 'bench',
    requesterId: `p${i}`,
    groupId: '',
    replyTo: `bench:${i}`,
    image: bytesInput(face),
    speech: typedText(TEXT, 'preview-en-us'),
  });
  const one = async (i: number): Promise<{ create: number; submit: number }> => {
    const t0 = performance.now();
    const job = await h.core.jobs.create(request(i));
    const created = performance.now();
    while (!submittedAt.has(job.id)) await new Promise((r) => setTimeout(r, 5));
    return { create: created - t0, submit: (submittedAt.get(job.id) ?? created) - t0 };
  };
  await one(-1); // warm-up: the first speech starts the synthesizer, the first job the pipeline
  const sequential: Array<{ create: number; submit: number }> = [];
  for (let i = 0; i < SEQUENTIAL; i += 1) sequential.push(await one(i));
  const burst = await Promise.all(Array.from({ length: BURST }, (_, i) => one(1000 + i)));
  await h.stop();
  await server.close();
  say(`figure 7 (${label}): median ${fmt(summarize(sequential.map((s) => s.submit)).median)} ms to submit`);
  return { sequential, burst };
}

export async function runTypedFigure(): Promise<FigureResult> {
  const started = performance.now();
  const preview = await measure('preview eSpeak NG', createPreviewAvatarServer({ renderMs: () => 60_000 }));
  const service = await measure(`${SERVICE_TTS_MS} ms service TTS`, slowSpeechServer(await makeTone(6, 'wav')));
  const series: Series[] = [];
  const add = (label: string, values: number[]) => {
    const summary = summarize(values);
    series.push({ label, unit: 'ms', summary, perRun: { stat: 'p95', values: [summary.p95] } });
    return summary;
  };
  const pSeq = add(
    'preview eSpeak NG, one at a time: create() -> submitted',
    preview.sequential.map((s) => s.submit),
  );
  add(
    '  of which create() (speech + preparation + store)',
    preview.sequential.map((s) => s.create),
  );
  const pBurst = add(
    `preview eSpeak NG, ${BURST} at once: create() -> submitted`,
    preview.burst.map((s) => s.submit),
  );
  const sSeq = add(
    `${SERVICE_TTS_MS} ms service TTS, one at a time: create() -> submitted`,
    service.sequential.map((s) => s.submit),
  );
  add(
    '  of which create() (speech + preparation + store)',
    service.sequential.map((s) => s.create),
  );
  const sBurst = add(
    `${SERVICE_TTS_MS} ms service TTS, ${BURST} at once: create() -> submitted`,
    service.burst.map((s) => s.submit),
  );
  const goals: GoalCheck[] = [
    {
      goal: `service TTS: median typed request -> submit < ${SERVICE_TTS_MS} ms TTS + 500 ms`,
      measured: `${fmt(sSeq.median)} ms (p95 ${fmt(sSeq.p95)} ms)`,
      met: sSeq.median < SERVICE_TTS_MS + 500,
    },
    {
      goal: 'preview: p95 typed request -> submit < 2 s (about 100 characters)',
      measured: `${fmt(pSeq.p95)} ms (median ${fmt(pSeq.median)} ms)`,
      met: pSeq.p95 < 2000,
    },
  ];
  return {
    id: 7,
    title: 'Typed text to submit',
    method: [
      `A ${TEXT.length}-character text with a 512 px face, ${SEQUENTIAL} requests one at a time after one warm-up, then ${BURST} at once; ` +
        'time from jobs.create() to the job turning submitted (the service accepted it). Renders are slow on purpose so none finishes meanwhile.',
      'Preview: the local preview server in this process, eSpeak NG on its one worker thread (texts queue there). ' +
        `Service: the same server with its TTS replaced by a ${SERVICE_TTS_MS} ms wait and a 6 s WAV answer.`,
    ],
    series,
    facts: [
      { label: 'Burst p95, preview', value: `${fmt(pBurst.p95)} ms` },
      { label: 'Burst p95, service TTS', value: `${fmt(sBurst.p95)} ms` },
    ],
    goals,
    notes: [],
    seconds: (performance.now() - started) / 1000,
  };
}
