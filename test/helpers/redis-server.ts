/**
 * A throwaway redis-server on a free loopback port, for tests: no persistence (no RDB, no AOF),
 * killed by `stop()` (and when the test process exits).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';

const REDIS_SERVER = '/usr/bin/redis-server';

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** One PING over a raw socket: true when the server answers +PONG within `timeoutMs`. */
function pingOnce(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    let buf = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
    });
    sock.on('error', () => done(false));
  });
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Starts one server; rejects when it exits early (e.g. the port was taken meanwhile) or never answers. */
async function startOn(port: number, readyMs: number): Promise<RedisServer> {
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (exited(child)) return;
    child.kill('SIGTERM');
    if (!(await waitExit(child, 5000))) {
      child.kill('SIGKILL');
      await waitExit(child, 5000);
    }
  };

  const deadline = Date.now() + readyMs;
  while (Date.now() < deadline) {
    if (exited(child)) {
      await stop();
      throw new Error(`redis-server on port ${port} exited (${child.exitCode ?? child.signalCode}): ${output.trim()}`);
    }
    if (await pingOnce(port, 500)) return { url: `redis://127.0.0.1:${port}`, port, stop };
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error(`redis-server on port ${port} did not answer PING within ${readyMs} ms: ${output.trim()}`);
}

/**
 * Starts `/usr/bin/redis-server` on a free 127.0.0.1 port and waits (bounded) until it answers
 * PING. Tries a few ports when one is taken between finding it and binding it.
 */
export async function startRedis(opts: { attempts?: number; readyMs?: number } = {}): Promise<RedisServer> {
  if (!existsSync(REDIS_SERVER)) {
    throw new Error(
      `${REDIS_SERVER} is missing: the Redis tests need a real redis-server. .ci/run installs it with apt ` +
        '(apt-get install redis-server); on a developer machine run: apt-get update && apt-get install -y redis-server',
    );
  }
  const attempts = opts.attempts ?? 5;
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await startOn(await freePort(), opts.readyMs ?? 10_000);
    } catch (err) {
      last = err;
    }
  }
  throw new Error(`could not start redis-server after ${attempts} attempts: ${last instanceof Error ? last.message : String(last)}`);
}
