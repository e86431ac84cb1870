/**
 * The code of the speech worker thread, as text: a worker started from a file would need the
 * file to exist as JavaScript, which it does not when the server runs from TypeScript sources
 * (tests, `npm run cli`). It is CommonJS (eval workers are) and loads eSpeak NG by the absolute
 * URL the main thread resolved, so it works from any working directory.
 *
 * Each request instantiates eSpeak NG afresh: its WebAssembly build runs the command-line
 * program's main() once per instance. The text goes after `--`, so a text starting with `-` is
 * spoken, never read as an option; no shell is involved (the arguments go straight to main()).
 */
export const SPEECH_WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
let load = null;
parentPort.on('message', async (job) => {
  try {
    load ??= import(workerData.espeakUrl).then((m) => m.default);
    const ESpeakNg = await load;
    const complaints = [];
    const es = await ESpeakNg({
      arguments: ['-w', '/out.wav', '-v', job.voice, '--', job.text],
      print() {},
      printErr(line) { if (complaints.length < 5) complaints.push(String(line)); },
    });
    let wav = null;
    try { wav = es.FS.readFile('/out.wav'); } catch {}
    if (wav === null) {
      parentPort.postMessage({ id: job.id, error: complaints.join(' ') || 'eSpeak NG wrote no audio' });
      return;
    }
    parentPort.postMessage({ id: job.id, wav }, [wav.buffer]);
  } catch (err) {
    parentPort.postMessage({ id: job.id, error: String((err && err.message) || err) });
  }
});
`;
