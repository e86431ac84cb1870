/**
 * OAuth mode only: `app_uninstalled`, and `tokens_revoked` naming bot tokens, delete the
 * workspace's installation (Bolt delivers both without authorizing, since the token is gone).
 * Deleting twice is harmless (Slack sends both events, in either order).
 */
import type { App } from '@slack/bolt';
import type { SlackContext } from '../context.js';
import { describeRef, type InstallationRef, type SlackInstallationStore } from '../installation-store.js';
import type { WorkspaceTokens } from '../workspace-tokens.js';

export interface UninstallDeps {
  installations: SlackInstallationStore;
  tokens: WorkspaceTokens;
}

interface UninstallContext {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}

/** Deletes the installation the event is about; never throws. */
export async function forgetInstallation(ctx: SlackContext, deps: UninstallDeps, context: UninstallContext, why: string): Promise<void> {
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
    ctx.logger.error({ installation: describeRef(ref), why, err: err instanceof Error ? err.message : String(err) }, 'slack installation delete failed');
  }
}

function revokesBotTokens(event: unknown): boolean {
  const tokens = typeof event === 'object' && event !== null ? (event as Record<string, unknown>)['tokens'] : undefined;
  const bot = typeof tokens === 'object' && tokens !== null ? (tokens as Record<string, unknown>)['bot'] : undefined;
  return Array.isArray(bot) && bot.length > 0;
}

/** Registers the two listeners. */
export function registerUninstall(app: App, ctx: SlackContext, deps: UninstallDeps): void {
  app.event('app_uninstalled', async ({ context }) => {
    await forgetInstallation(ctx, deps, context, 'app_uninstalled');
  });
  app.event('tokens_revoked', async ({ event, context }) => {
    // Only user tokens revoked: the bot keeps working, nothing to delete.
    if (!revokesBotTokens(event)) return;
    await forgetInstallation(ctx, deps, context, 'tokens_revoked');
  });
}
