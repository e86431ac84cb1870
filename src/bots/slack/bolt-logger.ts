/**
 * Bolt and the WebClient log through this adapter into pino. Their messages are flattened to
 * one string with anything shaped like a Slack token (xoxb-, xapp-, ...) masked, because
 * library debug output is not ours to audit.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';

const TOKEN = /\b(xox[abposr]|xapp)-[A-Za-z0-9-]+/g;

function flatten(parts: unknown[]): string {
  return parts
    .map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : safeJson(p)))
    .join(' ')
    .replace(TOKEN, '$1-***');
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** A Bolt Logger writing to a pino child logger (`component: 'bolt'`). */
export function createBoltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ component: 'bolt' });
  let level: LogLevel = LogLevel.INFO;
  return {
    // Bolt's debug output is very chatty: it goes to pino's trace.
    debug: (...msg: unknown[]) => log.trace(flatten(msg)),
    info: (...msg: unknown[]) => log.debug(flatten(msg)),
    warn: (...msg: unknown[]) => log.warn(flatten(msg)),
    error: (...msg: unknown[]) => log.error(flatten(msg)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
