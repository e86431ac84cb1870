import { describe, expect, it } from 'vitest';
import { encodeReplyState, decodeReplyState } from '../../../../src/bots/slack/replies/reply-state.js';

describe('reply state', () => {
  it('reply state survives garbage', () => {
    expect(decodeReplyState('{"ts":"1.2","uploaded":true}')).toEqual({ ts: '1.2', uploaded: true });
    expect(decodeReplyState('not json')).toEqual({});
    expect(decodeReplyState(null)).toEqual({});
  });

  it('is written with its version and read back; another version reads as empty', () => {
    const s = encodeReplyState({ ts: '1.2', uploaded: true });
    expect(JSON.parse(s)).toMatchObject({ v: 1, ts: '1.2', uploaded: true });
    expect(decodeReplyState(s)).toEqual({ ts: '1.2', uploaded: true });
    expect(decodeReplyState('{"v":2,"ts":"1.2"}')).toEqual({});
  });
});
