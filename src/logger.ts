/**
 * pino with secret redaction as a second line of defence: the code never logs tokens, but a
 * library error can carry request headers. Known secret values are also scrubbed from any
 * string that reaches the log.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { AppConfig } from './config/index.js';

const REDACT_PATHS = [
  'authorization',
  '*.authorization',
  '*.*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'token',
  '*.token',
  'auth_token',
  '*.auth_token',
  'apiKey',
  '*.apiKey',
];

/** The password in a redis:// URL, if any (a library error may print the URL). */
function redisPassword(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const p = decodeURIComponent(new URL(url).password);
    return p === '' ? undefined : p;
  } catch {
    return undefined;
  }
}

/** The secret values in a config, to scrub from log lines. */
function secretsOf(config: AppConfig): string[] {
  return [
    config.avatar.apiKey,
    config.discord?.token,
    config.slack?.botToken,
    config.slack?.signingSecret,
    config.slack?.appToken,
    config.playground.token,
    config.slack?.oauth?.clientSecret,
    config.slack?.oauth?.stateSecret,
    config.slack?.oauth?.installKey,
    redisPassword(config.redis?.url),
  ].filter((s): s is string => typeof s === 'string' && s.length >= 6);
}

/** Wraps a destination so any known secret value is replaced before the line is written. */
function scrubbing(secrets: string[], dest: DestinationStream): DestinationStream {
  if (secrets.length === 0) return dest;
  return {
    write(line: string) {
      let out = line;
      for (const s of secrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
      dest.write(out);
    },
  };
}

/**
 * Readable lines for a person at a terminal: the time, the level, the message, then the few
 * fields that say which job and what happened (pid, host and app name are noise there). Secrets
 * are scrubbed before formatting, as for JSON.
 */
export function prettyStream(out: NodeJS.WritableStream, colorize: boolean): DestinationStream {
  return pretty({
    destination: out,
    colorize,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,app',
    singleLine: true,
    sync: true,
  });
}

/** Pretty on a terminal (or LOG_FORMAT=pretty), JSON otherwise (or LOG_FORMAT=json). */
function wantsPretty(format: AppConfig['logFormat'], isTty: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && isTty);
}

export function createLogger(config: AppConfig, dest?: DestinationStream): Logger {
  const out =
    dest ?? (wantsPretty(config.logFormat, process.stdout.isTTY === true) ? prettyStream(process.stdout, true) : pino.destination(1));
  return pino(
    { level: config.logLevel, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'talking-avatar-bot' } },
    scrubbing(secretsOf(config), out),
  );
}
