/**
 * The progress line of a job, for every adapter (each adds its own emoji): where the job is
 * (the bot's line, the avatar service's queue, rendering) and, only once rendering has started,
 * how long it has rendered and about how long is left.
 */
import type { ProgressUpdate } from '../../../core/ports.js';

/** `m:ss` for a duration in ms. */
function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function progressSentence(update: ProgressUpdate): string {
  if (update.state === 'queued') {
    return update.queuePosition !== undefined ? `Queued: you are number ${update.queuePosition} in line.` : 'Queued: starting soon.';
  }
  if (update.state === 'waiting') {
    return `Sent. Waiting at the avatar service for rendering to start… ${clock(update.elapsedMs)} so far.`;
  }
  const rendering = `Rendering your talking avatar… ${clock(update.renderingMs ?? update.elapsedMs)}`;
  if (update.etaMs === undefined) return `${rendering} so far.`;
  if (update.etaMs <= 0) return `${rendering} so far, taking a little longer than expected.`;
  return `${rendering} so far, about ${clock(update.etaMs)} left.`;
}
