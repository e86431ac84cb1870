import { describe, expect, it } from 'vitest';
import { encodeReplyState, decodeReplyState } from '../../../../src/bots/slack/replies/reply-state.js';

describe('reply state', () => {
  it('reply state survives garbage', () => {
    expect(decodeReplyState('{"ts":"1.2","uploaded":true,"videoUploaded":true}')).toEqual({
      ts: '1.2',
      uploaded: true,
      videoUploaded: true,
    });
    expect(decodeReplyState('not json')).toEqual({});
    expect(decodeReplyState(null)).toEqual({});
  });

  it('is written with its version and read back; another version reads as empty', () => {
    const s = encodeReplyState({ ts: '1.2', uploaded: true, videoUploaded: false });
    expect(JSON.parse(s)).toMatchObject({ v: 1, ts: '1.2', uploaded: true, videoUploaded: false });
    expect(decodeReplyState(s)).toEqual({ ts: '1.2', uploaded: true, videoUploaded: false });
    expect(decodeReplyState('{"v":2,"ts":"1.2"}')).toEqual({});
  });

  it('keeps what Delete needs: every upload id and a parent the bot posted; wrong types are dropped', () => {
    const s = encodeReplyState({ ts: '1.2', uploaded: true, videoUploaded: true, fileIds: ['F1', 'F2', 'F3'], parentTs: '1.1' });
    expect(decodeReplyState(s)).toEqual({ ts: '1.2', uploaded: true, videoUploaded: true, fileIds: ['F1', 'F2', 'F3'], parentTs: '1.1' });
    expect(decodeReplyState('{"v":1,"ts":"1.2","fileIds":[7,"F9"],"fileId":7,"parentTs":null}')).toEqual({ ts: '1.2', fileIds: ['F9'] });
  });

  it('reads a state written before caption files: its one upload (fileId) was the video', () => {
    expect(decodeReplyState('{"v":1,"ts":"1.2","uploaded":true,"fileId":"F1"}')).toEqual({
      ts: '1.2',
      uploaded: true,
      videoUploaded: true,
      fileIds: ['F1'],
    });
  });
});
