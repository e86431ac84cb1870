/**
 * The bot token of a job's workspace, for the ChatReply in OAuth mode: read from the
 * installation store and kept in memory for a short while (answers to one job come in bursts of
 * progress edits). Uninstalls in this process forget at once; elsewhere the entry expires.
 */
import { installationKey, type InstallationRef, type SlackInstallationStore } from './installation-store.js';
import type { SlackReplyTo } from './reply-to.js';

export interface WorkspaceTokens {
  /** The bot token for the reply address, or null when that workspace has no installation. */
  botToken(to: SlackReplyTo): Promise<string | null>;
  /** Drops a cached token (uninstall, or Slack said the token is no longer valid). */
  forget(to: SlackReplyTo | InstallationRef): void;
}

export interface WorkspaceTokensOptions {
  /** How long a token is reused without reading the store again (default 60 s). */
  ttlMs?: number;
  now?: () => number;
}

/** Where a job's answer goes, as an installation lookup: the org for org-wide installs, else the team. */
function refForReply(to: SlackReplyTo): InstallationRef {
  return to.enterprise !== undefined
    ? { enterpriseId: to.enterprise, isEnterpriseInstall: true, teamId: to.team === '' ? undefined : to.team }
    : { teamId: to.team, isEnterpriseInstall: false };
}

function isReplyTo(v: SlackReplyTo | InstallationRef): v is SlackReplyTo {
  return 'channel' in v;
}

export function createWorkspaceTokens(store: SlackInstallationStore, opts: WorkspaceTokensOptions = {}): WorkspaceTokens {
  const ttlMs = opts.ttlMs ?? 60_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { token: string; until: number }>();

  function keyOf(ref: InstallationRef): string | null {
    try {
      return installationKey(ref);
    } catch {
      return null;
    }
  }

  return {
    async botToken(to) {
      const ref = refForReply(to);
      const key = keyOf(ref);
      if (key === null) return null;
      const hit = cache.get(key);
      if (hit !== undefined && hit.until > now()) return hit.token;
      cache.delete(key);
      const installation = await store.find(ref);
      const token = installation?.bot?.token;
      if (token === undefined || token === '') return null;
      cache.set(key, { token, until: now() + ttlMs });
      // Bounded memory: one entry per workspace answered within the TTL, oldest out first.
      if (cache.size > 5_000) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return token;
    },
    forget(to) {
      const key = keyOf(isReplyTo(to) ? refForReply(to) : to);
      if (key !== null) cache.delete(key);
    },
  };
}
