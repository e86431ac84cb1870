/**
 * The render child process: requests in (IPC messages, one at a time), results out. A process,
 * not a worker thread: TensorFlow.js and the frames stay out of the bot's heap, the parent can
 * kill it outright on shutdown, and its peak RSS is its own to measure. It stays up between
 * renders (loading the model costs seconds) until the parent lets it go.
 */
import { type FindFace, loadFaceFinder } from './face-landmarks.js';
import { renderTalking, type TalkingRequest, type TalkingResult } from './talking-render.js';

export type ChildAnswer = TalkingResult & { maxRssBytes: number };
export interface ChildRequest {
  id: number;
  request: TalkingRequest;
}

let finder: Promise<FindFace> | null = null;
/** Loaded once; a failed load is retried on the next request. */
function findFace(): Promise<FindFace> {
  finder ??= loadFaceFinder().catch((err: unknown) => {
    finder = null;
    throw err;
  });
  return finder;
}

function answer(id: number, result: TalkingResult): void {
  process.send?.({ id, answer: { ...result, maxRssBytes: process.resourceUsage().maxRSS * 1024 } satisfies ChildAnswer });
}

process.on('message', (message: ChildRequest) => {
  renderTalking(message.request, findFace).then(
    (result) => answer(message.id, result),
    (err: unknown) => answer(message.id, { kind: 'failed', reason: 'encode', detail: String((err as Error).message ?? err) }),
  );
});
// The parent went away or let go: nothing more will come.
process.on('disconnect', () => process.exit(0));
