/**
 * Bolt and the WebClient log through this adapter into pino. Their messages are flattened to
 * one string with anything shaped like a Slack token (xoxb-, xapp-, ...) masked, because
 * library debug output is not ours to audit. OAuth adds more: the WebClient's debug log of the
 * code exchange carries `client_secret` and the one-time `code` (it redacts only keys named
 * like "token"), so those fields are masked too, and so is every configured secret verbatim.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';

const TOKEN = /\b(xox[abposr]|xapp)-[A-Za-z0-9-]+/g;
/** `"client_secret":"…"`, `client_secret=…` (JSON or form), likewise `code` and `refresh_token`. */
const SECRET_FIELD = /(\b(?:client_secret|code|refresh_token)\\?"?\s*[:=]\s*\\?"?)[^"\\&\s,}]+/g;

function flatten(parts: unknown[], secrets: readonly string[]): string {
  let text = parts
    .map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : safeJson(p)))
    .join(' ')
    .replace(TOKEN, '$1-***')
    .replace(SECRET_FIELD, '$1***');
  for (const secret of secrets) text = text.split(secret).join('***');
  return text;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * A Bolt Logger writing to a pino child logger (`component: 'bolt'`). `secrets` (client secret,
 * state secret, install key...) are masked wherever they appear; very short ones are ignored.
 */
export function createBoltLogger(logger: Logger, secrets: readonly (string | undefined)[] = []): BoltLogger {
  const log = logger.child({ component: 'bolt' });
  const masked = secrets.filter((x): x is string => x !== undefined && x.length >= 6);
  const flat = (msg: unknown[]): string => flatten(msg, masked);
  let level: LogLevel = LogLevel.INFO;
  return {
    // Bolt's debug output is very chatty: it goes to pino's trace. It is flattened (bodies turned
    // to JSON and masked) only when that level is on: per event, that work cost more of the main
    // thread than Bolt's own (BENCHMARKS.md, figure 1).
    debug: (...msg: unknown[]) => {
      if (log.isLevelEnabled('trace')) log.trace(flat(msg));
    },
    info: (...msg: unknown[]) => {
      if (log.isLevelEnabled('debug')) log.debug(flat(msg));
    },
    warn: (...msg: unknown[]) => log.warn(flat(msg)),
    error: (...msg: unknown[]) => log.error(flat(msg)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
