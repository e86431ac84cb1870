/**
 * On a terminal the logs are lines a person reads: time, level, message and the fields that
 * matter, no JSON, and secrets scrubbed before formatting as in JSON.
 */
import { Writable } from 'node:stream';
import { expect, test } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { createLogger, prettyStream } from '../../src/logger.js';

const KEY = 'mk-live-PRETTYSECRET-41c0ffee';

test('pretty lines: time, level, message and the job id; the key scrubbed; no JSON', () => {
  const chunks: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const config = parseConfig({ DATA_DIR: '/tmp/unused', LOG_FORMAT: 'pretty', AVATAR_API_KEY: KEY });
  const log = createLogger(config, prettyStream(out, false));
  log.child({ component: 'jobs', jobId: 'job-42' }).info({ detail: `sent with ${KEY}` }, 'submitted');
  const text = chunks.join('');
  expect(text).toMatch(/^\[\d{2}:\d{2}:\d{2}(\.\d{3})?\] INFO: submitted/);
  expect(text).toContain('"jobId":"job-42"');
  expect(text).not.toContain(KEY);
  expect(text).toContain('[redacted]');
  expect(text).not.toContain('"hostname"');
  expect(() => JSON.parse(text)).toThrow();
});

test('LOG_FORMAT takes auto, pretty or json, and refuses anything else by name', () => {
  expect(parseConfig({ DATA_DIR: '/tmp/unused' }).logFormat).toBe('auto');
  expect(parseConfig({ DATA_DIR: '/tmp/unused', LOG_FORMAT: 'json' }).logFormat).toBe('json');
  expect(() => parseConfig({ DATA_DIR: '/tmp/unused', LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
});
