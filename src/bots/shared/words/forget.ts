import type { Forgotten } from '../../../core/ports.js';
import type { WordStyle } from './style.js';

function videos(n: number): string {
  return `${n} video${n === 1 ? '' : 's'}`;
}

/**
 * The answer to "forget me", from what was done: "Canceled 1 video still being made. Deleted
 * your saved face, 12 videos and their files. Nothing else of yours is kept; messages already
 * posted in Discord stay until you delete them." Shared by every adapter, in its markup.
 */
export function forgetSentence(f: Forgotten, style: Pick<WordStyle, 'bold' | 'platform'>): string {
  const deleted: string[] = [];
  if (f.face) deleted.push('your saved face');
  if (f.voice) deleted.push('your chosen voice');
  if (f.consent) deleted.push('your permission to use a face');
  if (f.jobs > 0) deleted.push(f.media > 0 ? `${videos(f.jobs)} and ${f.jobs === 1 ? 'its' : 'their'} files` : videos(f.jobs));
  const where = style.platform === null ? '' : `; messages already posted in ${style.platform} stay until you delete them`;
  if (deleted.length === 0) return `There was nothing of yours to delete: no saved face, no videos${where}.`;
  const canceled = f.canceled > 0 ? `Canceled ${videos(f.canceled)} still being made. ` : '';
  return `${canceled}${style.bold('Deleted')} ${deleted.join(', ')}. Nothing else of yours is kept${where}.`;
}
