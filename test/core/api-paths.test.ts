import { expect, test } from 'vitest';
import { STATUS_PATH_PATTERN, statusPath, SUBMIT_PATH } from '../../src/core/api-paths.js';

test('the server recognises the status path the client builds, and only that', () => {
  expect(STATUS_PATH_PATTERN.exec(statusPath('xdac2o3c'))?.[1]).toBe('xdac2o3c');
  // An id is one path segment: a slash in it is encoded by the client, not a new segment.
  expect(STATUS_PATH_PATTERN.exec(statusPath('a/b'))?.[1]).toBe('a%2Fb');
  expect(STATUS_PATH_PATTERN.test(SUBMIT_PATH)).toBe(false);
  expect(STATUS_PATH_PATTERN.test(`${SUBMIT_PATH}/x/status/more`)).toBe(false);
});
