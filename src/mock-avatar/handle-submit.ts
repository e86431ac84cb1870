import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkBearer } from './auth.js';
import type { MockContext } from './context.js';
import { applyFault } from './faults.js';
import { sendJson, sendProblem } from './problem.js';
import { readBody } from './read-body.js';
import { validateSubmit } from './validate-submit.js';

/** POST /v1/video/async_generate_talking_avatar */
export async function handleSubmit(ctx: MockContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  ctx.counters.submits++;
  // Read first: answering before the upload ends would show the client a broken pipe.
  const read = await readBody(req, ctx.maxBodyBytes);
  if (!read.ok && read.reason === 'aborted') return;

  const fault = ctx.faults.next('submit');
  if (fault !== null) {
    applyFault(fault, req, res, ctx.schedule);
    return;
  }
  if (!checkBearer(req, res, ctx.apiKey)) return;
  if (!read.ok) {
    sendProblem(res, 413, `The request body is larger than ${ctx.maxBodyBytes} bytes.`, {
      headers: { Connection: 'close' },
    });
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.body.toString('utf8'));
  } catch {
    sendProblem(res, 400, 'The request body is not valid JSON.', {
      errors: [{ location: 'body', message: 'invalid JSON' }],
    });
    return;
  }
  const valid = validateSubmit(parsed);
  if (!valid.ok) {
    sendProblem(res, 400, valid.detail, { errors: valid.errors });
    return;
  }
  if (ctx.credits.remaining !== null && ctx.credits.remaining <= 0) {
    sendProblem(res, 402, 'Insufficient credits.');
    return;
  }
  if (ctx.credits.remaining !== null) ctx.credits.remaining--;
  const task = ctx.tasks.create({
    image: valid.value.image,
    audio: valid.value.audio,
    webhook: valid.value.webhook,
    outcome: ctx.outcomes.shift() ?? null,
    stuck: ctx.faults.stuck(),
  });
  ctx.counters.accepted++;
  ctx.logger.info({ taskId: task.id, webhook: task.webhook !== null }, 'mock-avatar: task accepted');
  sendJson(res, 200, { data: { task_id: task.id, status: ctx.tasks.statusOf(task) } });
}
