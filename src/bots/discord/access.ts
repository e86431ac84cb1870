/** The channel and role allow-lists from config (DISCORD_ALLOWED_CHANNELS / DISCORD_ALLOWED_ROLES). */

export interface AccessRules {
  allowedChannels: string[];
  allowedRoles: string[];
}

export interface AccessSubject {
  channelId: string | null;
  /** The parent channel when the request comes from a thread. */
  parentChannelId: string | null;
  /** The member's role ids; null outside a server. */
  roleIds: string[] | null;
}

/** Returns a sentence saying why the request is refused, or null when it is allowed. */
export function checkAccess(rules: AccessRules, who: AccessSubject): string | null {
  if (rules.allowedChannels.length > 0) {
    const inList = [who.channelId, who.parentChannelId].some((c) => c !== null && rules.allowedChannels.includes(c));
    if (!inList) {
      const where = rules.allowedChannels.map((c) => `<#${c}>`).join(', ');
      return `I only make videos in ${where}. Try there.`;
    }
  }
  if (rules.allowedRoles.length > 0) {
    const roles = who.roleIds ?? [];
    if (!roles.some((r) => rules.allowedRoles.includes(r))) {
      const which = rules.allowedRoles.map((r) => `<@&${r}>`).join(', ');
      return `You need one of these roles to use me: ${which}.`;
    }
  }
  return null;
}
