/** The Slack adapter's replyTo: the opaque address of a job's thread, round-tripped. */
import { describe, expect, it } from 'vitest';
import { formatReplyTo, parseReplyTo } from '../../../src/bots/slack/reply-to.js';

describe('replyTo', () => {
  it('round-trips and refuses other formats', () => {
    const to = { team: 'T123', channel: 'C456', threadTs: '1700000000.000100' };
    const s = formatReplyTo(to);
    expect(s).toBe('slack:T123:C456:1700000000.000100');
    expect(parseReplyTo(s)).toEqual(to);
    expect(parseReplyTo('discord:g:c:m')).toBeNull();
    expect(parseReplyTo('slack:T1:C1')).toBeNull();
    expect(parseReplyTo('slack:T1:C1:notats')).toBeNull();
    expect(() => formatReplyTo({ ...to, channel: 'C:1' })).toThrow();
  });
});
