import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendProblem } from './problem.js';

/**
 * Checks `Authorization: Bearer <key>` when a key is configured; answers 401 problem+json and
 * returns false otherwise. The compare is constant-time; the key never appears in an answer.
 */
export function checkBearer(req: IncomingMessage, res: ServerResponse, apiKey: string | undefined): boolean {
  if (apiKey === undefined) return true;
  const header = req.headers['authorization'] ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(header);
  const given = Buffer.from(m?.[1]?.trim() ?? '', 'utf8');
  const want = Buffer.from(apiKey, 'utf8');
  if (given.length === want.length && timingSafeEqual(given, want)) return true;
  sendProblem(res, 401, m === null ? 'Missing bearer token.' : 'Invalid API key.', {
    headers: { 'WWW-Authenticate': 'Bearer' },
  });
  return false;
}
