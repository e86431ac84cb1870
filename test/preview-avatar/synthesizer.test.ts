import { afterEach, describe, expect, it } from 'vitest';
import { SPEECH_WORKER_SOURCE } from '../../src/preview-avatar/speech-worker-source.js';
import { createSynthesizer, type Synthesizer, SynthesisError } from '../../src/preview-avatar/synthesizer.js';

// The real worker, plus a listener that kills the thread when told to: a crash mid-request.
const CRASHABLE = `require('node:worker_threads').parentPort.on('message', (job) => { if (job.text === 'crash now') process.exit(3); });
${SPEECH_WORKER_SOURCE}`;

const open: Synthesizer[] = [];
const make = (options: Parameters<typeof createSynthesizer>[0] = {}): Synthesizer => {
  const s = createSynthesizer(options);
  open.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

const reasonOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'resolved',
    (err: unknown) => (err instanceof SynthesisError ? err.reason : `other: ${String(err)}`),
  );

describe('preview speech synthesizer', () => {
  it('fails the request a crashed worker was on, and speaks again with a new worker', async () => {
    const s = make({ workerSource: CRASHABLE });
    expect((await s.speak('en-us', 'before')).byteLength).toBeGreaterThan(44);
    const crashed = reasonOf(s.speak('en-us', 'crash now'));
    const queued = s.speak('en-us', 'queued behind the crash');
    expect(await crashed).toBe('CRASHED');
    expect((await queued).byteLength).toBeGreaterThan(44);
    expect((await s.speak('en-us', 'after')).byteLength).toBeGreaterThan(44);
  });

  it('says FAILED for a voice eSpeak NG does not have, and keeps working', async () => {
    const s = make();
    expect(await reasonOf(s.speak('xx-nowhere', 'hello'))).toBe('FAILED');
    expect((await s.speak('fr-fr', 'bonjour')).byteLength).toBeGreaterThan(44);
  });

  it('refuses beyond its queue with BUSY, and fails waiting requests with CLOSED on close', async () => {
    const s = make({ maxQueued: 2 });
    const first = reasonOf(s.speak('en-us', 'one'));
    const waiting = [reasonOf(s.speak('en-us', 'two')), reasonOf(s.speak('en-us', 'three'))];
    expect(await reasonOf(s.speak('en-us', 'four'))).toBe('BUSY');
    await s.close();
    expect(await first).toBe('CLOSED');
    expect(await Promise.all(waiting)).toEqual(['CLOSED', 'CLOSED']);
    expect(await reasonOf(s.speak('en-us', 'five'))).toBe('CLOSED');
  });

  it('replaces a worker that hangs past the timeout', async () => {
    const hanging = `require('node:worker_threads').parentPort.on('message', (job) => { if (job.text === 'hang') { for (;;) {} } });
${SPEECH_WORKER_SOURCE}`;
    const s = make({ workerSource: hanging, timeoutMs: 3000 });
    expect(await reasonOf(s.speak('en-us', 'hang'))).toBe('CRASHED');
    expect((await s.speak('en-us', 'after the hang')).byteLength).toBeGreaterThan(44);
  });
});
