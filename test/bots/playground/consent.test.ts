/**
 * FACE_CONSENT=once in the playground over real HTTP: the info says whether to show the box;
 * a form without the ticked box is refused (403, the CONSENT_NEEDED words) with nothing
 * stored or sent; ticked, the video starts and the browser is not asked again; another
 * browser still is.
 */
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPlayground, type Playground } from '../../../src/bots/playground/index.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { Browser, form } from './helpers/client.js';
import { makeFaceJpeg, makeToneWav } from './helpers/media.js';

let h: Harness;
let playground: Playground;
let base: string;

beforeAll(async () => {
  h = await startHarness({ env: { FACE_CONSENT: 'once' } });
  playground = createPlayground({ enabled: true, token: undefined }, { core: h.core, logger: pino({ level: 'silent' }), router: h.http });
  await h.startCore();
  base = h.http.url();
});

afterAll(async () => {
  await playground?.stop();
  await h?.stop();
});

async function upload(b: Browser, consent?: string) {
  const body = form({
    image: { data: await makeFaceJpeg(), name: 'face.jpg', type: 'image/jpeg' },
    audio: { data: await makeToneWav(1), name: 'hello.wav', type: 'audio/wav' },
  });
  if (consent !== undefined) body.append('faceConsent', consent);
  return b.json('/api/jobs', { method: 'POST', body });
}

type Info = { consent: { mode: string; needed: boolean; label: string } };

it('asks until the box is ticked once, then remembers this browser (and only this one)', async () => {
  const alice = new Browser(base);
  const info = (await alice.json('/api/info')).body as Info;
  expect(info.consent).toEqual({ mode: 'once', needed: true, label: 'This is my face, or I have permission to use it' });

  const refused = await upload(alice);
  expect(refused.status).toBe(403);
  expect(refused.body).toEqual({
    error: {
      code: 'CONSENT_NEEDED',
      message:
        'Before I make a video of a face, please confirm that it is yours or that you have permission to use it. Nothing was sent yet.',
    },
  });
  const aliceId = alice.cookie('pg_browser') ?? '';
  expect(await h.core.jobs.listForRequester('playground', aliceId, 5)).toEqual([]);
  expect(await h.core.faces.get('playground', aliceId)).toBeNull();
  expect(h.mock.stats().submits).toBe(0);
  // An unticked box sent as "false" is no consent either.
  expect((await upload(alice, 'false')).status).toBe(403);

  expect((await upload(alice, 'yes')).status).toBe(201);
  expect(((await alice.json('/api/info')).body as Info).consent.needed).toBe(false);
  expect((await upload(alice)).status).toBe(201);

  const bob = new Browser(base);
  expect(((await bob.json('/api/info')).body as Info).consent.needed).toBe(true);
  expect((await upload(bob)).status).toBe(403);
});

it('the page has the box, and its script sends it and shows the refusal beside it', async () => {
  const b = new Browser(base);
  expect(await (await b.fetch('/')).text()).toContain('id="consent-input"');
  const script = await (await b.fetch('/static/app.js')).text();
  expect(script).toContain("form.append('faceConsent', 'yes')");
  expect(script).toContain("err.code === 'CONSENT_NEEDED'");
});
