/**
 * The media worker thread's side: it runs the direct preparer (sharp, ffmpeg children, their
 * output) on its own event loop, so the main thread only posts bytes and gets answers. Loaded by
 * the source in `worker-source.ts`; one job at a time (the pool never sends a second one early).
 * Log lines are sent back to the main thread, which writes them with its own logger.
 */
import { getPriority } from 'node:os';
import type { MessagePort } from 'node:worker_threads';
import pino from 'pino';
import { createMediaPreparer } from './index.js';
import { errorToWire, type MediaJob, ownedBytes, type WorkerAnswer, type WorkerSetup } from './worker-wire.js';

/** Fields pino adds by itself: the main logger adds its own. */
const OWN_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

function logSink(port: MessagePort): { write(line: string): void } {
  return {
    write(line: string) {
      const record = JSON.parse(line) as Record<string, unknown>;
      const fields: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(record)) if (!OWN_FIELDS.has(k)) fields[k] = v;
      const answer: WorkerAnswer = { log: { level: Number(record.level), fields, msg: String(record.msg ?? '') } };
      port.postMessage(answer);
    },
  };
}

async function run(job: MediaJob, preparer: ReturnType<typeof createMediaPreparer>): Promise<{ value: unknown; transfer: ArrayBuffer[] }> {
  if (job.op === 'image') {
    const img = await preparer.prepareImage(job.image, job.name);
    const out = ownedBytes(img.data);
    return { value: { ...img, data: out.bytes }, transfer: [out.transfer] };
  }
  if (job.op === 'audio') {
    const aud = await preparer.prepareAudio(job.audio, job.name);
    const out = ownedBytes(aud.data);
    return { value: { ...aud, data: out.bytes }, transfer: [out.transfer] };
  }
  if (job.op === 'finish-video') {
    const done = await preparer.finishVideo(job.input);
    const out = ownedBytes(done.bytes);
    return { value: { ...done, bytes: out.bytes }, transfer: [out.transfer] };
  }
  const both = await preparer.prepare(job.image, job.audio);
  const image = ownedBytes(both.image);
  const audio = ownedBytes(both.audio);
  return { value: { ...both, image: image.bytes, audio: audio.bytes }, transfer: [image.transfer, audio.transfer] };
}

/**
 * Answers the pool's jobs on `port` until the thread is terminated. The stub (worker-source.ts)
 * has already lowered this thread's CPU priority by `setup.niceness`, before loading anything:
 * on Linux a thread's nice value is its own (pid 0 is this thread, not the process), and the
 * ffmpeg children it starts inherit it. `priorityError`: why it could not (the worker then runs
 * at the normal priority: slower acks under load, nothing worse).
 */
export function serveMediaJobs(port: MessagePort, setup: WorkerSetup, priorityError: string | null = null): void {
  const logger = pino({ level: setup.logLevel, base: undefined }, logSink(port));
  if (priorityError !== null) logger.warn({ err: priorityError }, 'media worker: could not lower its CPU priority');
  logger.debug({ niceness: getPriority(0) }, 'media worker started');
  const preparer = createMediaPreparer(setup.config, { ffmpegPath: setup.ffmpegPath, scratchDir: setup.scratchDir, logger });
  port.on('message', (job: MediaJob) => {
    run(job, preparer).then(
      ({ value, transfer }) => port.postMessage({ id: job.id, ok: true, value } satisfies WorkerAnswer, transfer),
      (err: unknown) => port.postMessage({ id: job.id, ok: false, error: errorToWire(err) } satisfies WorkerAnswer),
    );
  });
}
