/**
 * OAuth mode only: `app_uninstalled`, and `tokens_revoked` naming bot tokens, delete the
 * workspace's installation (Bolt delivers both without authorizing, since the token is gone).
 * Deleting twice is harmless (Slack sends both events, in either order).
 */
import { field } from '../../../shared/json.js';
import type { OAuthParts, SlackContext } from '../../context.js';
import { describeRef, type InstallationRef } from '../../installation-store.js';

interface UninstallContext {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}

/** Deletes the installation the event is about; never throws. */
export async function forgetInstallation(ctx: SlackContext, deps: OAuthParts, context: UninstallContext, why: string): Promise<void> {
  const ref: InstallationRef = {
    teamId: context.teamId,
    enterpriseId: context.enterpriseId,
    isEnterpriseInstall: context.isEnterpriseInstall === true,
  };
  try {
    deps.tokens.forget(ref);
    const removed = await deps.installations.remove(ref);
    ctx.logger.info({ installation: describeRef(ref), removed, why }, 'slack installation deleted');
  } catch (err) {
    ctx.logger.error(
      { installation: describeRef(ref), why, err: err instanceof Error ? err.message : String(err) },
      'slack installation delete failed',
    );
  }
}

/** True when a `tokens_revoked` event names bot tokens (user tokens alone leave the bot working). */
export function revokesBotTokens(event: unknown): boolean {
  const bot = field(field(event, 'tokens'), 'bot');
  return Array.isArray(bot) && bot.length > 0;
}
