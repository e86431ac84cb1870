/**
 * A real core over a temp SQLite DATA_DIR, talking over loopback HTTP to the local avatar
 * server, with the bot's HTTP server (webhook route mounted). Stop it and start another on the
 * same `dataDir` (and the same `mock`) to simulate a restart with pending jobs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { coreConfigOf, parseConfig, type AppConfig } from '../../src/config/index.js';
import { createCore, type CoreHandle } from '../../src/core/index.js';
import type { JobEngine } from '../../src/core/jobs/engine.js';
import type { AvatarCore } from '../../src/core/ports.js';
import type { JobStore } from '../../src/core/store/port.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { mountWebhookRoute } from '../../src/http/webhook-route.js';
import { createFakeAvatarServer, type FakeAvatarOptions, type FakeAvatarServer } from '../fakes/avatar/index.js';

export interface HarnessOptions {
  /** Extra environment (overrides the fast test defaults). */
  env?: Record<string, string>;
  /** Reuse a data folder (restart). Default: a new temp folder, removed by stop(). */
  dataDir?: string;
  /** Reuse a running avatar server (restart). Default: a new one, closed by stop(). */
  mock?: FakeAvatarServer;
  mockOptions?: FakeAvatarOptions;
  /** Set PUBLIC_URL to the harness's own HTTP server so submits carry a webhook. */
  webhooks?: boolean;
  /** Run as `npm start` does with no AVATAR_API_KEY: the avatar server is the local preview. */
  preview?: boolean;
  logger?: Logger;
}

export interface Harness {
  core: AvatarCore;
  engine: JobEngine;
  store: JobStore;
  config: AppConfig;
  mock: FakeAvatarServer;
  http: HttpServer;
  dataDir: string;
  handle: CoreHandle;
  /** Starts the core (resumes pending jobs). Register ChatReply ports before this. */
  startCore(): Promise<void>;
  /** Stops the core and the HTTP server; keeps the data folder and the avatar server when they were passed in. */
  stop(): Promise<void>;
}

/** Fast defaults: short polls, quick local renders, quiet logs. */
export const FAST_ENV: Record<string, string> = {
  LOG_LEVEL: 'silent',
  AVATAR_POLL_FIRST_SECONDS: '0.1',
  AVATAR_POLL_MAX_INTERVAL_SECONDS: '0.3',
  AVATAR_RENDER_RATIO: '0.1',
  AVATAR_REQUEST_TIMEOUT_SECONDS: '5',
  AVATAR_TIMEOUT_SECONDS: '60',
  // Tests not about consent are not asked for it; the consent tests set FACE_CONSENT themselves.
  FACE_CONSENT: 'off',
};

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const ownsDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'tab-harness-'));
  const ownsMock = opts.mock === undefined;
  const mock = opts.mock ?? createFakeAvatarServer({ renderMs: () => 300, queueMs: 50, ...opts.mockOptions });
  if (ownsMock) await mock.start();
  const logger = opts.logger ?? pino({ level: 'silent' });
  const http = createHttpServer({ port: 0, host: '127.0.0.1' }, { logger });
  const { url } = await http.listen();
  const config = parseConfig({
    ...FAST_ENV,
    DATA_DIR: dataDir,
    ...(opts.preview === true ? {} : { AVATAR_API_URL: mock.url, AVATAR_API_KEY: 'test-key' }),
    ...(opts.webhooks === true ? { PUBLIC_URL: url } : {}),
    ...opts.env,
  });
  const preview = opts.preview === true ? { avatar: { url: mock.url, preview: true } } : {};
  const handle = createCore(coreConfigOf(config), { logger, ...preview });
  mountWebhookRoute(http, handle.engine, { logger });
  let stopped = false;
  return {
    core: handle.core,
    engine: handle.engine,
    store: handle.store,
    config,
    mock,
    http,
    dataDir,
    handle,
    startCore: () => handle.start(),
    async stop() {
      if (stopped) return;
      stopped = true;
      await handle.stop();
      await http.close(1000);
      if (ownsMock) await mock.close();
      if (ownsDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
