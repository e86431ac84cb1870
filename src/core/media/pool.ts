/**
 * Media preparation on worker threads, so no platform acknowledgement waits behind sharp or
 * ffmpeg: `child_process.spawn` forks on the calling thread, and sharp's JavaScript side and
 * ffmpeg's output handling run on it too (BENCHMARKS.md, figure 1). Up to `size` workers (the
 * intake limit, MEDIA_CONCURRENCY), each started on first need and doing one job at a time;
 * jobs beyond that wait here; caption burns (minutes) take at most all workers but one, and a
 * finished video only to be tagged goes first in line. A worker that dies fails its job with
 * INTERNAL and is replaced on
 * the next job. Same interface as the direct preparer; sniffing stays on this thread (a few
 * microseconds on the first bytes, and its callers keep using the bytes afterwards).
 *
 * The input bytes are copied to the worker, not transferred: the caller may still hold them (a
 * saved face, a test fixture) and transferring would empty them under it. The worker's results
 * are transferred (nobody else holds them).
 */
import type { Logger } from 'pino';
import { Worker } from 'node:worker_threads';
import { AvatarError } from '../errors.js';
import type { FinishedVideo } from '../handover-ports.js';
import type { PreparedMedia } from '../ports.js';
import type { PreparedAudio } from './audio.js';
import type { PreparedImage } from './image.js';
import { tagMp4 } from './mp4-tags.js';
import { defaultMediaConfig, type MediaConfig, type MediaDeps, type MediaPreparer } from './index.js';
import { createScratchDir, removeScratchDir, sweepStaleScratch } from './scratch.js';
import { sniffBytes } from './sniff.js';
import { MEDIA_WORKER_SOURCE, mediaWorkerModule } from './worker-source.js';
import { asBuffer, errorFromWire, type MediaJob, type WorkerAnswer, type WorkerSetup } from './worker-wire.js';

export interface PooledPreparer extends MediaPreparer {
  /** Terminates the workers; waiting and later jobs fail with INTERNAL. */
  stop(): Promise<void>;
}

export interface PoolDeps extends Omit<MediaDeps, 'scratchDir'> {
  /** Worker threads at most (MEDIA_CONCURRENCY). */
  size: number;
  /** The worker's code (tests wrap the real one to make it crash). */
  workerSource?: string;
  /** How much each worker lowers its CPU priority; default MEDIA_NICENESS. */
  niceness?: number;
  /** Where the pool makes its own scratch folder (scratch.ts); default: the system's temporary folder. */
  scratchBase?: string | undefined;
}

/**
 * Media work runs at nice 10: on a busy machine the kernel then gives the main thread (acks,
 * the store, delivery) the CPU first, and media work the rest. On 2 cores, a burst's
 * preparations (sharp, ffmpeg children) otherwise competed with the acks they followed as
 * equals (BENCHMARKS.md, figure 1). An idle machine runs both at full speed all the same.
 */
export const MEDIA_NICENESS = 10;

type JobBody = MediaJob extends infer J ? (J extends MediaJob ? Omit<J, 'id'> : never) : never;

interface Pending {
  body: JobBody;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  job: Pending | null;
}

