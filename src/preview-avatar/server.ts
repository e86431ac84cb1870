import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { STATUS_PATH_PATTERN, SUBMIT_PATH } from '../core/api-paths.js';
import { resolveFfmpeg } from '../core/media/ffmpeg-binary.js';
import { defaultFfmpegLimits } from '../core/media/ffmpeg-limits.js';
import { FILE_PATH, type PreviewContext } from './context.js';
import { handleFile } from './handle-file.js';
import { handleHome } from './handle-home.js';
import { handleStatus } from './handle-status.js';
import { handleSubmit } from './handle-submit.js';
import { sendProblem } from './problem.js';
import { routeSpeech } from './route-speech.js';
import { createSpeechStore, type SpeechStore } from './speech-store.js';
import { TaskBook } from './task-book.js';
import type { PreviewAvatarOptions, PreviewAvatarServer, PreviewAvatarStats } from './types.js';

const MB = 1024 * 1024;

/**
 * Creates the local Mirako-compatible preview server (not started). It listens on 127.0.0.1
 * only: it has no real auth story and renders whatever it is sent.
 */
export function createPreviewAvatarServer(options: PreviewAvatarOptions = {}): PreviewAvatarServer {
  const logger = options.logger ?? pino({ level: 'silent' });
  const counters: PreviewAvatarStats = {
    submits: 0,
    accepted: 0,
    statusCalls: 0,
    statusCallsByTask: {},
    webhooksSent: 0,
    webhookFailures: 0,
    ttsCalls: 0,
    voiceListCalls: 0,
  };
  const timers = new Set<NodeJS.Timeout>();
  let abort = new AbortController();
  let server: Server | null = null;
  let tasks: TaskBook | null = null;
  let speech: SpeechStore | null = null;
  let workDir: string | null = null;
  let url = '';
  let ctx: PreviewContext | null = null;

  const schedule = (ms: number, fn: () => void): void => {
    if (abort.signal.aborted) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    timers.add(timer);
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (ctx === null) {
      sendProblem(res, 503, 'Server is stopping.');
      return;
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    if (path === SUBMIT_PATH) {
      if (method === 'POST') return handleSubmit(ctx, req, res);
      return methodNotAllowed(req, res, 'POST');
    }
    const statusMatch = STATUS_PATH_PATTERN.exec(path);
    if (statusMatch !== null) {
      if (method === 'GET') return handleStatus(ctx, req, res, statusMatch[1] ?? '');
      return methodNotAllowed(req, res, 'GET');
    }
    const fileMatch = FILE_PATH.exec(path);
    if (fileMatch !== null) {
      if (method === 'GET' || method === 'HEAD') return handleFile(ctx, req, res, fileMatch[1] ?? '');
      return methodNotAllowed(req, res, 'GET, HEAD');
    }
    const speechRoute = routeSpeech(ctx, req, res, path, method);
    if (speechRoute !== false) return speechRoute === true ? undefined : speechRoute;
    if (path === '/' && (method === 'GET' || method === 'HEAD')) {
      handleHome(res);
      return;
    }
    req.resume();
    sendProblem(res, 404, 'Not found.');
  };

  return {
    get url() {
      return url;
    },

    async start() {
      if (server !== null) return;
      abort = new AbortController();
      const ffmpegLimits = options.ffmpegLimits ?? defaultFfmpegLimits;
      workDir = await mkdtemp(join(tmpdir(), 'preview-avatar-'));
      tasks = new TaskBook({
        workDir,
        // Rendering off runs no ffmpeg: nothing to resolve (load tests start many servers).
        ffmpegPath: options.ffmpegPath ?? (options.render === false ? 'ffmpeg' : resolveFfmpeg({ limits: ffmpegLimits }).path),
        ffmpegTimeoutMs: options.ffmpegTimeoutMs ?? 120_000,
        ffmpegLimits,
        render: options.render ?? true,
        queueMs: options.queueMs ?? 200,
        renderMs: options.renderMs,
        webhookRetryDelaysMs: options.webhookRetryDelaysMs ?? [250, 1000, 3000],
        signal: abort.signal,
        logger,
        onWebhook: (ok) => {
          if (ok) counters.webhooksSent++;
          else counters.webhookFailures++;
        },
      });
      // The speech worker starts on the first TTS request or sample clip, not here.
      speech = createSpeechStore();
      ctx = {
        apiKey: options.apiKey,
        maxBodyBytes: options.maxBodyBytes ?? 80 * MB,
        tasks,
        speech,
        faults: options.faults,
        counters,
        baseUrl: () => url,
        schedule,
        logger,
      };
      const srv = createServer((req, res) => {
        route(req, res).catch((err: unknown) => {
          logger.error({ err: (err as Error).message }, 'preview-avatar: handler failed');
          sendProblem(res, 500, 'Internal error.');
        });
      });
      server = srv;
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(options.port ?? 0, '127.0.0.1', () => {
          srv.off('error', reject);
          resolve();
        });
      });
      const address = srv.address() as AddressInfo;
      url = `http://127.0.0.1:${address.port}`;
      logger.info({ url }, 'preview-avatar: local preview server listening (offline preview renders)');
    },

    async close() {
      abort.abort();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const srv = server;
      server = null;
      ctx = null;
      if (srv !== null) {
        const closed = new Promise<void>((resolve) => srv.close(() => resolve()));
        srv.closeAllConnections();
        await closed;
      }
      if (tasks !== null) await tasks.close();
      tasks = null;
      if (speech !== null) await speech.close();
      speech = null;
      if (workDir !== null) await rm(workDir, { recursive: true, force: true });
      workDir = null;
    },

    stats() {
      return { ...counters, statusCallsByTask: { ...counters.statusCallsByTask } };
    },

    completeNow(taskId: string) {
      tasks?.completeNow(taskId);
    },

    tasks() {
      return tasks?.list() ?? [];
    },
  };
}

function methodNotAllowed(req: IncomingMessage, res: ServerResponse, allow: string): void {
  req.resume();
  sendProblem(res, 405, 'Method not allowed.', { headers: { Allow: allow } });
}
