/**
 * The refusals checked when a job is inserted: the daily quotas and the queue length. One rule,
 * decided here; every place that applies it counts, then asks `decideInsert`:
 * - the SQLite store, inside the insert transaction (`sqlite/store.ts`);
 * - the Redis store's INSERT_JOB script (`redis/lua.ts`), which mirrors this function line for
 *   line because the counts must be read and the job written in one atomic script;
 * - the engine's early check before any download (counts read outside any transaction: it can
 *   only refuse early, the insert decides).
 */

/** Checked atomically with the insert: refusals that must hold across replicas. */
export interface InsertRules {
  /** Start of the current UTC day (ms epoch): quotas count jobs created since. */
  dayStart: number;
  /** 0: off. */
  quotaPerPerson: number;
  /** 0: off; never applies to jobs without a group. */
  quotaPerGroup: number;
  /** Refuse when this many jobs already wait (queued, no slot claimed). */
  queueMax: number;
}

export type InsertOutcome = 'ok' | 'PERSON_QUOTA' | 'GROUP_QUOTA' | 'QUEUE_FULL';

/** What the rules are checked against, counted just before the decision. */
export interface InsertCounts {
  /** Jobs the person created on this platform since `dayStart`, whatever their state. */
  person: number;
  /** Jobs created in the person's group on this platform since `dayStart` (0 without a group). */
  group: number;
  /** Jobs waiting: queued with no submit slot claimed (one being sent is no longer in line). */
  waiting: number;
}

/** The first rule the new job would break, in this order (person, group, queue), or 'ok'. */
export function decideInsert(rules: InsertRules, counts: InsertCounts, groupId: string): InsertOutcome {
  if (rules.quotaPerPerson > 0 && counts.person >= rules.quotaPerPerson) return 'PERSON_QUOTA';
  if (rules.quotaPerGroup > 0 && groupId !== '' && counts.group >= rules.quotaPerGroup) return 'GROUP_QUOTA';
  if (counts.waiting >= rules.queueMax) return 'QUEUE_FULL';
  return 'ok';
}
