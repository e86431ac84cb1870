/**
 * FACE_CONSENT through the real core (SQLite file, the fake avatar service over loopback HTTP):
 * refused before anything is fetched, spoken, stored or sent; given once and remembered across
 * a restart; `every` asks each time; `off` never asks; a Retry reuses the job's consent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { AvatarError } from '../../../src/core/errors.js';
import { bytesInput } from '../../../src/core/media-input.js';
import { typedText, voiceFile, type AvatarRequest, type MediaInput } from '../../../src/core/ports.js';
import { createFakeAvatarServer } from '../../fakes/avatar/index.js';
import { startHarness, type Harness, type HarnessOptions } from '../../helpers/harness.js';
import { makeJpeg, makeTone } from '../../helpers/media.js';
import { recordingReply } from '../../helpers/recording-reply.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(mode: string, opts: HarnessOptions = {}): Promise<Harness> {
  const h = await startHarness({ ...opts, env: { FACE_CONSENT: mode, ...opts.env } });
  cleanups.push(() => h.stop());
  h.core.registerReply('test', recordingReply());
  await h.startCore();
  return h;
}

/** A MediaInput over bytes that counts how often it was loaded. */
function counted(bytes: Uint8Array): MediaInput & { loads: () => number } {
  let loads = 0;
  return {
    declaredSize: bytes.byteLength,
    load: async () => {
      loads += 1;
      return bytes;
    },
    loads: () => loads,
  };
}

async function ask(over: Partial<AvatarRequest> = {}) {
  const image = counted(await makeJpeg());
  const audio = counted(await makeTone(1, 'ogg'));
  const request: AvatarRequest = {
    platform: 'test',
    requesterId: 'alice',
    groupId: 'team-1',
    replyTo: 'test:chan:1',
    image,
    speech: voiceFile(audio),
    ...over,
  };
  return { request, loads: () => image.loads() + audio.loads() };
}

async function refusal(p: Promise<unknown>): Promise<AvatarError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof AvatarError)) throw new Error(`expected an AvatarError, got ${String(err)}`);
  return err;
}

describe('FACE_CONSENT=once', () => {
  test('refused with nothing loaded, stored or sent; confirmed once, then remembered across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tab-consent-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const mock = createFakeAvatarServer({ renderMs: () => 200, queueMs: 20 });
    await mock.start();
    cleanups.push(() => mock.close());
    const h = await setup('once', { dataDir, mock });
    expect(h.core.consent.mode).toBe('once');
    expect(await h.core.consent.needed('test', 'alice')).toBe(true);

    const first = await ask();
    const err = await refusal(h.core.jobs.create(first.request));
    expect(err.code).toBe('CONSENT_NEEDED');
    expect(first.loads()).toBe(0);
    expect(await h.core.jobs.listForRequester('test', 'alice', 10)).toEqual([]);
    expect(await h.core.faces.get('test', 'alice')).toBeNull();
    expect(mock.stats().submits).toBe(0);

    // Typed text: refused before any voice list or speech is asked of the service.
    const typed = await ask({ speech: typedText('Hello there.') });
    expect((await refusal(h.core.jobs.create(typed.request))).code).toBe('CONSENT_NEEDED');
    expect(mock.stats().ttsCalls).toBe(0);
    expect(mock.stats().voiceListCalls).toBe(0);

    // The same request, confirmed: goes ahead and records the consent.
    const job = await h.core.jobs.create({ ...first.request, faceConsent: true });
    expect(job.state).toBe('queued');
    expect(first.loads()).toBe(2);
    expect(await h.core.consent.needed('test', 'alice')).toBe(false);
    // Someone else is still asked.
    expect(await h.core.consent.needed('test', 'bob')).toBe(true);
    await h.stop();

    // A new core on the same SQLite file: alice is not asked again.
    const again = await setup('once', { dataDir, mock });
    expect(await again.core.consent.needed('test', 'alice')).toBe(false);
    const next = await ask();
    expect((await again.core.jobs.create(next.request)).state).toBe('queued');
    expect(next.loads()).toBe(2);

    // "Forget me" deletes the consent with everything else: asked again.
    const forgotten = await again.core.jobs.forgetPerson('test', 'alice');
    expect(forgotten.consent).toBe(true);
    expect(await again.core.consent.needed('test', 'alice')).toBe(true);
    expect((await refusal(again.core.jobs.create((await ask()).request))).code).toBe('CONSENT_NEEDED');
  });

  test('saving a face alone asks nothing: it sends nothing to the service', async () => {
    const h = await setup('once');
    await h.core.faces.save('test', 'alice', bytesInput(await makeJpeg()));
    expect(await h.core.faces.get('test', 'alice')).not.toBeNull();
    expect(await h.core.consent.needed('test', 'alice')).toBe(true);
  });
});

describe('FACE_CONSENT=every and off', () => {
  test('every: asked for each video, and nothing is kept of it', async () => {
    const h = await setup('every');
    expect((await refusal(h.core.jobs.create((await ask()).request))).code).toBe('CONSENT_NEEDED');
    expect((await h.core.jobs.create({ ...(await ask()).request, faceConsent: true })).state).toBe('queued');
    const second = await ask();
    expect((await refusal(h.core.jobs.create(second.request))).code).toBe('CONSENT_NEEDED');
    expect(second.loads()).toBe(0);
    expect(await h.store.getConsent('test', 'alice')).toBeNull();
    expect(h.mock.stats().submits).toBeLessThanOrEqual(1);
  });

  test('a Retry of a failed job reuses its consent (under `every`, which would otherwise ask)', async () => {
    const h = await setup('every');
    const reply = recordingReply();
    h.core.registerReply('test', reply);
    h.mock.nextOutcome({ status: 'FAILED' });
    const job = await h.core.jobs.create({ ...(await ask()).request, faceConsent: true });
    expect((await reply.waitForFinal(job.id)).kind).toBe('error');
    const retried = await h.core.jobs.retry(job.id, 'alice');
    expect(retried.state).toBe('queued');
  });

  test('off: never asked, nothing recorded', async () => {
    const h = await setup('off');
    expect(h.core.consent.mode).toBe('off');
    expect(await h.core.consent.needed('test', 'alice')).toBe(false);
    const { request, loads } = await ask();
    expect((await h.core.jobs.create(request)).state).toBe('queued');
    expect(loads()).toBe(2);
    expect(await h.store.getConsent('test', 'alice')).toBeNull();
  });
});
