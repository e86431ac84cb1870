/**
 * Where the Slack bot token may go: only to Slack's own https hosts (and to the host of an
 * overridden SLACK_API_URL, for self-hosted gateways and tests). Sending it anywhere else leaks
 * it (external files point elsewhere: slack-go's advisory GHSA-3q3v-34v2-g88f).
 */
import type { DownloadPolicy } from '../../shared/download.js';

/** Decides whether a URL may receive the bot token. */
export type TokenHostCheck = (url: URL) => boolean;

/**
 * Slack's own file and API hosts over https, plus `apiUrl`'s exact origin (host and port:
 * another server on the same machine is a different party).
 */
export function createTokenHostCheck(apiUrl: string | undefined): TokenHostCheck {
  const override = apiUrl === undefined ? undefined : new URL(apiUrl);
  return (url) => {
    if (override !== undefined && url.protocol === override.protocol && url.host === override.host) return true;
    if (url.protocol !== 'https:' || url.port !== '') return false;
    const host = url.hostname.toLowerCase();
    return host === 'slack.com' || host.endsWith('.slack.com') || host.endsWith('.slack-edge.com');
  };
}

/**
 * The download policy for a Slack file. The first URL is checked against the token hosts
 * before any download (a file off Slack is refused outright); a redirect may lead elsewhere
 * (http or https), and then that hop goes without the token: it is asked afresh for each hop.
 */
export function slackFilePolicy(token: string, mayReceiveToken: TokenHostCheck): DownloadPolicy {
  return {
    allows: (url) => url.protocol === 'https:' || url.protocol === 'http:',
    authorization: (url) => (token !== '' && mayReceiveToken(url) ? `Bearer ${token}` : undefined),
  };
}
