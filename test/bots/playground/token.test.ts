/** PLAYGROUND_TOKEN: every playground request must carry it (query once, then cookie; or Bearer). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { createPlayground, type Playground } from '../../../src/bots/playground/index.js';
import { Browser } from './helpers/client.js';
import { rawExchange } from './helpers/raw.js';

const TOKEN = 'correct-horse-battery-staple';
let h: Harness;
let playground: Playground;
let base: string;

beforeAll(async () => {
  h = await startHarness({ env: { PLAYGROUND_TOKEN: TOKEN } });
  expect(h.config.playground.token).toBe(TOKEN);
  playground = createPlayground(h.config.playground, { core: h.core, logger: pino({ level: 'silent' }), router: h.http });
  base = h.http.url();
});

afterAll(async () => {
  await playground?.stop();
  await h?.stop();
});

describe('playground token', () => {
  it('answers 401 with a JSON message without the token, and on a wrong one', async () => {
    for (const path of ['/', '/static/app.js', '/api/info', '/api/jobs', '/api/jobs/events']) {
      const { status, body } = await new Browser(base).json(path);
      expect(status, path).toBe(401);
      expect(body).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    }
    const wrong = await new Browser(base).json('/api/jobs', { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect((await new Browser(base).json('/?token=nope')).status).toBe(401);
    const post = await new Browser(base).json('/api/jobs', { method: 'POST', body: new FormData() });
    expect(post.status).toBe(401);
  });

  it('accepts Authorization: Bearer', async () => {
    const { status, body } = await new Browser(base).json('/api/jobs', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(status).toBe(200);
    expect(body).toEqual({ jobs: [] });
  });

  it('swaps ?token= for an HttpOnly cookie, drops it from the address, then the cookie alone works', async () => {
    const b = new Browser(base);
    const first = await b.fetch(`/?token=${encodeURIComponent(TOKEN)}`);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const tokenCookie = first.headers.getSetCookie().find((c) => c.startsWith('pg_token='));
    expect(tokenCookie).toMatch(/HttpOnly/);
    expect(tokenCookie).toMatch(/SameSite=Strict/);
    // The cookie holds a hash, never the token itself.
    expect(tokenCookie).not.toContain(TOKEN);
    expect((await b.fetch('/')).status).toBe(200);
    expect((await b.json('/api/jobs')).status).toBe(200);
  });

  it('with a token set, any Host name is accepted (the token is the protection)', async () => {
    const port = Number(new URL(base).port);
    const r = await rawExchange(
      port,
      `GET /api/info HTTP/1.1\r\nHost: bot.example.org\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`,
      [],
    );
    expect(r.status).toBe(200);
  });
});
