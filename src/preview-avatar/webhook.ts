import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { request } from 'undici';

/** GenerateTalkingAvatarWebhookRequestBody: no `file_url` (only the status endpoint has it). */
export interface WebhookBody {
  id: string;
  status: string;
  delayTime: number;
  executionTime: number;
  output: {
    id: string;
    infer_time: number;
    output_duration?: number;
    s3_info?: { region: string; bucket: string; key: string };
  };
  error?: string;
}

export interface WebhookDeps {
  retryDelaysMs: number[];
  signal: AbortSignal;
  logger: Logger;
  onAttempt(ok: boolean): void;
}

/**
 * POSTs a task's final state to its webhook, retrying with the given waits on network errors
 * and non-2xx answers. Never throws: a dead webhook must not take the server down. The token
 * goes in the header only, never in a log line.
 */
export async function deliverWebhook(
  target: { url: string; authToken: string | null },
  body: WebhookBody,
  deps: WebhookDeps,
): Promise<boolean> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (target.authToken !== null) headers['authorization'] = `Bearer ${target.authToken}`;
  const payload = JSON.stringify(body);
  const attempts = deps.retryDelaysMs.length + 1;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (deps.signal.aborted) return false;
    try {
      const res = await request(target.url, {
        method: 'POST',
        headers,
        body: payload,
        signal: deps.signal,
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      });
      await res.body.dump();
      if (res.statusCode >= 200 && res.statusCode < 300) {
        deps.onAttempt(true);
        return true;
      }
      deps.onAttempt(false);
      deps.logger.warn({ taskId: body.id, status: res.statusCode, attempt }, 'preview-avatar: webhook refused');
    } catch (err) {
      if (deps.signal.aborted) return false;
      deps.onAttempt(false);
      deps.logger.warn({ taskId: body.id, err: (err as Error).message, attempt }, 'preview-avatar: webhook failed');
    }
    const wait = deps.retryDelaysMs[attempt];
    if (wait === undefined) break;
    try {
      await sleep(wait, undefined, { signal: deps.signal, ref: false });
    } catch {
      return false; // aborted by close()
    }
  }
  return false;
}
