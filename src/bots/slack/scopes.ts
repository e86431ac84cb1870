/**
 * The bot scopes the OAuth install asks for: exactly `oauth_config.scopes.bot` of
 * `slack/manifest.yml` (a test keeps the two equal). Each is used by the adapter today:
 * mentions, answers, file downloads and the MP4 upload, reading a thread's earlier clip, /avatar.
 */
export const SLACK_BOT_SCOPES: readonly string[] = [
  'app_mentions:read',
  'chat:write',
  'files:read',
  'files:write',
  'channels:history',
  'groups:history',
  'im:history',
  'mpim:history',
  'commands',
];
