/**
 * `/avatar forget`: deletes everything the bot keeps of the person, answered ephemerally. The
 * answer goes in the ack when the forgetting is done within Slack's 3 s; canceling videos still
 * being made can take longer (their answers are sent first), and then the ack says so and the
 * counts follow through the command's response_url.
 */
import { PLATFORM, type SlackContext } from '../../context.js';
import { errorWords, FORGETTING_TEXT, forgetText } from '../../messages.js';

/** What fits in Slack's 3 s acknowledgement, with room for the round trip. */
const ACK_BUDGET_MS = 2000;

export interface ForgetAnswer {
  /** The slash command's acknowledgement (once, within 3 s). */
  ack(text: string): Promise<void>;
  /** A later ephemeral answer (the command's response_url). */
  later(text: string): Promise<void>;
}

export function isForget(text: string | undefined): boolean {
  return (text ?? '').trim().toLowerCase() === 'forget';
}

export async function answerForget(ctx: SlackContext, user: string, answer: ForgetAnswer, budgetMs = ACK_BUDGET_MS): Promise<void> {
  const done = ctx.core.jobs.forgetPerson(PLATFORM, user).then(
    (f) => forgetText(f),
    (err: unknown) => {
      ctx.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'slack /avatar forget failed');
      return `:warning: ${errorWords({ code: 'INTERNAL' })}`;
    },
  );
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
  await answer.ack(FORGETTING_TEXT);
  await answer.later(await done).catch((err: unknown) => {
    ctx.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not send the /avatar forget confirmation');
  });
}
