/**
 * Typed text in the playground over real HTTP, against the real core and job store and the fake
 * avatar service (its offline text-to-speech and voice list, and its record of what TTS was
 * sent): the voice list, samples, saving a voice, and jobs from text, refused or spoken.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlayground, type Playground, type PublicJob } from '../../../src/bots/playground/index.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { Browser, form } from './helpers/client.js';
import { makeFaceJpeg, makeToneWav } from './helpers/media.js';

/** Small, so a refused text is short to write; still room for a sentence that is spoken. */
const TEXT_MAX = 40;

let h: Harness;
let playground: Playground;
let base: string;
let jpeg: Buffer;
let wav: Buffer;

interface VoicesBody {
  voices: Array<{ id: string; name: string; label: string; languages: string[]; description: string; hasSample: boolean }>;
  saved: string | null;
  current: string | null;
  textChars: number;
  preview: boolean;
  previewNote: string | null;
  words: { makingVoice: string };
}

const errorOf = (body: unknown): { code: string; message: string } => (body as { error: { code: string; message: string } }).error;
const jobOf = (body: unknown): PublicJob => (body as { job: PublicJob }).job;

/** A form with the face and any text fields (and files) given. */
function textForm(fields: Record<string, string>, files: Record<string, { data: Uint8Array; name: string; type: string }> = {}): FormData {
  const fd = form({ image: { data: jpeg, name: 'face.jpg', type: 'image/jpeg' }, ...files });
  for (const [name, value] of Object.entries(fields)) fd.append(name, value);
  return fd;
}

const spoken = () => h.mock.speechRequests();

async function finished(id: string): Promise<string | undefined> {
  await expect.poll(async () => (await h.core.jobs.get(id))?.state, { timeout: 30_000 }).toMatch(/completed|failed|timed_out|canceled/);
  return (await h.core.jobs.get(id))?.state;
}

beforeAll(async () => {
  h = await startHarness({ env: { TEXT_MAX_CHARS: String(TEXT_MAX) } });
  playground = createPlayground({ enabled: true, token: undefined }, { core: h.core, logger: pino({ level: 'silent' }), router: h.http });
  await h.startCore();
  base = h.http.url();
  [jpeg, wav] = await Promise.all([makeFaceJpeg(), makeToneWav(1)]);
});

afterAll(async () => {
  await playground?.stop();
  await h?.stop();
});

describe('GET /api/voices', () => {
  it('lists the voices with name and languages, the text limit, and a current voice in the browser language', async () => {
    const { status, body } = await new Browser(base).json('/api/voices', { headers: { 'accept-language': 'de-AT, de;q=0.9, en;q=0.5' } });
    expect(status).toBe(200);
    const v = body as VoicesBody;
    expect(v.textChars).toBe(TEXT_MAX);
    expect(v.preview).toBe(h.core.preview);
    expect(v.previewNote).toBeNull();
    expect(v.words.makingVoice).toMatch(/making the voice/i);
    expect(v.saved).toBeNull();
    const listed = await h.core.voices.list();
    expect(v.voices.map((x) => x.id)).toEqual(listed.map((x) => x.id));
    const first = v.voices[0];
    expect(first?.label).toContain(first?.name ?? '?');
    expect(first?.label).toContain(first?.languages[0] ?? '?');
    expect(first).not.toHaveProperty('sampleUrl');
    // No saved voice: the first premade voice in the browser's language (German here).
    const current = v.voices.find((x) => x.id === v.current);
    expect(current?.languages.map((l) => l.slice(0, 2))).toContain('de');
  });

  it('answers in words, with the catalogue status, when the service cannot list voices', async () => {
    // The shelf keeps a list once loaded: a fresh core has none and must ask the service.
    const cold = await startHarness({ mock: h.mock });
    const pg = createPlayground(
      { enabled: true, token: undefined },
      { core: cold.core, logger: pino({ level: 'silent' }), router: cold.http },
    );
    try {
      await cold.startCore();
      h.mock.failNext('voices', { kind: 'status', status: 401, body: { title: 'Unauthorized', status: 401 } });
      const { status, body } = await new Browser(cold.http.url()).json('/api/voices');
      expect(status).toBe(500);
      expect(errorOf(body).code).toBe('API_AUTH');
      expect(errorOf(body).message).toMatch(/refused the API key/);
    } finally {
      await pg.stop();
      await cold.stop();
    }
  });
});

