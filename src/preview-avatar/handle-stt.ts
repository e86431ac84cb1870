import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkBearer } from './auth.js';
import type { PreviewContext } from './context.js';
import { sendJson, sendProblem } from './problem.js';
import { readBody } from './read-body.js';

/**
 * POST /v1/speech/stt. The preview has no speech-to-text (it would need a recogniser model it
 * does not ship), and says so as the service would about a path it lacks: a problem+json 404.
 * The bot reads that as "this service has none" (typed text still gets captions from its own
 * words; a voice note gets a plain line saying why there are none). A test plug-in may answer
 * instead (the fake service's speech-to-text).
 */
export async function handleStt(ctx: PreviewContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const read = await readBody(req, ctx.maxBodyBytes);
  if (!read.ok && read.reason === 'aborted') return;
  let body: unknown = null;
  try {
    if (read.ok) body = JSON.parse(read.body.toString('utf8')) as unknown;
  } catch {
    // Left null: a plug-in sees that the body was not JSON; the preview answers 404 either way.
  }
  // Recorded before faults and auth: tests assert what the client sent, whatever it was answered.
  ctx.faults?.sttRequested?.(body);
  if (ctx.faults?.intercept('stt', req, res, ctx.schedule) === true) return;
  if (!checkBearer(req, res, ctx.apiKey)) return;
  if (!read.ok) {
    sendProblem(res, 413, `The request body is larger than ${ctx.maxBodyBytes} bytes.`, { headers: { Connection: 'close' } });
    return;
  }
  const answer = ctx.faults?.transcribe?.(body);
  if (answer !== undefined && answer !== null) {
    sendJson(res, 200, answer);
    return;
  }
  sendProblem(res, 404, 'This service has no speech-to-text.');
}
