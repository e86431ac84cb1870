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

  it('keeps what Delete needs: the upload id and a parent the bot posted; wrong types are dropped', () => {
    const s = encodeReplyState({ ts: '1.2', uploaded: true, fileId: 'F1', parentTs: '1.1' });
    expect(decodeReplyState(s)).toEqual({ ts: '1.2', uploaded: true, fileId: 'F1', parentTs: '1.1' });
    expect(decodeReplyState('{"v":1,"ts":"1.2","fileId":7,"parentTs":null}')).toEqual({ ts: '1.2' });
  });
});
