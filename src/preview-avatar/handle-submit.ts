import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkBearer } from './auth.js';
import type { PreviewContext } from './context.js';
import { sendJson, sendProblem } from './problem.js';
import { readBody } from './read-body.js';
import { validateSubmit } from './validate-submit.js';

/** POST /v1/video/async_generate_talking_avatar */
export async function handleSubmit(ctx: PreviewContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  ctx.counters.submits++;
  // Read first: answering before the upload ends would show the client a broken pipe.
  const read = await readBody(req, ctx.maxBodyBytes);
  if (!read.ok && read.reason === 'aborted') return;

  if (ctx.faults?.intercept('submit', req, res, ctx.schedule) === true) return;
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
  if (ctx.faults?.refuseTask(res) === true) return;
  const task = ctx.tasks.create({
    image: valid.value.image,
    audio: valid.value.audio,
    webhook: valid.value.webhook,
    outcome: ctx.faults?.outcome() ?? null,
  });
  ctx.counters.accepted++;
  ctx.logger.info({ taskId: task.id, webhook: task.webhook !== null }, 'preview-avatar: task accepted');
  sendJson(res, 200, { data: { task_id: task.id, status: ctx.tasks.statusOf(task) } });
}