describe('GET /api/voices/:id/sample', () => {
  it('sends the sample clip the service lists, with its type, and 404 for a voice it does not list', async () => {
    const voice = (await h.core.voices.list()).find((x) => x.sampleUrl !== null);
    if (voice?.sampleUrl == null) throw new Error('the fake lists no voice with a sample');
    const direct = Buffer.from(await (await fetch(voice.sampleUrl)).arrayBuffer());
    const b = new Browser(base);
    const res = await b.fetch(`/api/voices/${encodeURIComponent(voice.id)}/sample`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    const proxied = Buffer.from(await res.arrayBuffer());
    expect(proxied.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(proxied.equals(direct)).toBe(true);

    const missing = await b.json('/api/voices/no-such-voice/sample');
    expect(missing.status).toBe(404);
    expect(errorOf(missing.body).code).toBe('NOT_FOUND');
  });
});

describe('PUT /api/voice', () => {
  it('saves the voice; the list shows it; a text job without a voice is spoken in it; Forget me clears it', async () => {
    const b = new Browser(base);
    const voices = (await h.core.voices.list()).filter((v) => v.premade);
    const pick = voices[voices.length - 1];
    if (pick === undefined || pick.id === voices[0]?.id) throw new Error('the fake lists fewer than two voices');
    const saved = await b.json('/api/voice', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ voice: pick.id }),
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ voice: { id: pick.id, name: pick.name } });
    expect((saved.body as { message: string }).message).toContain(pick.name);
    const listed = (await b.json('/api/voices')).body as VoicesBody;
    expect(listed.saved).toBe(pick.id);
    expect(listed.current).toBe(pick.id);

    const before = spoken().length;
    const created = await b.json('/api/jobs', { method: 'POST', body: textForm({ text: 'Good morning everyone.' }) });
    expect(created.status).toBe(201);
    expect(spoken().slice(before)).toEqual([expect.objectContaining({ text: 'Good morning everyone.', voice_profile_id: pick.id })]);
    expect(await finished(jobOf(created.body).id)).toBe('completed');

    const forgotten = await b.json('/api/forget', { method: 'POST' });
    expect(forgotten.body).toMatchObject({ forgotten: { voice: true } });
    expect((forgotten.body as { message: string }).message).toContain('your chosen voice');
    expect(((await b.json('/api/voices')).body as VoicesBody).saved).toBeNull();
  });

  it('refuses an unknown voice in the shared words, and bodies that are not a voice choice', async () => {
    const b = new Browser(base);
    const put = (body: string, type = 'application/json', headers: Record<string, string> = {}) =>
      b.json('/api/voice', { method: 'PUT', headers: { 'content-type': type, ...headers }, body });
    const unknown = await put(JSON.stringify({ voice: 'no-such-voice' }));
    expect(unknown.status).toBe(400);
    expect(errorOf(unknown.body)).toEqual({
      code: 'UNKNOWN_VOICE',
      message: 'I do not know the voice no-such-voice (it may have been withdrawn). Pick one from the voice list.',
    });
    expect((await put('voice=x', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await put('{"voice":')).status).toBe(400);
    expect((await put(JSON.stringify({ voice: 42 }))).status).toBe(400);
    expect((await put(JSON.stringify({ voice: 'x'.repeat(10_000) }))).status).toBe(413);
    // Another site cannot choose a voice for this browser.
    const voice = (await h.core.voices.list())[0]?.id ?? '';
    expect((await put(JSON.stringify({ voice }), 'application/json', { origin: 'https://evil.example' })).status).toBe(403);
    expect(await h.core.voices.saved('playground', b.cookie('pg_browser') ?? '')).toBeNull();
  });
});

