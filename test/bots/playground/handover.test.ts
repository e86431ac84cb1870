/**
 * The handed-over video and caption files in the playground, over real HTTP: the job JSON
 * carries this server's video and caption URLs, the transcript (short and whole) and the notes'
 * words; the files are served to the owning browser only (with Range for the video), dropped on
 * Delete; a video this server does not keep is served from the service's link. A stand-in core
 * drives the real HTTP server and the playground's ChatReply.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandedCache } from '../../../src/bots/playground/handed-cache.js';
import { createPlayground, formatReplyTo, type Playground, type PublicJob } from '../../../src/bots/playground/index.js';
import type { JobView } from '../../../src/core/ports.js';
import { standInCore } from './helpers/stand-in-core.js';
import { createHttpServer, type HttpServer } from '../../../src/http/server.js';
import { captionFiles, handedResult, makeMp4 } from '../../helpers/handover.js';
import { Browser } from './helpers/client.js';

let http: HttpServer;
let playground: Playground;
let base: string;
const jobs = new Map<string, JobView>();

const stand = standInCore(jobs, {
  jobs: {
    discard: async (id) => {
      const job = { ...(jobs.get(id) as JobView), discardedAt: Date.now(), fileUrl: null };
      jobs.set(id, job);
      return job;
    },
  },
});
const core = stand.core;

function finished(id: string, browserId: string, over: Partial<JobView> = {}): JobView {
  const job: JobView = {
    id,
    platform: 'playground',
    requesterId: browserId,
    groupId: '',
    replyTo: formatReplyTo(browserId),
    replyState: null,
    state: 'completed',
    taskId: 't1',
    taskStatus: 'COMPLETED',
    fileUrl: `http://127.0.0.1:9/files/${id}.mp4`,
    outputDuration: 1,
    audioSeconds: 1,
    errorCode: null,
    errorMessage: null,
    errorFacts: null,
    createdAt: 1000,
    updatedAt: 1000,
    submittedAt: 1000,
    finishedAt: 2000,
    etaAt: null,
    renderStartedAt: null,
    spokenText: null,
    discardedAt: null,
    captions: null,
    delivered: false,
    preview: true,
    ...over,
  };
  jobs.set(id, job);
  return job;
}

beforeAll(async () => {
  http = createHttpServer({ port: 0, host: '127.0.0.1' }, { logger: pino({ level: 'silent' }) });
  playground = createPlayground({ enabled: true, token: undefined }, { core, logger: pino({ level: 'silent' }), router: http });
  base = (await http.listen()).url;
});

afterAll(async () => {
  await playground?.stop();
  await http?.close(1000);
});

/** A browser with its id (the cookie the server gave it). */
async function browser(): Promise<{ b: Browser; id: string }> {
  const b = new Browser(base);
  await b.fetch('/api/jobs');
  return { b, id: b.cookie('pg_browser') ?? '' };
}

async function listed(b: Browser, id: string): Promise<PublicJob | undefined> {
  const { body } = await b.json('/api/jobs');
  return (body as { jobs: PublicJob[] }).jobs.find((j) => j.id === id);
}

