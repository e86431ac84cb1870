/**
 * `/avatar forget`: deletes everything the bot keeps of the person, answered ephemerally. The
 * answer goes in the ack when the forgetting is done within Slack's 3 s; canceling videos still
 * being made can take longer (their answers are sent first), and then the ack says so and the
 * counts follow through the command's response_url.
 */
import { PLATFORM, type SlackContext } from '../../context.js';
import { errorWords, FORGETTING_TEXT, forgetText } from '../../messages.js';
import { ACK_BUDGET_MS, answerSoon, type CommandAnswer } from './answer-soon.js';

export function isForget(text: string | undefined): boolean {
  return (text ?? '').trim().toLowerCase() === 'forget';
}

export async function answerForget(
  ctx: SlackContext,
  user: string,
  answer: CommandAnswer<string>,
  budgetMs = ACK_BUDGET_MS,
): Promise<void> {
  const done = ctx.core.jobs.forgetPerson(PLATFORM, user).then(
    (f) => forgetText(f),
    (err: unknown) => {
      ctx.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'slack /avatar forget failed');
      return `:warning: ${errorWords({ code: 'INTERNAL' })}`;
    },
  );
  await answerSoon(done, FORGETTING_TEXT, answer, ctx.logger, budgetMs);
}
