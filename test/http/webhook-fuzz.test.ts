/**
 * The webhook route under a seeded fuzz (random methods, paths, headers, bodies and sizes):
 * never a 5xx, never a wake-up without the job's own token, bodies capped; and a client that
 * trickles its headers slower than the server's headersTimeout is cut off.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bytesInput } from '../../src/core/media-input.js';
import { voiceFile } from '../../src/core/ports.js';
import type { JobView } from '../../src/core/ports.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { mountWebhookRoute } from '../../src/http/webhook-route.js';
import { createRng } from '../fakes/avatar/random.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { makeJpeg, makeTone } from '../helpers/media.js';
import { recordingReply } from '../helpers/recording-reply.js';

const FUZZ_REQUESTS = 300;
const CAP = 64 * 1024;
const HEADERS_TIMEOUT_MS = 300;
let h: Harness;
let server: HttpServer;
let job: JobView;
let token: string;

interface Answer {
  status: number | null;
  error: string | null;
}

function send(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer | null,
  chunked: boolean,
): Promise<Answer> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, method, path, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? null, error: null }));
      res.on('error', () => resolve({ status: res.statusCode ?? null, error: null }));
    });
    req.setTimeout(5000, () => req.destroy(new Error('client timeout')));
    req.on('error', (err) => resolve({ status: null, error: (err as NodeJS.ErrnoException).code ?? err.message }));
    if (body !== null && body.length > 0) {
      if (chunked) {
        for (let i = 0; i < body.length; i += 8192) req.write(body.subarray(i, i + 8192));
      } else req.write(body);
    }
    req.end();
  });
}

beforeAll(async () => {
  h = await startHarness({ webhooks: true });
  server = createHttpServer(
    { port: 0, host: '127.0.0.1', headersTimeoutMs: HEADERS_TIMEOUT_MS, requestTimeoutMs: 2000 },
    { logger: pino({ level: 'silent' }) },
  );
  mountWebhookRoute(server, h.engine, { logger: pino({ level: 'silent' }) });
  await server.listen();
  h.core.registerReply('test', recordingReply());
  await h.startCore();
  // A task that never ends on its own: the job stays submitted, with a webhook token.
  h.mock.nextOutcome({ status: 'STUCK' });
  job = await h.core.jobs.create({
    platform: 'test',
    requesterId: 'fuzz',
    groupId: '',
    replyTo: 'test:fuzz',
    image: bytesInput(await makeJpeg()),
    speech: voiceFile(bytesInput(await makeTone(0.5, 'wav'))),
  });
  for (let i = 0; i < 200 && (await h.core.jobs.get(job.id))?.state !== 'submitted'; i++) await new Promise((r) => setTimeout(r, 20));
  const rec = await h.store.getJob(job.id);
  if (rec?.state !== 'submitted' || rec.webhookToken === null) throw new Error('fuzz target job was not submitted with a webhook token');
  token = rec.webhookToken;
});

afterAll(async () => {
  await server?.close(500);
  await h?.stop();
});

describe('webhook route', () => {
  test(`${FUZZ_REQUESTS} seeded random requests: no 5xx, no wake-up, the job unchanged`, async () => {
    const rng = createRng(6);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
    const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => Math.floor(rng() * 256)));
    const good = `/avatar/webhook/${job.id}`;
    const before = await h.store.getJob(job.id);
    const statuses: Record<string, number> = {};
    const failures: string[] = [];

    const oneRequest = async (): Promise<void> => {
      const method = pick(['POST', 'POST', 'POST', 'POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND']);
      const path = pick([
        good,
        good,
        `${good}?x=${Math.floor(rng() * 1e6)}`,
        `${good}/extra`,
        `${good.toUpperCase()}`,
        `/avatar/webhook/${randomUUID()}`,
        `/avatar/webhook/${'a'.repeat(Math.floor(rng() * 3000))}`,
        '/avatar/webhook/%00%ff%2e%2e%2f',
        '/avatar/webhook/../healthz',
        '/avatar/webhook/',
      ]);
      const auth = pick([
        undefined,
        `Bearer ${Buffer.from(bytes(24)).toString('base64url')}`,
        `Bearer ${token.slice(0, -1)}`,
        `Bearer ${token}x`,
        `Bearer ${token.toUpperCase() === token ? token.toLowerCase() : token.toUpperCase()}`,
        `Basic ${Buffer.from(`x:${token}`).toString('base64')}`,
        'Bearer ',
        'Bearer',
        `Bearer ${'z'.repeat(Math.floor(rng() * 8000))}`,
        `${token}`,
      ]);
      const headers: Record<string, string> = {};
      if (auth !== undefined) headers.authorization = auth;
      headers['content-type'] = pick([
        'application/json',
        'text/plain',
        'multipart/form-data; boundary=x',
        'application/x-www-form-urlencoded',
        '',
      ]);
      if (rng() < 0.2) headers['x-forwarded-for'] = `${Math.floor(rng() * 255)}.0.0.1`;
      const size = pick([0, 1, 17, 1000, 20_000, CAP, CAP + 1, 150_000]);
      const kind = pick(['random', 'json', 'forged']);
      const body =
        kind === 'random'
          ? bytes(size)
          : kind === 'json'
            ? Buffer.from(JSON.stringify({ pad: 'p'.repeat(size) }))
            : Buffer.from(
                JSON.stringify({ id: job.taskId, status: 'COMPLETED', output: { s3_info: { key: 'evil.mp4' } }, pad: 'q'.repeat(size) }),
              );
      const chunked = rng() < 0.3;
      const sendBody = method === 'GET' || method === 'HEAD' ? null : body;
      const a = await send(server.url(), method, path, headers, sendBody, chunked);
      const key = a.status === null ? `error:${a.error}` : String(a.status);
      statuses[key] = (statuses[key] ?? 0) + 1;
      if (a.status !== null && a.status >= 500) failures.push(`${method} ${path.slice(0, 60)} -> ${a.status}`);
      // A cut connection is only acceptable for a body over the cap (the server answers 413 and closes).
      if (a.status === null && (sendBody === null || sendBody.length <= CAP))
        failures.push(`${method} ${path.slice(0, 60)} (${sendBody?.length ?? 0} B) -> ${a.error}`);
    };

    for (let i = 0; i < FUZZ_REQUESTS; i += 10) {
      await Promise.all(Array.from({ length: Math.min(10, FUZZ_REQUESTS - i) }, oneRequest));
    }
    console.log(`[webhook fuzz] ${FUZZ_REQUESTS} requests: ${JSON.stringify(statuses)}`);
    expect(failures).toEqual([]);
    expect(statuses['200'] ?? 0).toBe(0);
    expect(statuses['401'] ?? 0).toBeGreaterThan(0);
    expect(statuses['413'] ?? 0).toBeGreaterThan(0);
    expect(h.engine.stats().webhookWakes).toBe(0);
    const after = await h.store.getJob(job.id);
    expect(after?.state).toBe('submitted');
    expect(after?.webhookToken).toBe(before?.webhookToken);
    expect(after?.taskId).toBe(before?.taskId);
    expect(after?.fileUrl).toBeNull();
    expect(after?.delivered).toBe(false);

    // The control: the right token is accepted (so the refusals above were the token's doing).
    const ok = await send(
      server.url(),
      'POST',
      good,
      { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      Buffer.from('{}'),
      false,
    );
    expect(ok.status).toBe(200);
    expect(h.engine.stats().webhookWakes).toBe(1);
  }, 30_000);

  test('a body over the cap gets 413 even with the right token, and wakes nothing', async () => {
    const wakes = h.engine.stats().webhookWakes;
    const declared = await send(
      server.url(),
      'POST',
      `/avatar/webhook/${job.id}`,
      { authorization: `Bearer ${token}` },
      Buffer.alloc(CAP + 1, 0x20),
      false,
    );
    expect(declared.status).toBe(413);
    const chunked = await send(
      server.url(),
      'POST',
      `/avatar/webhook/${job.id}`,
      { authorization: `Bearer ${token}` },
      Buffer.alloc(CAP * 2, 0x20),
      true,
    );
    expect([413, null]).toContain(chunked.status);
    expect(h.engine.stats().webhookWakes).toBe(wakes);
    expect((await h.store.getJob(job.id))?.state).toBe('submitted');
  });

  test('a client sending its headers byte by byte, slower than headersTimeout, is disconnected', async () => {
    const head = `POST /avatar/webhook/${job.id} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nX-Padding: ${'p'.repeat(60)}\r\n\r\n`;
    const url = new URL(server.url());
    const socket = connect(Number(url.port), url.hostname);
    let answer = '';
    let closed = false;
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    await new Promise<void>((r) => socket.once('connect', () => r()));
    let sent = 0;
    // One byte every 25 ms: the whole head would take far longer than the 300 ms headersTimeout.
    for (; sent < head.length && !closed; sent++) {
      socket.write(head[sent] ?? '');
      await new Promise((r) => setTimeout(r, 25));
    }
    for (let i = 0; i < 40 && !closed; i++) await new Promise((r) => setTimeout(r, 25));
    socket.destroy();
    expect(closed).toBe(true);
    expect(sent).toBeLessThan(head.length);
    // Node answers 408 before closing (or just closes); never a handled request.
    if (answer !== '') expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(h.engine.stats().webhookWakes).toBe(1);

    // A client that sends at normal speed on the same server is answered.
    const fast = await send(server.url(), 'POST', `/avatar/webhook/${randomUUID()}`, {}, Buffer.from('{}'), false);
    expect(fast.status).toBe(401);
  });
});