describe('the handed-over files in the playground', () => {
  it('the result event and the list carry this server’s video and caption URLs, the transcript and the notes; the files come byte for byte', async () => {
    const { b, id } = await browser();
    const stream = b.events();
    try {
      await stream.opened;
      const job = finished('pg-hand-1', id);
      const long = `${'Words stay whole in the excerpt. '.repeat(20)}Final words.`;
      const result = await handedResult(job.id, { captions: captionFiles(long), notes: ['BURN_FAILED'], preview: true });
      await stand.reply().result(job, result);
      await stream.waitFor((events) => events.length >= 1);
      const shown = JSON.parse(stream.events[0]?.data ?? '{}') as PublicJob;
      expect(shown.videoUrl).toBe(`/api/jobs/${job.id}/video.mp4`);
      expect(shown.captions).toEqual({ vtt: `/api/jobs/${job.id}/captions.vtt`, srt: `/api/jobs/${job.id}/captions.srt` });
      expect(shown.transcript?.excerpt.endsWith('…')).toBe(true);
      expect(shown.transcript?.excerpt).not.toContain('Final words.');
      expect(shown.transcript?.full).toContain('Final words.');
      expect(shown.notes).toEqual(['The captions could not be drawn into the video; they come as caption files beside it instead.']);
      expect(shown.aiLabel).toContain('AI-generated');
      expect(shown.fileUrl).toBe(result.fileUrl);
      expect(await listed(b, job.id)).toMatchObject({ videoUrl: shown.videoUrl, captions: shown.captions, notes: shown.notes });

      const video = await b.fetch(shown.videoUrl ?? '');
      expect(video.status).toBe(200);
      expect(video.headers.get('content-type')).toBe('video/mp4');
      expect(video.headers.get('accept-ranges')).toBe('bytes');
      expect(Buffer.from(await video.arrayBuffer()).equals(await makeMp4())).toBe(true);
      const part = await b.fetch(shown.videoUrl ?? '', { headers: { range: 'bytes=0-99' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 0-99/${(await makeMp4()).length}`);
      expect(Buffer.from(await part.arrayBuffer()).equals((await makeMp4()).subarray(0, 100))).toBe(true);
      const tail = await b.fetch(shown.videoUrl ?? '', { headers: { range: 'bytes=-10' } });
      expect(Buffer.from(await tail.arrayBuffer()).equals((await makeMp4()).subarray(-10))).toBe(true);
      expect((await b.fetch(shown.videoUrl ?? '', { headers: { range: 'bytes=999999999-' } })).status).toBe(416);

      const vtt = await b.fetch(shown.captions?.vtt ?? '');
      expect(vtt.status).toBe(200);
      expect(vtt.headers.get('content-type')).toBe('text/vtt; charset=utf-8');
      expect(await vtt.text()).toBe(result.captions?.vtt);
      const srt = await b.fetch(shown.captions?.srt ?? '');
      expect(srt.headers.get('content-type')).toBe('application/x-subrip; charset=utf-8');
      expect(await srt.text()).toBe(result.captions?.srt);
    } finally {
      stream.close();
    }
  });

  it('another browser gets 404 for every file, as for a job that does not exist', async () => {
    const owner = await browser();
    const job = finished('pg-hand-2', owner.id);
    await stand.reply().result(job, await handedResult(job.id));
    const other = await browser();
    for (const path of ['video.mp4', 'captions.vtt', 'captions.srt']) {
      expect((await other.b.fetch(`/api/jobs/${job.id}/${path}`)).status).toBe(404);
      expect((await owner.b.fetch(`/api/jobs/${job.id}/${path}`)).status).toBe(200);
      expect((await owner.b.fetch(`/api/jobs/no-such-job/${path}`)).status).toBe(404);
    }
  });

  it('Delete drops the kept files: every file route answers 404 afterwards', async () => {
    const { b, id } = await browser();
    const job = finished('pg-hand-3', id);
    await stand.reply().result(job, await handedResult(job.id));
    expect((await b.fetch(`/api/jobs/${job.id}/video.mp4`)).status).toBe(200);
    expect((await b.fetch(`/api/jobs/${job.id}`, { method: 'DELETE' })).status).toBe(200);
    for (const path of ['video.mp4', 'captions.vtt', 'captions.srt'])
      expect((await b.fetch(`/api/jobs/${job.id}/${path}`)).status).toBe(404);
  });

  it('no video kept (none handed over, or after a restart): the service link plays; the transcript comes from the job’s captions', async () => {
    const { b, id } = await browser();
    const job = finished('pg-hand-4', id, {
      captions: { source: 'typed-text', cues: [{ start: 0, end: 1, text: 'Kept with the job.' }], text: 'Kept with the job.' },
    });
    await stand.reply().result(job, await handedResult(job.id, { video: false, captions: null, notes: ['CAPTIONS_NEED_SPEECH_TO_TEXT'] }));
    const shown = await listed(b, job.id);
    expect(shown?.videoUrl).toBe(job.fileUrl);
    expect(shown?.captions).toBeNull();
    expect(shown?.transcript).toEqual({ excerpt: 'Kept with the job.', full: 'Kept with the job.' });
    expect(shown?.notes).toEqual(['No captions: the preview server has no speech-to-text, so a voice note cannot be transcribed.']);
    const res = await b.fetch(`/api/jobs/${job.id}/video.mp4`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(job.fileUrl);
    expect((await b.fetch(`/api/jobs/${job.id}/captions.vtt`)).status).toBe(404);
  });
});

describe('the handed-over cache', () => {
  const entry = (owner: string, size: number) => ({ owner, video: { bytes: new Uint8Array(size), name: 'v.mp4' }, notes: [] });

  it('keeps at most its count and its bytes, dropping the least recently used first', () => {
    const cache = createHandedCache({ maxEntries: 2, maxBytes: 100 });
    cache.put('a', entry('x', 10));
    cache.put('b', entry('x', 10));
    expect(cache.get('a')).toBeDefined(); // a is now the most recently used
    cache.put('c', entry('x', 10));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    cache.put('d', entry('y', 95));
    // 95 + 10 > 100: the older one goes.
    expect(cache.get('c')).toBeUndefined();
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('d')?.video?.bytes.byteLength).toBe(95);
  });

  it('never keeps a video larger than the whole cache (its notes and captions stay); drops by owner', () => {
    const cache = createHandedCache({ maxEntries: 5, maxBytes: 100 });
    cache.put('big', { ...entry('x', 500), captions: { vtt: 'WEBVTT', srt: '1', transcript: 't' } });
    expect(cache.get('big')?.video).toBeUndefined();
    expect(cache.get('big')?.captions?.vtt).toBe('WEBVTT');
    cache.put('other', entry('y', 5));
    cache.dropOwner('x');
    expect(cache.get('big')).toBeUndefined();
    expect(cache.get('other')).toBeDefined();
  });
});
