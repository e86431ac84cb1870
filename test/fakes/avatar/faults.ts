/**
 * The fault scenarios of the fake avatar service: random faults by rate (reproducible with a
 * seed) and one-shot scripted ones, played out on the preview server's requests.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { sendBody, sendProblem } from '../../../src/preview-avatar/problem.js';
import type { Later, PreviewEndpoint } from '../../../src/preview-avatar/index.js';
import { STATUS_PATH_PATTERN } from '../../../src/core/api-paths.js';
import type { Rng } from './random.js';

/** Probabilities (0..1) of random faults. `stuck` is per task; the others per request. */
export interface FaultRates {
  /** A 500/502/503 problem+json answer. */
  error5xx: number;
  /** A 429 with a Retry-After header. */
  rateLimit: number;
  /** Seconds in the Retry-After header of random 429s (default 1). */
  retryAfterSeconds: number;
  /** The socket is destroyed without an answer. */
  reset: number;
  /** Nothing is answered for `stallMs`, then the socket is destroyed. */
  stall: number;
  /** Milliseconds a random stall lasts (default 5000). */
  stallMs: number;
  /** A 200 whose body is not JSON. */
  malformed: number;
  /** Per task: it stays IN_PROGRESS forever (until `completeNow`). */
  stuck: number;
}

/** A one-shot fault for the next request to an endpoint. */
export type ScriptedFault =
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string>; contentType?: string }
  | { kind: 'malformed' }
  /** A 200 JSON answer built from the task id the request asked about (status requests); a string is sent as it is. */
  | { kind: 'answer'; body: (taskId: string) => unknown }
  | { kind: 'reset' }
  | { kind: 'stall'; ms: number };

const NO_FAULTS: FaultRates = {
  error5xx: 0,
  rateLimit: 0,
  retryAfterSeconds: 1,
  reset: 0,
  stall: 0,
  stallMs: 5000,
  malformed: 0,
  stuck: 0,
};

/** Scripted one-shot faults (FIFO per endpoint) first, then random ones by their rates. */
export class FaultPlan {
  readonly rates: FaultRates;
  private readonly scripted: Record<PreviewEndpoint, ScriptedFault[]> = {
    submit: [],
    status: [],
    tts: [],
    voices: [],
    'own-voices': [],
    stt: [],
  };

  constructor(
    rates: Partial<FaultRates> | undefined,
    private readonly rng: Rng,
  ) {
    this.rates = { ...NO_FAULTS, ...rates };
  }

  queue(endpoint: PreviewEndpoint, faults: ScriptedFault[]): void {
    this.scripted[endpoint].push(...faults);
  }

  /** The fault for this request, if any. Each random kind draws once, in a fixed order (reproducible with a seed). */
  next(endpoint: PreviewEndpoint): ScriptedFault | null {
    const scripted = this.scripted[endpoint].shift();
    if (scripted !== undefined) return scripted;
    // Speech-to-text takes scripted faults only: drawing for it too would shift every seeded
    // run's sequence on the endpoints whose random faults the tests were written against.
    if (endpoint === 'stt') return null;
    const r = this.rates;
    if (r.reset > 0 && this.rng() < r.reset) return { kind: 'reset' };
    if (r.stall > 0 && this.rng() < r.stall) return { kind: 'stall', ms: r.stallMs };
    if (r.rateLimit > 0 && this.rng() < r.rateLimit) {
      return { kind: 'status', status: 429, headers: { 'Retry-After': String(r.retryAfterSeconds) } };
    }
    if (r.error5xx > 0 && this.rng() < r.error5xx) {
      const status = [500, 502, 503][Math.floor(this.rng() * 3)] ?? 500;
      return { kind: 'status', status };
    }
    if (r.malformed > 0 && this.rng() < r.malformed) return { kind: 'malformed' };
    return null;
  }

  /** Per task: does this one hang forever? */
  stuck(): boolean {
    return this.rates.stuck > 0 && this.rng() < this.rates.stuck;
  }
}

/** Plays a fault out on a request. `later` is the server's timer (so close() cancels stalls). */
export function applyFault(fault: ScriptedFault, req: IncomingMessage, res: ServerResponse, later: Later): void {
  switch (fault.kind) {
    case 'reset':
      req.socket.destroy();
      return;
    case 'stall':
      later(fault.ms, () => req.socket.destroy());
      return;
    case 'answer': {
      const raw = STATUS_PATH_PATTERN.exec(new URL(req.url ?? '/', 'http://x').pathname)?.[1] ?? '';
      const body = fault.body(decodeURIComponent(raw));
      sendBody(res, 200, 'application/json', typeof body === 'string' ? body : JSON.stringify(body));
      return;
    }
    case 'malformed':
      // Looks like the start of a real answer, cut short: not parseable JSON.
      sendBody(res, 200, 'application/json', '{"data": {"task_id": "x');
      return;
    case 'status': {
      const headers = fault.headers ?? {};
      if (fault.body === undefined) {
        const detail = fault.status === 429 ? 'Too many requests, slow down.' : (STATUS_CODES[fault.status] ?? 'Error');
        sendProblem(res, fault.status, detail, { headers });
        return;
      }
      const contentType = fault.contentType ?? (fault.status >= 400 ? 'application/problem+json' : 'application/json');
      const text = typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body);
      sendBody(res, fault.status, contentType, text, headers);
      return;
    }
  }
}
