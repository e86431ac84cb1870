import type { ServerResponse } from 'node:http';

/** The JSON error body every playground endpoint uses. */
interface ErrorBody {
  error: { code: string; message: string };
}

/** Headers on every playground response: no sniffing, no framing, no referrer (a token may be in the URL). */
export function setCommonHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
}

/** Sends a JSON body with a status code (ends the response). */
export function sendJson(res: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  setCommonHeaders(res);
  for (const [k, v] of Object.entries(extraHeaders)) res.setHeader(k, v);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Sends `{error: {code, message}}`. */
export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extraHeaders: Record<string, string> = {},
): void {
  const body: ErrorBody = { error: { code, message } };
  sendJson(res, status, body, extraHeaders);
}
