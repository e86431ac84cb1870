import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPreviewAvatarServer, type PreviewAvatarServer } from '../../src/preview-avatar/index.js';
import { call, ffmpegReport, makePng, makeToneWav, pollUntil, statusPath, SUBMIT } from './helpers.js';

const KEY = 'test-key-123';
let mock: PreviewAvatarServer;
let receiver: Server;
let receiverUrl = '';
const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
let tmp = '';
let image = '';
let audio = '';

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preview-avatar-test-'));
  image = (await makePng()).toString('base64');
  audio = makeToneWav(1).toString('base64');
  receiver = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  mock = createPreviewAvatarServer({ apiKey: KEY, queueMs: 20, renderMs: () => 50 });
  await mock.start();
});

afterAll(async () => {
  await mock.close();
  receiver.closeAllConnections();
  await new Promise((r) => receiver.close(r));
  await rm(tmp, { recursive: true, force: true });
});

async function submit(extra: Record<string, unknown> = {}): Promise<string> {
  const res = await call(mock.url + SUBMIT, { body: JSON.stringify({ image, audio, ...extra }), key: KEY });
  expect(res.status).toBe(200);
  const json = JSON.parse(res.text) as { data: { task_id: string; status: string } };
  expect(json.data.status).toBe('IN_QUEUE');
  expect(json.data.task_id).toMatch(/^[a-z0-9]{16,}$/);
  return json.data.task_id;
}

async function pollDone(taskId: string): Promise<Record<string, unknown>> {
  return pollUntil(async () => {
    const res = await call(mock.url + statusPath(taskId), { key: KEY });
    expect(res.status).toBe(200);
    const data = (JSON.parse(res.text) as { data: Record<string, unknown> }).data;
    expect(['IN_QUEUE', 'IN_PROGRESS', 'COMPLETED']).toContain(data['status']);
    return data['status'] === 'COMPLETED' ? data : undefined;
  });
}

describe('preview avatar: rendering', () => {
  it('renders a real H.264 + AAC MP4 from a still image and a voice note', async () => {
    const taskId = await submit();
    const data = await pollDone(taskId);
    expect(data['task_id']).toBe(taskId);
    expect(data['file_url']).toBe(`${mock.url}/files/preview-${taskId}.mp4`);
    expect(data['output_duration']).toBeGreaterThan(0.8);
    expect(data['output_duration']).toBeLessThan(1.3);

    const file = await call(String(data['file_url']));
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('video/mp4');
    expect(file.headers['content-disposition']).toContain(`preview-${taskId}.mp4`);
    const raw = await fetch(String(data['file_url']));
    const bytes = Buffer.from(await raw.arrayBuffer());
    expect(Number(raw.headers.get('content-length'))).toBe(bytes.length);
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');

    const path = join(tmp, 'out.mp4');
    await writeFile(path, bytes);
    const report = await ffmpegReport(path);
    expect(report).toMatch(/Video: h264[^\n]*yuv420p/);
    expect(report).toMatch(/Audio: aac/);

    // Range: the first 8 bytes are the ftyp box header.
    const part = await call(String(data['file_url']), { headers: { range: 'bytes=0-7' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-7/${bytes.length}`);
    const bad = await call(String(data['file_url']), { headers: { range: `bytes=${bytes.length + 10}-` } });
    expect(bad.status).toBe(416);

    expect(mock.stats().statusCallsByTask[taskId]).toBeGreaterThanOrEqual(1);
    expect(mock.tasks().find((t) => t.taskId === taskId)?.status).toBe('COMPLETED');
  });

  it('fails the task with a readable error when the image is not an image', async () => {
    const taskId = await submit({ image: Buffer.from('not an image at all').toString('base64') });
    const data = await pollUntil(async () => {
      const res = await call(mock.url + statusPath(taskId), { key: KEY });
      const d = (JSON.parse(res.text) as { data: Record<string, unknown> }).data;
      return d['status'] === 'FAILED' ? d : undefined;
    });
    expect(data['error']).toBe('The image could not be decoded.');
    expect(data['file_url']).toBeUndefined();
    const file = await call(`${mock.url}/files/preview-${taskId}.mp4`);
    expect(file.status).toBe(404);
  });

  it('posts the documented webhook body with the bearer token when a task completes', async () => {
    const before = received.length;
    const taskId = await submit({ webhook: { url: receiverUrl, auth_token: 'hook-secret' } });
    await pollDone(taskId);
    const hook = await pollUntil(async () => received.slice(before).find((r) => r.body.includes(taskId)));
    expect(hook.headers['authorization']).toBe('Bearer hook-secret');
    const body = JSON.parse(hook.body) as Record<string, unknown>;
    expect(body['id']).toBe(taskId);
    expect(body['status']).toBe('COMPLETED');
    expect(typeof body['delayTime']).toBe('number');
    expect(typeof body['executionTime']).toBe('number');
    expect(body['file_url']).toBeUndefined();
    const output = body['output'] as Record<string, unknown>;
    expect(output['id']).toBe(taskId);
    expect(typeof output['infer_time']).toBe('number');
    expect(output['s3_info']).toEqual({ region: 'local', bucket: 'preview-avatar', key: `preview-${taskId}.mp4` });
    // The receiver sees the body before the mock reads the 200 and counts it, so wait for the count.
    await pollUntil(async () => (mock.stats().webhooksSent >= 1 ? true : undefined));
    expect(mock.stats().webhookFailures).toBe(0);
    expect(mock.tasks().find((t) => t.taskId === taskId)?.webhookUrl).toBe(receiverUrl);
  });

  it('says on GET / that it is a rough local preview, not the service', async () => {
    const res = await call(`${mock.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toMatch(/preview/i);
    expect(res.text).toMatch(/NOT the real avatar service/);
    expect(res.text).toMatch(/not the service's lip-sync model/);
  });
});
