/**
 * How a media worker thread finds its code. A worker started from a file would need that file to
 * exist as JavaScript, which it does not when the bot runs from TypeScript sources (tests,
 * `npm run cli`); so the worker is an eval'd CommonJS stub that imports `media-worker` by the
 * absolute URL the main thread resolved: from the build, plainly; from sources, through tsx's
 * `tsImport` (scoped to that import, Node 20 and later). Both URLs are resolved here, on the main
 * thread: an eval worker would resolve bare names from the working directory.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(import.meta.url);
const fromSources = here.endsWith('.ts');

export interface WorkerModule {
  /** URL of media-worker.ts or .js. */
  moduleUrl: string;
  /** URL of tsx's ESM API when running from sources, else null. */
  tsxApiUrl: string | null;
}

export function mediaWorkerModule(): WorkerModule {
  const moduleUrl = new URL(fromSources ? './media-worker.ts' : './media-worker.js', import.meta.url).href;
  if (!fromSources) return { moduleUrl, tsxApiUrl: null };
  // The ESM build of tsx's API: require.resolve would find its CommonJS twin, which cannot load here.
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  return { moduleUrl, tsxApiUrl: pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href };
}

/**
 * The stub. A failure to load is posted as `boot` and ends the thread, so the pool fails the
 * job with the reason instead of waiting. Messages sent before the module is loaded wait in the
 * port until `serveMediaJobs` listens.
 */
export const MEDIA_WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
// Lower this thread's CPU priority before loading anything: booting (module loading, sharp)
// costs as much CPU as a job and happens during the first burst of work.
let priorityError = null;
try {
  const os = require('node:os');
  if (workerData.setup.niceness > 0) os.setPriority(0, Math.min(19, os.getPriority(0) + workerData.setup.niceness));
} catch (err) {
  priorityError = String((err && err.message) || err);
}
(async () => {
  const { moduleUrl, tsxApiUrl } = workerData.module;
  const mod = tsxApiUrl
    ? await (await import(tsxApiUrl)).tsImport(moduleUrl, moduleUrl)
    : await import(moduleUrl);
  mod.serveMediaJobs(parentPort, workerData.setup, priorityError);
})().catch((err) => {
  parentPort.postMessage({ boot: String((err && err.stack) || err) });
  process.exit(1);
});
`;
