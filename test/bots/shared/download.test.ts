/**
 * The shared capped downloader against two loopback servers (two ports: two hosts as far as
 * a policy is concerned): every redirect hop re-checked, the credential only where the policy
 * says, the cap enforced while the body streams, and a hop limit.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANY_HTTP, downloadCapped, DownloadError, toMediaFailure, type DownloadPolicy } from '../../../src/bots/shared/download.js';
import { AvatarError, MediaError } from '../../../src/core/errors.js';

interface Host {
  origin: string;
  seen: Array<{ path: string; authorization: string | undefined }>;
  server: Server;
}

type Route = (req: IncomingMessage, res: ServerResponse, host: Host) => void;

async function startHost(routes: Record<string, Route>): Promise<Host> {
  const host: Host = { origin: '', seen: [], server: createServer() };
  host.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    host.seen.push({ path, authorization: req.headers.authorization });
    const route = routes[path];
    if (route === undefined) res.writeHead(404).end();
    else route(req, res, host);
  });
  await new Promise<void>((resolve) => host.server.listen(0, '127.0.0.1', resolve));
  host.origin = `http://127.0.0.1:${(host.server.address() as AddressInfo).port}`;
  return host;
}

const redirect =
  (to: () => string): Route =>
  (_req, res) =>
    res.writeHead(302, { location: to() }).end();

let home: Host;
let away: Host;

beforeAll(async () => {
  away = await startHost({
    '/file': (_req, res) => res.writeHead(200, { 'content-type': 'audio/ogg' }).end(Buffer.alloc(10, 1)),
  });
  home = await startHost({
    '/file': (_req, res) => res.writeHead(200, { 'content-type': 'audio/ogg' }).end(Buffer.alloc(10, 2)),
    '/to-home': redirect(() => `${home.origin}/file`),
    '/to-away': redirect(() => `${away.origin}/file`),
    '/relative': redirect(() => '/file'),
    '/loop': redirect(() => `${home.origin}/loop`),
    '/no-location': (_req, res) => res.writeHead(302).end(),
    '/declared-big': (_req, res) => res.writeHead(200, { 'content-length': '5000' }).end(Buffer.alloc(5000)),
    // No content-length: the size is only known while streaming, chunk by chunk.
    '/streamed-big': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      let sent = 0;
      const next = (): void => {
        if (sent >= 20) {
          res.end();
          return;
        }
        sent += 1;
        res.write(Buffer.alloc(1000), () => next());
      };
      next();
    },
  });
});

afterAll(async () => {
  await Promise.all([home, away].map((h) => new Promise((r) => h.server.close(r))));
});

/** Only `home`, with a credential for `home`. */
function homeOnly(): DownloadPolicy {
  return {
    allows: (url) => url.origin === home.origin,
    authorization: (url) => (url.origin === home.origin ? 'Bearer secret' : undefined),
  };
}

describe('downloadCapped', () => {
  it('follows redirects on allowed hosts (absolute and relative), sending the credential there', async () => {
    const got = await downloadCapped(`${home.origin}/to-home`, { maxBytes: 100, policy: homeOnly() });
    expect(got.bytes).toEqual(new Uint8Array(10).fill(2));
    expect(got.finalUrl).toBe(`${home.origin}/file`);
    expect(got.authorized).toBe(true);
    expect(got.contentType).toBe('audio/ogg');
    expect((await downloadCapped(`${home.origin}/relative`, { maxBytes: 100, policy: homeOnly() })).bytes.length).toBe(10);
  });

  it('refuses a redirect to a host the policy does not allow: nothing is asked of that host', async () => {
    const before = away.seen.length;
    const attempt = downloadCapped(`${home.origin}/to-away`, { maxBytes: 100, policy: homeOnly() });
    await expect(attempt).rejects.toBeInstanceOf(DownloadError);
    await expect(attempt).rejects.toMatchObject({ failure: 'host' });
    expect(away.seen.length).toBe(before);
  });

  it('refuses a first URL outside the policy before any request', async () => {
    const before = away.seen.length;
    await expect(downloadCapped(`${away.origin}/file`, { maxBytes: 100, policy: homeOnly() })).rejects.toMatchObject({ failure: 'host' });
    expect(away.seen.length).toBe(before);
  });

  it('drops the credential on a hop to a host allowed for fetching but not for the credential', async () => {
    const policy: DownloadPolicy = { ...ANY_HTTP, authorization: homeOnly().authorization };
    const got = await downloadCapped(`${home.origin}/to-away`, { maxBytes: 100, policy });
    expect(got.bytes).toEqual(new Uint8Array(10).fill(1));
    expect(got.authorized).toBe(false);
    expect(home.seen.findLast((r) => r.path === '/to-away')?.authorization).toBe('Bearer secret');
    expect(away.seen.at(-1)).toEqual({ path: '/file', authorization: undefined });
  });

  it('gives up after the hop limit', async () => {
    const before = home.seen.filter((r) => r.path === '/loop').length;
    await expect(downloadCapped(`${home.origin}/loop`, { maxBytes: 100, policy: homeOnly(), maxRedirects: 2 })).rejects.toMatchObject({
      failure: 'redirects',
    });
    // The first request and two redirects followed: three requests, no more.
    expect(home.seen.filter((r) => r.path === '/loop').length - before).toBe(3);
  });

  it('enforces the cap on a declared length and while streaming a body of unknown length', async () => {
    await expect(downloadCapped(`${home.origin}/declared-big`, { maxBytes: 4999, policy: homeOnly() })).rejects.toMatchObject({
      failure: 'too_large',
    });
    await expect(downloadCapped(`${home.origin}/streamed-big`, { maxBytes: 5500, policy: homeOnly() })).rejects.toMatchObject({
      failure: 'too_large',
    });
    expect((await downloadCapped(`${home.origin}/streamed-big`, { maxBytes: 20_000, policy: homeOnly() })).bytes.length).toBe(20_000);
  });

  it('a missing file, a redirect without Location and a bad URL are failures with a status where there is one', async () => {
    const opts = { maxBytes: 10, policy: homeOnly() };
    await expect(downloadCapped(`${home.origin}/nope`, opts)).rejects.toMatchObject({ failure: 'status', status: 404 });
    await expect(downloadCapped(`${home.origin}/no-location`, opts)).rejects.toMatchObject({ failure: 'status' });
    await expect(downloadCapped('not a url', { maxBytes: 10, policy: homeOnly() })).rejects.toMatchObject({ failure: 'url' });
  });
});

describe('toMediaFailure', () => {
  const words = { limit: 5, failed: 'could not fetch' };

  it('too large is INVALID_MEDIA TOO_LARGE with the limit as a fact; anything else DOWNLOAD_FAILED', () => {
    const big = toMediaFailure(new DownloadError('too_large', 'more than 5 bytes'), 'audio', words);
    expect(big).toBeInstanceOf(MediaError);
    expect(big).toMatchObject({ code: 'INVALID_MEDIA', reason: 'TOO_LARGE', kind: 'audio', facts: { limit: 5 } });
    const gone = toMediaFailure(new DownloadError('status', 'x answered 404', 404), 'image', words);
    expect(gone).toMatchObject({ code: 'DOWNLOAD_FAILED', message: 'could not fetch', status: 404, detail: 'x answered 404' });
    expect(toMediaFailure(new DownloadError('host', 'host not allowed: a.b'), 'image', words)).toMatchObject({ reason: 'FOREIGN_HOST' });
    const already = new AvatarError('QUEUE_FULL', 'busy');
    expect(toMediaFailure(already, 'image', words)).toBe(already);
  });
});