const PINO_LEVELS: Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** Builds a MediaPreparer whose sharp and ffmpeg work runs on up to `deps.size` worker threads. */
export function createPooledPreparer(config: Partial<MediaConfig>, deps: PoolDeps): PooledPreparer {
  // Temporary files of jobs cut short (stop, a dead worker, a killed process) are removed with
  // the pool's folder, or by the next pool when this process is gone (scratch.ts).
  const swept = sweepStaleScratch(deps.scratchBase);
  if (swept > 0) deps.logger?.info({ folders: swept }, 'removed media scratch folders left by stopped processes');
  const scratchDir = createScratchDir(deps.scratchBase);
  const setup: WorkerSetup = {
    config: { ...defaultMediaConfig, ...config },
    ffmpegPath: deps.ffmpegPath,
    logLevel: deps.logger?.level ?? 'silent',
    niceness: deps.niceness ?? MEDIA_NICENESS,
    scratchDir,
  };
  const log: Logger | undefined = deps.logger;
  const source = deps.workerSource ?? MEDIA_WORKER_SOURCE;
  const size = Math.max(1, deps.size);
  const slots = new Set<Slot>();
  const queue: Pending[] = [];
  let nextId = 1;
  let stopped = false;

  const finish = (slot: Slot, settle: (job: Pending) => void): void => {
    const job = slot.job;
    slot.job = null;
    // An idle worker must not keep a CLI or a test process alive.
    slot.worker.unref();
    if (job !== null) settle(job);
    pump();
  };

  const start = (): Slot => {
    const worker = new Worker(source, { eval: true, workerData: { module: mediaWorkerModule(), setup }, execArgv: [] });
    const slot: Slot = { worker, job: null };
    let bootError = '';
    worker.on('message', (msg: WorkerAnswer | { boot: string }) => {
      if ('boot' in msg) {
        bootError = msg.boot;
        return;
      }
      if ('log' in msg) {
        log?.[PINO_LEVELS[msg.log.level] ?? 'info'](msg.log.fields, msg.log.msg);
        return;
      }
      if (slot.job === null) return;
      if (msg.ok) finish(slot, (job) => job.resolve(msg.value));
      else finish(slot, (job) => job.reject(errorFromWire(msg.error)));
    });
    worker.on('error', (err) => {
      bootError ||= err.message;
    });
    worker.on('exit', (code) => {
      slots.delete(slot);
      const why = bootError === '' ? `exit code ${code}` : bootError.split('\n')[0];
      if (!stopped) log?.error({ code, why }, 'a media worker stopped');
      finish(slot, (job) =>
        job.reject(new AvatarError('INTERNAL', `The media worker stopped (${why}).`, { detail: bootError || undefined })),
      );
    });
    slots.add(slot);
    return slot;
  };

  // A caption burn may run for minutes: with two workers or more, one is always left for
  // preparing new requests, so a burn delays nobody's job (only other burns). A finished video
  // that is only tagged (a stream copy, a fraction of a second) is the last step before someone's
  // answer: it goes first in line, on any worker.
  const burnLimit = Math.max(1, size - 1);
  const isBurn = (body: JobBody): boolean => body.op === 'finish-video' && body.input.burn !== undefined;
  const isTag = (body: JobBody): boolean => body.op === 'finish-video' && body.input.burn === undefined;
  const burnsRunning = (): number => [...slots].filter((s) => s.job !== null && isBurn(s.job.body)).length;

  const pump = (): void => {
    while (!stopped && queue.length > 0) {
      const burnsFull = burnsRunning() >= burnLimit;
      const tag = queue.findIndex((job) => isTag(job.body));
      const index = tag >= 0 ? tag : queue.findIndex((job) => !burnsFull || !isBurn(job.body));
      if (index < 0) return;
      let slot = [...slots].find((s) => s.job === null);
      if (slot === undefined && slots.size < size) slot = start();
      if (slot === undefined) return;
      const [job] = queue.splice(index, 1) as [Pending];
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage({ ...job.body, id: nextId++ });
    }
  };

  const submit = <T>(body: JobBody): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (stopped) {
        reject(new AvatarError('INTERNAL', 'The media workers are stopped.'));
        return;
      }
      queue.push({ body, resolve: resolve as (value: unknown) => void, reject });
      pump();
    });

  const image = async (bytes: Uint8Array, name?: string): Promise<PreparedImage> => {
    const img = await submit<PreparedImage>({ op: 'image', image: bytes, ...(name === undefined ? {} : { name }) });
    return { ...img, data: asBuffer(img.data) };
  };
  const audio = async (bytes: Uint8Array, name?: string): Promise<PreparedAudio> => {
    const aud = await submit<PreparedAudio>({ op: 'audio', audio: bytes, ...(name === undefined ? {} : { name }) });
    return { ...aud, data: asBuffer(aud.data) };
  };

  return {
    sniff: sniffBytes,
    prepareImage: image,
    prepareAudio: audio,
    async prepare(imageBytes, audioBytes) {
      const both = await submit<PreparedMedia>({ op: 'both', image: imageBytes, audio: audioBytes });
      return { ...both, image: asBuffer(both.image), audio: asBuffer(both.audio) };
    },
    async finishVideo(input) {
      if (input.burn === undefined) {
        // Tags alone, in JavaScript, right here: copying the video to a worker would cost this
        // thread as much as the tagging, and the worker may be busy preparing someone's request.
        const tagged = tagMp4(input.video, input.tags);
        if (tagged !== null) return { bytes: tagged, captionsBurned: false, cornerMark: false, c2pa: false };
      }
      const done = await submit<FinishedVideo>({ op: 'finish-video', input });
      return { ...done, bytes: asBuffer(done.bytes) };
    },
    async stop() {
      stopped = true;
      for (const job of queue.splice(0)) job.reject(new AvatarError('INTERNAL', 'The media workers are stopped.'));
      await Promise.all([...slots].map((s) => s.worker.terminate()));
      removeScratchDir(scratchDir);
    },
  };
}
