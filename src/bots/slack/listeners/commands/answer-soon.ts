/**
 * A slash command's answer within Slack's 3 s acknowledgement when the work is quick, else a
 * short "working on it" in the ack and the answer through the command's response_url. Used by
 * the subcommands whose work may wait on something slow (canceling videos, the first voice list).
 */
import type { Logger } from 'pino';

/** What fits in Slack's 3 s acknowledgement, with room for the round trip. */
export const ACK_BUDGET_MS = 2000;

export interface CommandAnswer<M> {
  /** The slash command's acknowledgement (once, within 3 s). */
  ack(answer: M): Promise<void>;
  /** A later ephemeral answer (the command's response_url). */
  later(answer: M): Promise<void>;
}

/** `done` never rejects: it carries its own words for a failure. */
export async function answerSoon<M>(
  done: Promise<M>,
  waiting: M,
  answer: CommandAnswer<M>,
  logger: Logger,
  budgetMs = ACK_BUDGET_MS,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), budgetMs);
  });
  const first = await Promise.race([done, late]);
  clearTimeout(timer);
  if (first !== null) {
    await answer.ack(first);
    return;
  }
  await answer.ack(waiting);
  await answer.later(await done).catch((err: unknown) => {
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'slack: could not send a late command answer');
  });
}
