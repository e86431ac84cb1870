/**
 * How the avatar client reads an HTTP failure: a problem+json body as one line of detail, a
 * status as an error code, a network error's code, a Retry-After as milliseconds.
 */
import type { ErrorCode } from './errors.js';

/** Parses Retry-After (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  const seconds = Number(v);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Turns a problem+json (or any) error body into one line of detail. */
export function describeProblem(status: number, body: string, contentType: string): string {
  if (contentType.includes('json')) {
    try {
      const p = JSON.parse(body) as { title?: unknown; detail?: unknown; errors?: unknown };
      const parts: string[] = [];
      if (typeof p.title === 'string') parts.push(p.title);
      if (typeof p.detail === 'string') parts.push(p.detail);
      if (Array.isArray(p.errors)) {
        for (const e of p.errors.slice(0, 5)) {
          if (e !== null && typeof e === 'object') {
            const { location, message } = e as { location?: unknown; message?: unknown };
            if (typeof message === 'string') parts.push(typeof location === 'string' ? `${location}: ${message}` : message);
          }
        }
      }
      if (parts.length > 0) return `${status} ${parts.join(': ')}`;
    } catch {
      // Not JSON after all: fall through to the raw text.
    }
  }
  const text = body.replace(/\s+/g, ' ').trim().slice(0, 200);
  return text === '' ? `HTTP ${status}` : `${status} ${text}`;
}

export function codeForStatus(status: number): ErrorCode {
  if (status === 401 || status === 403) return 'API_AUTH';
  if (status === 402) return 'API_CREDITS';
  if (status === 404) return 'API_NOT_FOUND';
  if (status === 429) return 'API_RATE_LIMIT';
  if (status >= 500) return 'API_UNAVAILABLE';
  return 'API_BAD_REQUEST';
}

export function networkCode(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' ? code : '';
}
