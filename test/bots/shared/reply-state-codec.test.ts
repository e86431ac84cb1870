import { describe, expect, it } from 'vitest';
import { createReplyStateCodec } from '../../../src/bots/shared/reply-state-codec.js';
import { text } from '../../../src/bots/shared/json.js';

interface State {
  id?: string;
}

const codec = createReplyStateCodec<State>({
  version: 2,
  empty: () => ({}),
  read: (raw) => {
    const id = text(raw['id']);
    return id === undefined ? {} : { id };
  },
});

describe('createReplyStateCodec', () => {
  it('writes its version and reads back only the known fields, narrowed', () => {
    const s = codec.encode({ id: 'm1' });
    expect(JSON.parse(s)).toEqual({ id: 'm1', v: 2 });
    expect(codec.decode(s)).toEqual({ id: 'm1' });
    expect(codec.decode('{"v":2,"id":5,"extra":true}')).toEqual({});
  });

  it('anything unreadable or of another version is the empty state', () => {
    for (const bad of [null, undefined, '', 'not json', '[1]', '"s"', '{"v":3,"id":"m1"}', '{"id":"m1"}']) {
      expect(codec.decode(bad)).toEqual({});
    }
  });

  it('a state written before versions counts as version 1', () => {
    const v1 = createReplyStateCodec<State>({ version: 1, empty: () => ({}), read: (raw) => ({ id: String(raw['id']) }) });
    expect(v1.decode('{"id":"m1"}')).toEqual({ id: 'm1' });
  });
});
