/**
 * What the harness cannot set up: a core in preview mode (the harness always names its avatar
 * server) and errors of every kind. A small stand-in core drives the real HTTP server and the
 * playground's ChatReply, so the page's banner, CSP and error words are checked end to end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { JobView } from '../../../src/core/ports.js';
import { standInCore } from './helpers/stand-in-core.js';
import { createHttpServer, type HttpServer } from '../../../src/http/server.js';
import { createPlayground, formatReplyTo, type Playground, type PublicJob } from '../../../src/bots/playground/index.js';
import { Browser } from './helpers/client.js';

let http: HttpServer;
let playground: Playground;
let base: string;

const stand = standInCore();
const core = stand.core;

function jobFor(browserId: string): JobView {
  return {
    id: 'job-1',
    platform: 'playground',
    requesterId: browserId,
    groupId: '',
    replyTo: formatReplyTo(browserId),
    replyState: null,
    state: 'submitted',
    taskId: 't1',
    taskStatus: 'IN_PROGRESS',
    fileUrl: null,
    outputDuration: null,
    audioSeconds: 2,
    errorCode: null,
    errorMessage: null,
    errorFacts: null,
    createdAt: 1000,
    updatedAt: 1000,
    submittedAt: 1000,
    finishedAt: null,
    etaAt: null,
    renderStartedAt: null,
    spokenText: null,
    discardedAt: null,
    captions: null,
    delivered: false,
    preview: true,
  };
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

describe('preview mode', () => {
  it('says plainly that the local preview server is in use, and how to use the real service', async () => {
    const { body } = await new Browser(base).json('/api/info');
    expect(body).toMatchObject({ preview: true, limits: core.limits });
    expect((body as { previewNote: string }).previewNote).toMatch(/AVATAR_API_KEY/);
    const page = await new Browser(base).fetch('/');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/media-src 'self' blob: http:\/\/127\.0\.0\.1:\*/);
    expect(csp).not.toMatch(/media-src [^;]*https:/);
  });
});

describe('the playground ChatReply', () => {
  it('turns progress, errors and results into events in plain words, for the owning browser only, never of a deleted job', async () => {
    const b = new Browser(base);
    await b.fetch('/api/jobs');
    const browserId = b.cookie('pg_browser') ?? '';
    const stream = b.events();
    try {
      await stream.opened;
      const job = jobFor(browserId);
      await stand.reply().progress(job, { state: 'rendering', elapsedMs: 500, etaMs: 4000 });
      await stand.reply().error({ ...job, state: 'failed' }, { code: 'API_AUTH', message: 'HTTP 401 from https://x with key sk-live-123' });
      await stand.reply().result({ ...job, id: 'job-2' }, { fileUrl: 'http://127.0.0.1:9/files/a.mp4', outputDuration: 2, preview: true });
      await stand.reply().result({ ...job, id: 'job-3' }, { fileUrl: 'javascript:alert(1)', outputDuration: 2, preview: true });
      // A deleted job's late answer (its link is gone) is shown to no one.
      await stand.reply().error({ ...job, id: 'deleted', state: 'completed', discardedAt: 5 }, { code: 'INTERNAL', message: 'no video' });
      // A job of another browser reaches no one here.
      await stand.reply().progress({ ...jobFor('someone-else-0123456789'), id: 'foreign' }, { state: 'queued', elapsedMs: 1 });
      // A marker after it: once the marker is here, the foreign event would have been too.
      await stand.reply().progress({ ...job, id: 'job-4', state: 'queued' }, { state: 'queued', elapsedMs: 1, queuePosition: 2 });
      await stream.waitFor((events) => events.length >= 5);
      const jobs = stream.events.map((e) => JSON.parse(e.data) as PublicJob);
      expect(jobs.map((j) => [j.id, j.phase])).toEqual([
        ['job-1', 'rendering'],
        ['job-1', 'failed'],
        ['job-2', 'completed'],
        ['job-3', 'completed'],
        ['job-4', 'queued'],
      ]);
      expect(jobs[4]?.queuePosition).toBe(2);
      expect(jobs[0]?.etaAt).toBe((jobs[0]?.serverNow ?? 0) + 4000);
      expect(jobs[1]?.error?.message).toMatch(/AVATAR_API_KEY/);
      expect(JSON.stringify(jobs[1])).not.toContain('sk-live-123');
      expect(jobs[2]?.fileUrl).toBe('http://127.0.0.1:9/files/a.mp4');
      // Only http(s) URLs ever reach the page's src/href.
      expect(jobs[3]?.fileUrl).toBeNull();
    } finally {
      stream.close();
    }
  });
});
