import { describe, expect, it } from 'vitest';
import { formatReplyState, parseReplyState } from '../../../../src/bots/slack/replies/reply-state.js';

describe('reply state', () => {
  it('reply state survives garbage', () => {
    expect(parseReplyState('{"ts":"1.2","uploaded":true}')).toEqual({ ts: '1.2', uploaded: true });
    expect(parseReplyState('not json')).toEqual({});
    expect(parseReplyState(null)).toEqual({});
  });

  it('is written with its version and read back; another version reads as empty', () => {
    const s = formatReplyState({ ts: '1.2', uploaded: true });
    expect(JSON.parse(s)).toMatchObject({ v: 1, ts: '1.2', uploaded: true });
    expect(parseReplyState(s)).toEqual({ ts: '1.2', uploaded: true });
    expect(parseReplyState('{"v":2,"ts":"1.2"}')).toEqual({});
  });
});
