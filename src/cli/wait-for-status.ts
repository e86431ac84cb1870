import type { AvatarApi, StatusAnswer } from '../core/ports.js';

const FINAL = new Set(['COMPLETED', 'FAILED', 'CANCELED', 'TIMED_OUT']);

/**
 * Polls one task until a final status or the deadline (the deadline also bounds each wait, so a
 * `--timeout 2` returns after about 2 s, not after the next 10 s poll). Null on timeout.
 */
export async function waitForStatus(
  api: AvatarApi,
  taskId: string,
  opts: { timeoutMs: number; delay: (pollCount: number, now: number) => number; onStatus?: (s: StatusAnswer) => void },
): Promise<StatusAnswer | null> {
  const deadline = Date.now() + opts.timeoutMs;
  for (let n = 0; ; n++) {
    const wait = Math.min(opts.delay(n, Date.now()), deadline - Date.now());
    if (wait <= 0) return null;
    await new Promise((r) => setTimeout(r, wait));
    const signal = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
    let st: StatusAnswer;
    try {
      st = await api.status(taskId, signal);
    } catch (err) {
      if (signal.aborted) return null;
      throw err;
    }
    opts.onStatus?.(st);
    if (FINAL.has(st.status)) return st;
  }
}
