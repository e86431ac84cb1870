import { describe, expect, it } from 'vitest';
import { decodeReplyState, DEFAULT_UPLOAD_LIMIT, encodeReplyState, tokenAlive } from '../../../../src/bots/discord/replies/reply-state.js';

describe('reply state', () => {
  it('round-trips and treats garbage as "no token"', () => {
    const s = { v: 1 as const, token: 't', appId: 'a', issuedAt: 1000, sizeLimit: 5, messageId: '9' };
    expect(decodeReplyState(encodeReplyState(s))).toEqual(s);
    expect(decodeReplyState('not json')).toEqual({ v: 1, sizeLimit: DEFAULT_UPLOAD_LIMIT });
    expect(decodeReplyState(null).token).toBeUndefined();
    expect(decodeReplyState('{"v":1,"token":"t"}').token).toBeUndefined(); // a token without its issue time is not trusted
  });

  it('keeps the reach (user install), the private-answers mark and the DM; ignores anything else there', () => {
    const s = { v: 1 as const, sizeLimit: 5, reach: 'interaction' as const, privateOnly: true, dmChannelId: '7', dmMessageId: '8' };
    expect(decodeReplyState(encodeReplyState(s))).toEqual(s);
    // States written before user installs read as "the bot may post in the channel".
    expect(decodeReplyState('{"v":1,"sizeLimit":5}').reach).toBeUndefined();
    const odd = decodeReplyState('{"v":1,"sizeLimit":5,"reach":"everywhere","privateOnly":"yes","dmChannelId":7}');
    expect(odd).toEqual({ v: 1, sizeLimit: 5 });
  });

  it('the token window is config-driven', () => {
    const s = { v: 1 as const, token: 't', appId: 'a', issuedAt: 10_000, sizeLimit: 1 };
    expect(tokenAlive(s, 5_000, 14_999)).toBe(true);
    expect(tokenAlive(s, 5_000, 15_000)).toBe(false);
    expect(tokenAlive({ v: 1, sizeLimit: 1 }, 5_000, 10_000)).toBe(false);
  });
});
