/**
 * The Slack bot: one workspace (SLACK_BOT_TOKEN) or many through OAuth (SLACK_CLIENT_ID and
 * the rest); undefined (off) with neither.
 */
import { list, MB, num, optionalString, optionalUrl, type EnvOf } from './env-values.js';

export const slackEnv = {
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: optionalUrl,
  SLACK_UPLOAD_MAX_MB: num(0, 1000, 50),
  SLACK_ALLOWED_CHANNELS: list,
  SLACK_CLIENT_ID: optionalString,
  SLACK_CLIENT_SECRET: optionalString,
  SLACK_STATE_SECRET: optionalString,
  SLACK_INSTALL_KEY: optionalString.refine((v) => v === undefined || v.length >= 32, {
    message: 'must be at least 32 characters (e.g. openssl rand -base64 32)',
  }),
};

type SlackEnv = EnvOf<typeof slackEnv>;

const OAUTH_VARS = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_INSTALL_KEY', 'SLACK_SIGNING_SECRET'] as const;

export function slackProblems(e: SlackEnv): string[] {
  const problems: string[] = [];
  if (e.SLACK_BOT_TOKEN !== undefined && e.SLACK_SIGNING_SECRET === undefined && e.SLACK_APP_TOKEN === undefined) {
    problems.push('SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  if (e.SLACK_CLIENT_ID !== undefined) {
    for (const name of OAUTH_VARS) {
      if (e[name] === undefined) problems.push(`${name}: required when SLACK_CLIENT_ID is set (Slack installs through OAuth)`);
    }
    if (e.SLACK_APP_TOKEN !== undefined) {
      problems.push('SLACK_APP_TOKEN: Socket Mode cannot serve the OAuth install pages; unset it when SLACK_CLIENT_ID is set');
    }
  }
  return problems;
}

// The `?? ''` below never applies: slackProblems has refused a config where they would.
export function slackSection(e: SlackEnv) {
  return {
    slack:
      e.SLACK_BOT_TOKEN === undefined && e.SLACK_CLIENT_ID === undefined
        ? undefined
        : {
            /** One workspace: its bot token. Undefined when installs come through OAuth only. */
            botToken: e.SLACK_BOT_TOKEN,
            /** Many workspaces: Bolt's OAuth flow at /slack/install, tokens encrypted at rest with installKey. */
            oauth:
              e.SLACK_CLIENT_ID === undefined
                ? undefined
                : {
                    clientId: e.SLACK_CLIENT_ID,
                    clientSecret: e.SLACK_CLIENT_SECRET ?? '',
                    stateSecret: e.SLACK_STATE_SECRET ?? '',
                    installKey: e.SLACK_INSTALL_KEY ?? '',
                  },
            signingSecret: e.SLACK_SIGNING_SECRET ?? '',
            appToken: e.SLACK_APP_TOKEN,
            apiUrl: e.SLACK_API_URL,
            uploadMaxBytes: Math.round(e.SLACK_UPLOAD_MAX_MB * MB),
            allowedChannels: e.SLACK_ALLOWED_CHANNELS,
          },
  };
}
