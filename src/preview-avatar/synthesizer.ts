/**
 * Speech synthesis off the event loop: the preview server lives inside the bot's process, and
 * one eSpeak NG run blocks its thread for a few hundred milliseconds. One worker thread, started
 * on the first request, speaks one text at a time; the others wait in a bounded queue. A worker
 * that crashes or hangs fails the request it was on and is replaced on the next one. An idle
 * worker is stopped: it holds about 150-200 MB (eSpeak NG's WebAssembly instances) the bot
 * should not keep for a voice nobody asks for.
 *
 * Licence: eSpeak NG (the `espeak-ng` package) is GPL-3.0-or-later; this project is MIT. It is
 * never imported by the bot's code: only this preview server loads it, at run time, inside the
 * worker, so a deployment with an API key never loads it. A bundle that includes it is subject
 * to the GPL.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SPEECH_WORKER_SOURCE } from './speech-worker-source.js';

/** Why a synthesis failed: BUSY (queue full), CRASHED (worker died or hung), FAILED (eSpeak refused), CLOSED. */
export class SynthesisError extends Error {
  constructor(
    readonly reason: 'BUSY' | 'CRASHED' | 'FAILED' | 'CLOSED',
    message: string,
  ) {
    super(message);
    this.name = 'SynthesisError';
  }
}

export interface Synthesizer {
  /** A WAV (22050 Hz mono, 16-bit) of `text` spoken by the eSpeak NG voice `voice`. */
  speak(voice: string, text: string): Promise<Uint8Array>;
  /** Terminates the worker; waiting and later requests fail with CLOSED. */
  close(): Promise<void>;
}

export interface SynthesizerOptions {
  /** Requests waiting behind the one being spoken; beyond it, BUSY (default 32). */
  maxQueued?: number;
  /** A synthesis taking longer is taken as hung: the worker is replaced (default 120 s). */
  timeoutMs?: number;
  /** The worker stops after this long without work, and starts again on the next text (default 60 s). */
  idleMs?: number;
  /** The worker's code (tests wrap the real one to make it crash). */
  workerSource?: string;
}

interface Job {
  voice: string;
  text: string;
  resolve(wav: Uint8Array): void;
  reject(err: Error): void;
}

type Reply = { id: number; wav: Uint8Array } | { id: number; error: string };

// Resolved once here, not in the worker: an eval worker resolves bare names from the working directory.
const require = createRequire(import.meta.url);
const espeakUrl = pathToFileURL(require.resolve('espeak-ng')).href;

export function createSynthesizer(options: SynthesizerOptions = {}): Synthesizer {
  const maxQueued = options.maxQueued ?? 32;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const idleMs = options.idleMs ?? 60_000;
  const source = options.workerSource ?? SPEECH_WORKER_SOURCE;
  const queue: Job[] = [];
  let worker: Worker | null = null;
  let idleTimer: NodeJS.Timeout | undefined;
  let busy = false;
  let closed = false;
  let nextId = 1;

  /** The worker, started now when there is none (first use, or after a crash). */
  const ensureWorker = (): Worker => {
    if (worker !== null) return worker;
    // No inherited flags: its code is plain JavaScript, and a TypeScript loader the parent runs
    // under (tests, `npm run cli`) would only slow its start.
    const w = new Worker(source, { eval: true, workerData: { espeakUrl }, execArgv: [] });
    // An idle worker must not keep a CLI or a test process alive.
    w.unref();
    // Always listened to: an 'error' event nobody listens to would crash the bot's process.
    w.on('error', () => {});
    w.on('exit', () => {
      if (worker === w) worker = null;
    });
    worker = w;
    return w;
  };

  const retire = (w: Worker): void => {
    if (worker === w) worker = null;
    void w.terminate();
  };

  const runOne = (job: Job, w: Worker): Promise<void> =>
    new Promise((done) => {
      const id = nextId++;
      const finish = (outcome: { wav: Uint8Array } | { error: SynthesisError }): void => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onCrash);
        w.off('exit', onCrash);
        if ('wav' in outcome) job.resolve(outcome.wav);
        else job.reject(outcome.error);
        done();
      };
      const onMessage = (reply: Reply): void => {
        if (reply.id !== id) return;
        if ('wav' in reply) finish({ wav: reply.wav });
        else finish({ error: new SynthesisError('FAILED', `eSpeak NG refused: ${reply.error}`) });
      };
      const onCrash = (err: unknown): void => {
        retire(w);
        if (closed) {
          finish({ error: new SynthesisError('CLOSED', 'The preview server is stopping.') });
          return;
        }
        const why = err instanceof Error ? err.message : `exit code ${String(err)}`;
        finish({ error: new SynthesisError('CRASHED', `The speech worker stopped (${why}).`) });
      };
      const timer = setTimeout(() => {
        retire(w);
        finish({ error: new SynthesisError('CRASHED', `The speech worker took longer than ${timeoutMs} ms.`) });
      }, timeoutMs);
      w.on('message', onMessage);
      w.once('error', onCrash);
      w.once('exit', onCrash);
      w.postMessage({ id, voice: job.voice, text: job.text });
    });

  const pump = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    clearTimeout(idleTimer);
    try {
      for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
        if (closed) {
          job.reject(new SynthesisError('CLOSED', 'The preview server is stopping.'));
          continue;
        }
        let w: Worker;
        try {
          w = ensureWorker();
        } catch (err) {
          job.reject(new SynthesisError('CRASHED', `The speech worker could not start: ${(err as Error).message}`));
          continue;
        }
        // A worker waiting for work is unref'd; one with work keeps the process alive until it answers.
        w.ref();
        await runOne(job, w);
        w.unref();
      }
    } finally {
      busy = false;
      const idle = worker;
      if (idle !== null && !closed) {
        idleTimer = setTimeout(() => retire(idle), idleMs);
        idleTimer.unref();
      }
    }
  };

  return {
    speak(voice, text) {
      if (closed) return Promise.reject(new SynthesisError('CLOSED', 'The preview server is stopping.'));
      if (queue.length >= maxQueued) {
        return Promise.reject(new SynthesisError('BUSY', `${queue.length} texts are already waiting to be spoken.`));
      }
      return new Promise<Uint8Array>((resolve, reject) => {
        queue.push({ voice, text, resolve, reject });
        void pump();
      });
    },

    async close() {
      closed = true;
      clearTimeout(idleTimer);
      for (const job of queue.splice(0)) job.reject(new SynthesisError('CLOSED', 'The preview server is stopping.'));
      const w = worker;
      worker = null;
      if (w !== null) {
        // A terminating worker does not reliably keep the event loop alive: in a process with
        // nothing else to do (a CLI), terminate() would never settle and the process would end
        // before printing its result or setting its exit code. A timer holds it until then.
        const hold = setInterval(() => {}, 60_000);
        try {
          // The request in flight (if any) learns of it through the exit event.
          await w.terminate();
        } finally {
          clearInterval(hold);
        }
      }
    },
  };
}
