/**
 * The bot's one HTTP server on its own: 404 for no route, 405 for a known path with another
 * method (body unread, whatever type it claims), a bare 500 for a handler that throws, exactly
 * one answer when a bodied DELETE's bytes read as a broken next request, and routes only
 * before the first request.
 */
import { connect } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';

let server: HttpServer;
let base: string;

/** Sends raw bytes and collects everything the server writes until it closes (bounded). */
function raw(text: string): Promise<string> {
  const u = new URL(base);
  return new Promise((resolve) => {
    const socket = connect(Number(u.port), u.hostname);
    let got = '';
    const timer = setTimeout(() => socket.destroy(), 2000);
    socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(got);
    });
    socket.on('error', () => undefined);
    socket.write(text);
    setTimeout(() => socket.end(), 300);
  });
}

beforeAll(async () => {
  server = createHttpServer({ port: 0, host: '127.0.0.1' }, { logger: pino({ level: 'silent' }) });
  server.mount(async (app) => {
    app.get('/hello', async () => ({ hello: true }));
    app.post('/boom', async () => {
      throw new Error('secret detail');
    });
  });
  base = (await server.listen()).url;
});

afterAll(async () => {
  await server?.close(500);
});

describe('http server', () => {
  test('404 for no route, 405 for another method on a known path, HEAD on a GET route', async () => {
    const none = await fetch(`${base}/nope`, { method: 'POST', headers: { 'content-type': '' }, body: 'x' });
    expect(none.status).toBe(404);
    expect(await none.text()).toBe('Not found\n');
    const wrong = await fetch(`${base}/hello`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(wrong.status).toBe(405);
    expect(await wrong.text()).toBe('Method not allowed\n');
    expect((await fetch(`${base}/hello`, { method: 'HEAD' })).status).toBe(200);
    expect(await (await fetch(`${base}/hello`)).json()).toEqual({ hello: true });
  });

  test('a handler that throws is a bare 500, without its message', async () => {
    const res = await fetch(`${base}/boom`, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('Internal error\n');
  });

  test('a DELETE whose unannounced body reads as a broken next request gets one answer only', async () => {
    const answer = await raw('DELETE /hello HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n\r\nnot a request line');
    expect(answer).toMatch(/^HTTP\/1\.1 405 /);
    expect(answer.match(/HTTP\/1\.1 /g)).toHaveLength(1);
  });

  test('routes cannot be added once requests are served', () => {
    expect(() => server.mount(async () => undefined)).toThrow(/before the server takes its first request/);
  });
});
