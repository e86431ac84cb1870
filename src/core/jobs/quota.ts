/**
 * The daily quotas and the queue length, as the engine applies them: refused early (before any
 * download) from counts, and again atomically by the store's insert. Refusals carry the facts
 * a sentence for people needs; the words themselves are the adapters'.
 */
import type { CoreConfig } from '../config.js';
import { AvatarError } from '../errors.js';
import { decideInsert } from '../store/insert-rules.js';
import type { InsertOutcome, InsertRules, JobRecords } from '../store/port.js';
import type { QuotaView } from '../ports.js';

type Limits = CoreConfig['limits'];

const DAY_MS = 86_400_000;
const RESETS = 'The quota resets at midnight UTC.';

/** Who a quota counts: a person, in a group ('' for none), on a platform. */
type Who = { platform: string; requesterId: string; groupId: string };

export function startOfUtcDay(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

export function insertRules(limits: Limits, t: number): InsertRules {
  const { quotaPerPersonDaily, quotaPerGroupDaily, queueMax } = limits;
  return { dayStart: startOfUtcDay(t), quotaPerPerson: quotaPerPersonDaily, quotaPerGroup: quotaPerGroupDaily, queueMax };
}

/**
 * Facts: QUOTA_EXCEEDED (reason PERSON or GROUP) has `limit` (videos a day) and `resetsAt`
 * (ms epoch, next midnight UTC); QUEUE_FULL has `queueMax`.
 */
export function refusal(outcome: Exclude<InsertOutcome, 'ok'>, limits: Limits, t: number): AvatarError {
  const { quotaPerPersonDaily, quotaPerGroupDaily, queueMax } = limits;
  const resetsAt = startOfUtcDay(t) + DAY_MS;
  switch (outcome) {
    case 'PERSON_QUOTA':
      return new AvatarError('QUOTA_EXCEEDED', `You have used your ${quotaPerPersonDaily} videos for today. ${RESETS}`, {
        reason: 'PERSON',
        facts: { limit: quotaPerPersonDaily, resetsAt },
      });
    case 'GROUP_QUOTA':
      return new AvatarError('QUOTA_EXCEEDED', `This server has used its ${quotaPerGroupDaily} videos for today. ${RESETS}`, {
        reason: 'GROUP',
        facts: { limit: quotaPerGroupDaily, resetsAt },
      });
    case 'QUEUE_FULL':
      return new AvatarError('QUEUE_FULL', `The queue is full (${queueMax} videos waiting). Please try again in a few minutes.`, {
        facts: { queueMax },
      });
  }
}

/** Throws the refusal a request would meet at insert, judged from counts (the insert judges again, atomically). */
export async function refuseEarly(store: JobRecords, limits: Limits, who: Who, t: number): Promise<void> {
  const rules = insertRules(limits, t);
  const used = await store.countCreatedSince(rules.dayStart, who.platform, who.requesterId, who.groupId);
  // Waiting jobs only: one being sent right now is no longer in the queue.
  const outcome = decideInsert(rules, { ...used, waiting: await store.countWaiting() }, who.groupId);
  if (outcome !== 'ok') throw refusal(outcome, limits, t);
}

/** A person's standing against the daily quotas (null where a quota is off). */
export async function quotaView(store: JobRecords, limits: Limits, who: Who, t: number): Promise<QuotaView> {
  const day = startOfUtcDay(t);
  const { quotaPerPersonDaily: pl, quotaPerGroupDaily: gl } = limits;
  const used = pl > 0 || gl > 0 ? await store.countCreatedSince(day, who.platform, who.requesterId, who.groupId) : { person: 0, group: 0 };
  const group = gl > 0 && who.groupId !== '';
  return {
    personLimit: pl > 0 ? pl : null,
    personRemaining: pl > 0 ? Math.max(0, pl - used.person) : null,
    groupLimit: group ? gl : null,
    groupRemaining: group ? Math.max(0, gl - used.group) : null,
    resetsAt: day + DAY_MS,
  };
}
