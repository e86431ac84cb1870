/**
 * The render child process: one request in (an IPC message), one result out, then it exits.
 * A process, not a worker thread: TensorFlow.js and the frames stay out of the bot's heap, the
 * parent can kill it outright on shutdown, and its peak RSS is its own to measure.
 */
import { loadFaceFinder } from './face-landmarks.js';
import { renderTalking, type TalkingRequest, type TalkingResult } from './talking-render.js';

export type ChildAnswer = TalkingResult & { maxRssBytes: number };

function answer(result: TalkingResult): void {
  const message: ChildAnswer = { ...result, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
  process.send?.(message, () => process.exit(0));
}

process.once('message', (req: TalkingRequest) => {
  renderTalking(req, loadFaceFinder).then(answer, (err: unknown) =>
    answer({ kind: 'failed', reason: 'encode', detail: String((err as Error).message ?? err) }),
  );
});
