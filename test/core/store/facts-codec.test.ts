import { expect, test } from 'vitest';
import { decodeFacts } from '../../../src/core/store/facts-codec.js';

test('stored facts read back as strings and finite numbers only; anything else reads as none', () => {
  expect(decodeFacts('{"seconds":600,"reason":"x"}')).toEqual({ seconds: 600, reason: 'x' });
  expect(decodeFacts('{"a":1,"b":null,"c":[1],"d":{"e":1},"f":true}')).toEqual({ a: 1 });
  expect(decodeFacts(null)).toBeNull();
  expect(decodeFacts('not json')).toBeNull();
  expect(decodeFacts('[1,2]')).toBeNull();
  expect(decodeFacts('"text"')).toBeNull();
});
