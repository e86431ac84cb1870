import { STATUS_CODES, type ServerResponse } from 'node:http';

/** One entry of a problem's `errors[]` (ErrorDetail in the OpenAPI description). */
export interface ProblemDetail {
  location: string;
  message: string;
  value?: unknown;
}

/** Sends an RFC 9457 `application/problem+json` answer shaped like the service's ErrorModel. */
export function sendProblem(
  res: ServerResponse,
  status: number,
  detail: string,
  options: { errors?: ProblemDetail[]; headers?: Record<string, string> } = {},
): void {
  const body: Record<string, unknown> = { title: STATUS_CODES[status] ?? 'Error', status, detail };
  if (options.errors !== undefined) body['errors'] = options.errors;
  sendBody(res, status, 'application/problem+json', JSON.stringify(body), options.headers);
}

/** Sends a JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  sendBody(res, status, 'application/json', JSON.stringify(body), headers);
}

/** Sends a complete body with its length; a response already started is left alone. */
export function sendBody(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': String(bytes.byteLength) });
  res.end(bytes);
}
