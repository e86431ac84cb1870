import { describe, expect, it } from 'vitest';
import { createTokenHostCheck, slackFilePolicy } from '../../../../src/bots/slack/media/token-hosts.js';

describe('token host rule', () => {
  it('accepts Slack https hosts and the exact SLACK_API_URL origin only', () => {
    const check = createTokenHostCheck('http://127.0.0.1:4567/api/');
    expect(check(new URL('https://files.slack.com/files-pri/T1-F1/a.m4a'))).toBe(true);
    expect(check(new URL('https://slack.com/api/'))).toBe(true);
    expect(check(new URL('http://files.slack.com/x'))).toBe(false);
    expect(check(new URL('https://files.slack.com.evil.test/x'))).toBe(false);
    expect(check(new URL('https://evilslack.com/x'))).toBe(false);
    expect(check(new URL('https://files.slack.com:8443/x'))).toBe(false);
    expect(check(new URL('http://127.0.0.1:4567/files/F1'))).toBe(true);
    expect(check(new URL('http://127.0.0.1:4568/files/F1'))).toBe(false);
    expect(createTokenHostCheck(undefined)(new URL('http://127.0.0.1:4567/x'))).toBe(false);
  });

  it('a file download carries the token only to those hosts, asked for every hop', () => {
    const policy = slackFilePolicy('xoxb-t', createTokenHostCheck(undefined));
    expect(policy.authorization?.(new URL('https://files.slack.com/files-pri/T1-F1/a.m4a'))).toBe('Bearer xoxb-t');
    expect(policy.authorization?.(new URL('https://cdn.example.com/a.m4a'))).toBeUndefined();
    expect(policy.allows(new URL('https://cdn.example.com/a.m4a'))).toBe(true);
    expect(policy.allows(new URL('ftp://files.slack.com/a.m4a'))).toBe(false);
    expect(slackFilePolicy('', createTokenHostCheck(undefined)).authorization?.(new URL('https://files.slack.com/x'))).toBeUndefined();
  });
});
