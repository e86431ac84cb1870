/**
 * Discord's rules for where a command can be used (`integration_types`: 0 server install,
 * 1 user install; `contexts`: 0 server, 1 the bot's DM, 2 other DMs and group DMs). A server's
 * own commands take neither (they exist in that server only): discord-api-types leaves them out
 * of guild command bodies, and the fake refuses them there, so the bot never relies on Discord
 * ignoring them.
 */
import type { Json } from './payloads.js';

function checkList(at: string, key: string, value: unknown, allowed: number[], problems: string[]): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(`${at}.${key} must be a non-empty list`);
    return;
  }
  if (new Set(value).size !== value.length) problems.push(`${at}.${key} has duplicates`);
  for (const v of value)
    if (!allowed.includes(v as number)) problems.push(`${at}.${key}: ${String(v)} is not one of ${allowed.join(', ')}`);
}

/**
 * Problems with one command's install kinds and contexts, for a global or a server's list;
 * `enabled`: the install kinds the application has turned on (Developer Portal > Installation).
 */
export function installProblems(at: string, command: Json, scope: 'global' | 'guild', enabled: readonly number[] = [0, 1]): string[] {
  const problems: string[] = [];
  if (scope === 'guild') {
    for (const key of ['integration_types', 'contexts', 'dm_permission']) {
      if (command[key] !== undefined) problems.push(`${at}.${key} is only for global commands`);
    }
    return problems;
  }
  checkList(at, 'integration_types', command.integration_types, [...enabled], problems);
  checkList(at, 'contexts', command.contexts, [0, 1, 2], problems);
  if (command.dm_permission !== undefined && command.contexts !== undefined) {
    problems.push(`${at}: dm_permission is deprecated and cannot go with contexts`);
  }
  return problems;
}
