import type { FastifyReply } from 'fastify';

/** The JSON error body every playground endpoint uses. */
interface ErrorBody {
  error: { code: string; message: string };
}

/** Sends a JSON body with a status code. */
export function sendJson(reply: FastifyReply, status: number, body: unknown, extraHeaders: Record<string, string> = {}): FastifyReply {
  if (reply.sent) return reply;
  return reply.code(status).headers(extraHeaders).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

/** Sends `{error: {code, message}}`. */
export function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  extraHeaders: Record<string, string> = {},
): FastifyReply {
  const body: ErrorBody = { error: { code, message } };
  return sendJson(reply, status, body, extraHeaders);
}
