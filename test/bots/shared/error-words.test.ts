/** The one catalogue and the one set of error sentences, through each adapter's real rendering. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DISCORD_STYLE, errorAnswer } from '../../../src/bots/discord/words.js';
import { PLAYGROUND_STYLE } from '../../../src/bots/playground/error-words.js';
import { toPublicJob } from '../../../src/bots/playground/job-json.js';
import { errorSentence, offersRetry } from '../../../src/bots/shared/words/errors.js';
import { PLAIN_STYLE } from '../../../src/bots/shared/words/style.js';
import { errorMessage, RETRY_ACTION, SLACK_STYLE } from '../../../src/bots/slack/messages.js';
import { ERROR_CATALOGUE, isErrorCode, traitsOf } from '../../../src/core/error-catalogue.js';
import { AvatarError, type ErrorCode } from '../../../src/core/errors.js';
import { failedJob } from './job-view.js';

const CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];
const STYLES = { discord: DISCORD_STYLE, slack: SLACK_STYLE, playground: PLAYGROUND_STYLE, plain: PLAIN_STYLE };

describe('the catalogue', () => {
  it('has an entry for every code the core can raise', () => {
    // ErrorCode is a type only; the codes the core names in errors.ts are the ground truth.
    const declared = [...readDeclaredCodes()];
    expect(declared.length).toBeGreaterThan(15);
    expect([...CODES].sort()).toEqual([...declared].sort());
    for (const code of CODES) {
      const t = ERROR_CATALOGUE[code];
      expect(t.httpStatus, code).toBeGreaterThanOrEqual(400);
      expect(t.httpStatus, code).toBeLessThan(600);
      expect(['info', 'warn', 'error']).toContain(t.severity);
    }
  });

  it('offers Retry only where sending the same request again can help', () => {
    const retryable = CODES.filter((c) => ERROR_CATALOGUE[c].retryable).sort();
    expect(retryable).toEqual(
      [
        'API_BAD_RESPONSE',
        'API_NOT_FOUND',
        'API_RATE_LIMIT',
        'API_UNAVAILABLE',
        'INTERNAL',
        'JOB_FAILED',
        'JOB_TIMEOUT',
        'NO_TASK_ID',
        'QUEUE_FULL',
        'SUBMIT_INTERRUPTED',
      ].sort(),
    );
  });

  it('treats a code it does not know (written by a newer process) as INTERNAL', () => {
    expect(isErrorCode('SOMETHING_NEW')).toBe(false);
    expect(traitsOf('SOMETHING_NEW')).toBe(ERROR_CATALOGUE.INTERNAL);
    expect(errorSentence({ code: 'SOMETHING_NEW' }, SLACK_STYLE)).toBe(errorSentence({ code: 'INTERNAL' }, SLACK_STYLE));
  });
});

describe('the Retry rule on every adapter', () => {
  for (const code of CODES) {
    it(`${code}: Retry on Discord, Slack and the playground exactly when the catalogue says`, () => {
      const job = failedJob({ errorCode: code, errorMessage: 'x', state: code === 'JOB_CANCELED' ? 'canceled' : 'failed' });
      const error = { code, message: 'x' };
      const discord = errorAnswer(job, error).components.some((row) =>
        row.components.some((b) => 'custom_id' in b && b.custom_id.startsWith('avatar:retry:')),
      );
      const slack = errorMessage(job, error).blocks.some(
        (b) => (b as { type?: string }).type === 'actions' && JSON.stringify(b).includes(RETRY_ACTION),
      );
      const playground = toPublicJob(job).error?.retryable === true;
      expect({ discord, slack, playground }).toEqual({
        discord: offersRetry(code),
        slack: offersRetry(code),
        playground: offersRetry(code),
      });
    });
  }

  it('never offers Retry for a bad key, missing credits, a refusal or a quota', () => {
    for (const code of ['API_AUTH', 'API_CREDITS', 'NOT_ALLOWED', 'QUOTA_EXCEEDED', 'INVALID_MEDIA', 'MEDIA_GONE'] as const) {
      expect(offersRetry(code), code).toBe(false);
    }
  });

  it('offers no Retry on Slack before a job exists', () => {
    expect(JSON.stringify(errorMessage(null, { code: 'API_UNAVAILABLE', message: '' }).blocks)).not.toContain(RETRY_ACTION);
  });
});

describe('error sentences', () => {
  it('every code has words of its own in every style, with no detail from the log message', () => {
    for (const [name, style] of Object.entries(STYLES)) {
      const internal = errorSentence({ code: 'INTERNAL' }, style);
      for (const code of CODES) {
        // JOB_FAILED alone shows its message: the service's own reason (tested below).
        const message = code === 'JOB_FAILED' ? '' : 'HTTP 401 from https://x?key=sk-secret';
        const words = errorSentence(new AvatarError(code, message), style);
        expect(words, `${name} ${code}`).toMatch(/^[A-Z].*[.)]$/);
        expect(words, `${name} ${code}`).not.toMatch(/undefined|null|NaN|sk-secret|https?:/);
        if (code !== 'INTERNAL') expect(words, `${name} ${code}`).not.toBe(internal);
      }
    }
  });

  it('each adapter gives only its markup and nouns', () => {
    expect(errorSentence({ code: 'API_AUTH' }, DISCORD_STYLE)).toBe(
      'The avatar service refused my credentials. Ask the bot admin to check `AVATAR_API_KEY`.',
    );
    expect(errorSentence({ code: 'API_AUTH' }, PLAYGROUND_STYLE)).toBe(
      'The avatar service refused the API key. Check AVATAR_API_KEY in .env.',
    );
    expect(errorSentence({ code: 'DOWNLOAD_FAILED' }, DISCORD_STYLE)).toBe(
      'I could not download your file from Discord. Upload it again and retry.',
    );
    expect(errorSentence({ code: 'DOWNLOAD_FAILED' }, SLACK_STYLE)).toBe(
      'I could not download your file from Slack. Upload it again and retry.',
    );
    expect(errorSentence({ code: 'DOWNLOAD_FAILED', reason: 'EXTERNAL' }, SLACK_STYLE)).toMatch(/not stored in Slack/);
  });

  it('a quota refusal names the limit and whose it is, from the facts', () => {
    const person = new AvatarError('QUOTA_EXCEEDED', 'log', { reason: 'PERSON', facts: { limit: 3 } });
    const group = new AvatarError('QUOTA_EXCEEDED', 'log', { reason: 'GROUP', facts: { limit: 1 } });
    expect(errorSentence(person, DISCORD_STYLE)).toBe(
      'You have used your 3 videos for today. Try again tomorrow (the count resets at midnight UTC).',
    );
    expect(errorSentence(group, DISCORD_STYLE)).toBe(
      'This server has used its 1 video for today. Try again tomorrow (the count resets at midnight UTC).',
    );
    expect(errorSentence(group, SLACK_STYLE)).toMatch(/^This workspace has used its 1 video/);
    // Without the limit (an older engine, or a fact gone missing): the plain sentence, never the log message.
    const bare = new AvatarError('QUOTA_EXCEEDED', 'This server has used its 5 videos', { reason: 'GROUP' });
    expect(errorSentence(bare, SLACK_STYLE)).toBe('The daily limit is used up. Try again tomorrow.');
  });

  it('a full queue and a timeout say their numbers when the facts carry them', () => {
    expect(errorSentence(new AvatarError('QUEUE_FULL', 'log', { facts: { queueMax: 50 } }))).toBe(
      'Too many videos are waiting (50). Try again in a few minutes.',
    );
    expect(errorSentence(new AvatarError('QUEUE_FULL', 'log'))).toBe('Too many videos are waiting. Try again in a few minutes.');
    expect(
      errorSentence({ code: 'JOB_TIMEOUT', message: 'No final status within 600 s (last error: x)', facts: { seconds: 600 } }, SLACK_STYLE),
    ).toBe('The video timed out after 10 min. Press Retry, or use a shorter voice clip.');
    expect(errorSentence({ code: 'JOB_TIMEOUT', message: 'No final status within 600 s (last error: x)' })).toBe(
      'The video timed out. Press Retry, or use a shorter voice note.',
    );
  });

  it('a 5xx from the service says it had an error; only a network failure says it cannot be reached', () => {
    const http500 = new AvatarError('API_UNAVAILABLE', 'log', { status: 500, reason: 'SERVICE_ERROR', facts: { status: 500 } });
    expect(errorSentence(http500, DISCORD_STYLE)).toBe('The avatar service had an error (HTTP 500). Try again in a few minutes.');
    // A stored job keeps the facts but not the reason: the status alone says the same.
    expect(errorSentence({ code: 'API_UNAVAILABLE', message: 'log', facts: { status: 503 } }, SLACK_STYLE)).toBe(
      'The avatar service had an error (HTTP 503). Try again in a few minutes.',
    );
    expect(errorSentence({ code: 'API_UNAVAILABLE', reason: 'SERVICE_ERROR' })).toBe(
      'The avatar service had an error. Try again in a few minutes.',
    );
    const refused = new AvatarError(
      'API_UNAVAILABLE',
      'Error generate a talking avatar video request: the avatar service refused the connection',
    );
    expect(errorSentence(refused, PLAYGROUND_STYLE)).toBe('The avatar service cannot be reached right now. Try again in a few minutes.');
  });

  it('a failed render shows the service its own reason, cut short and in code markup', () => {
    expect(errorSentence({ code: 'JOB_FAILED', message: 'face not detected' }, DISCORD_STYLE)).toBe(
      'The video failed to render. The avatar service said: `face not detected`. Press Retry, or try another face photo or voice note.',
    );
    expect(errorSentence({ code: 'JOB_FAILED', message: 'bad <!channel> & co' }, SLACK_STYLE)).toContain('`bad &lt;!channel&gt; &amp; co`');
    const long = errorSentence({ code: 'JOB_FAILED', message: `a\`b ${'x'.repeat(500)}` }, SLACK_STYLE);
    expect(long).toContain("said: `a'b xxx");
    expect(long.length).toBeLessThan(350);
    // The core's own stand-in when the service gave no reason is not repeated.
    expect(errorSentence({ code: 'JOB_FAILED', message: 'The avatar service could not render the video.' })).toBe(
      'The video failed to render. Press Retry, or try another face photo or voice note.',
    );
  });
});

/** The codes declared in the ErrorCode union of src/core/errors.ts. */
function readDeclaredCodes(): Set<string> {
  // Read as text: the union has no runtime value, and this keeps the test independent of the catalogue.
  const src = readFileSync(new URL('../../../src/core/errors.ts', import.meta.url), 'utf8');
  const union = /export type ErrorCode =([\s\S]*?);/.exec(src)?.[1] ?? '';
  return new Set([...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1] ?? ''));
}