describe('POST /api/jobs with text', () => {
  it('speaks the text (markup removed) in the chosen voice and makes the video', async () => {
    const b = new Browser(base);
    const voice = (await h.core.voices.list())[1] ?? (await h.core.voices.list())[0];
    if (voice === undefined) throw new Error('the fake lists no voices');
    const before = spoken().length;
    const { status, body } = await b.json('/api/jobs', {
      method: 'POST',
      body: textForm({ text: '  Say **hello**\n to https://example.com now ', voice: voice.id }),
    });
    expect(status).toBe(201);
    const job = jobOf(body);
    expect(job.audioSeconds).toBeGreaterThan(0);
    expect(spoken().slice(before)).toEqual([expect.objectContaining({ text: 'Say hello to now', voice_profile_id: voice.id })]);
    expect(await finished(job.id)).toBe('completed');
    const listed = (await b.json('/api/jobs')).body as { jobs: PublicJob[] };
    expect(listed.jobs.find((j) => j.id === job.id)?.fileUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\//);
  });

  it('refuses text over the limit with the count and the limit, and sends nothing', async () => {
    const b = new Browser(base);
    const before = spoken().length;
    const text = 'a'.repeat(TEXT_MAX + 5);
    const { status, body } = await b.json('/api/jobs', { method: 'POST', body: textForm({ text }) });
    expect(status).toBe(400);
    expect(errorOf(body)).toEqual({
      code: 'INVALID_TEXT',
      message: `That text is ${TEXT_MAX + 5} characters long; I can speak up to ${TEXT_MAX}. Shorten it and try again.`,
    });
    expect(spoken().length).toBe(before);
    expect(((await b.json('/api/jobs')).body as { jobs: PublicJob[] }).jobs).toEqual([]);
  });

  it('refuses empty text, and text that is only markup, and sends nothing', async () => {
    const b = new Browser(base);
    const before = spoken().length;
    for (const text of ['', '   \n ', '<@123> ** https://example.com']) {
      const { status, body } = await b.json('/api/jobs', { method: 'POST', body: textForm({ text }) });
      expect(status, JSON.stringify(text)).toBe(400);
      expect(errorOf(body).code).toBe('INVALID_TEXT');
      expect(errorOf(body).message).toMatch(/nothing to say/);
    }
    expect(spoken().length).toBe(before);
  });

  it('refuses a voice the service does not list, naming it and how to pick one, and sends nothing', async () => {
    const b = new Browser(base);
    const before = spoken().length;
    const { status, body } = await b.json('/api/jobs', { method: 'POST', body: textForm({ text: 'Hello.', voice: 'withdrawn-voice' }) });
    expect(status).toBe(400);
    expect(errorOf(body).code).toBe('UNKNOWN_VOICE');
    expect(errorOf(body).message).toContain('withdrawn-voice');
    expect(errorOf(body).message).toContain('Pick one from the voice list.');
    expect(spoken().length).toBe(before);
  });

  it('takes exactly one of audio and text: both is refused, neither asks for one, a blank text beside audio is ignored', async () => {
    const b = new Browser(base);
    const audio = { audio: { data: wav, name: 'hello.wav', type: 'audio/wav' } };
    const both = await b.json('/api/jobs', { method: 'POST', body: textForm({ text: 'Hello.' }, audio) });
    expect(both.status).toBe(400);
    expect(errorOf(both.body)).toEqual({ code: 'AUDIO_AND_TEXT', message: 'Send either a voice note or typed text, not both.' });
    const neither = await b.json('/api/jobs', { method: 'POST', body: textForm({ voice: 'x' }) });
    expect(neither.status).toBe(400);
    expect(errorOf(neither.body)).toEqual({ code: 'MISSING_FILE', message: 'Please record or choose a voice note, or type what to say.' });
    const before = spoken().length;
    const blank = await b.json('/api/jobs', { method: 'POST', body: textForm({ text: ' ' }, audio) });
    expect(blank.status).toBe(201);
    expect(spoken().length).toBe(before);
    await h.core.jobs.cancel(jobOf(blank.body).id, b.cookie('pg_browser') ?? '');
  });

  it("answers the service's text-to-speech failures in the same words and statuses as its video failures", async () => {
    const b = new Browser(base);
    h.mock.failNext('tts', { kind: 'status', status: 402, body: { title: 'Payment Required', status: 402, detail: 'No credits.' } });
    const credits = await b.json('/api/jobs', { method: 'POST', body: textForm({ text: 'Hello there.' }) });
    expect(credits.status).toBe(500);
    expect(errorOf(credits.body)).toEqual({ code: 'API_CREDITS', message: 'The avatar service account is out of credits.' });
    h.mock.failNext('tts', { kind: 'status', status: 401, body: { title: 'Unauthorized', status: 401 } });
    const auth = await b.json('/api/jobs', { method: 'POST', body: textForm({ text: 'Hello there.' }) });
    expect(auth.status).toBe(500);
    expect(errorOf(auth.body)).toEqual({
      code: 'API_AUTH',
      message: 'The avatar service refused the API key. Check AVATAR_API_KEY in .env.',
    });
    expect(((await b.json('/api/jobs')).body as { jobs: PublicJob[] }).jobs).toEqual([]);
  });
});
