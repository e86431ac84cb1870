import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkBearer } from './auth.js';
import type { PreviewContext } from './context.js';
import { sendJson, sendProblem } from './problem.js';
import { TASK_ID_PATTERN } from './task-id.js';

/** GET /v1/video/async_generate_talking_avatar/{task_id}/status */
export function handleStatus(ctx: PreviewContext, req: IncomingMessage, res: ServerResponse, rawId: string): void {
  ctx.counters.statusCalls++;
  let taskId = rawId;
  try {
    taskId = decodeURIComponent(rawId);
  } catch {
    // keep the raw text: it will be a 404 anyway
  }
  ctx.counters.statusCallsByTask[taskId] = (ctx.counters.statusCallsByTask[taskId] ?? 0) + 1;

  if (ctx.faults?.intercept('status', req, res, ctx.schedule) === true) return;
  if (!checkBearer(req, res, ctx.apiKey)) return;
  const task = TASK_ID_PATTERN.test(taskId) ? ctx.tasks.get(taskId) : undefined;
  if (task === undefined) {
    sendProblem(res, 404, 'Task not found.');
    return;
  }
  const status = ctx.tasks.statusOf(task);
  const data: Record<string, unknown> = { task_id: task.id, status };
  if (status === 'COMPLETED') {
    data['file_url'] = `${ctx.baseUrl()}/files/preview-${task.id}.mp4`;
    if (task.outputDuration !== null) data['output_duration'] = task.outputDuration;
    // Not in the service's API (clients ignore it): says why this preview does not talk.
    if (task.previewNote !== null) data['preview_note'] = task.previewNote;
  }
  if (task.error !== null) data['error'] = task.error;
  sendJson(res, 200, { data });
}
