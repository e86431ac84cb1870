import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, test } from 'vitest';
import { AvatarError } from '../../src/core/errors.js';
import { isHttpUrl, parseStatusAnswer } from '../../src/core/status-answer.js';
import { BAD_STATUS_ANSWERS } from '../helpers/bad-status-answers.js';

function capture(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, sink), lines };
}

function refusal(json: unknown, taskId: string): AvatarError {
  try {
    parseStatusAnswer(json, taskId);
  } catch (err) {
    if (err instanceof AvatarError) return err;
    throw err;
  }
  throw new Error('expected API_BAD_RESPONSE');
}

describe('the status answer checker', () => {
  test('a COMPLETED answer with an absolute https URL and a duration is taken as it is', () => {
    const json = { data: { task_id: 't1', status: 'COMPLETED', file_url: 'https://cdn.example/v.mp4?sig=abc', output_duration: 4.5 } };
    expect(parseStatusAnswer(json, 't1')).toEqual({
      taskId: 't1',
      status: 'COMPLETED',
      fileUrl: 'https://cdn.example/v.mp4?sig=abc',
      outputDuration: 4.5,
      error: null,
      raw: json,
    });
    expect(parseStatusAnswer({ data: { task_id: 't1', status: 'COMPLETED', file_url: 'http://127.0.0.1:9/v.mp4' } }, 't1')).toMatchObject({
      fileUrl: 'http://127.0.0.1:9/v.mp4',
      outputDuration: null,
    });
  });

  test('a non-final or failed answer carries no file, whatever the body says, and keeps the service reason', () => {
    const st = parseStatusAnswer({ data: { task_id: 't1', status: 'FAILED', file_url: 'ftp://x/y', error: 'no face' } }, 't1');
    expect(st).toMatchObject({ status: 'FAILED', fileUrl: null, outputDuration: null, error: 'no face' });
    expect(parseStatusAnswer({ data: { task_id: 't1', status: 'IN_PROGRESS' } }, 't1').status).toBe('IN_PROGRESS');
  });

  test.each(BAD_STATUS_ANSWERS)('$name is API_BAD_RESPONSE, without the body values in the message', ({ body }) => {
    const e = refusal(body('t1'), 't1');
    expect(e.code).toBe('API_BAD_RESPONSE');
    expect(e.reason).toBe('BAD_STATUS_ANSWER');
    expect(e.message).toMatch(/^Error generate a talking avatar video request: the s/);
    expect(e.message).not.toMatch(/example|passwd|alert|someone/);
  });

  test.each([
    ['negative', '-3', 'a negative number'],
    ['a string', '"5 s"', 'string'],
    ['infinite (1e999 in JSON)', '1e999', 'a non-finite number'],
  ])('an output_duration that is %s is dropped with a warning that names its kind only', (_what, raw, got) => {
    const { logger, lines } = capture();
    const json: unknown = JSON.parse(
      `{"data":{"task_id":"t1","status":"COMPLETED","file_url":"https://x.example/v.mp4","output_duration":${raw}}}`,
    );
    const st = parseStatusAnswer(json, 't1', logger);
    expect(st.status).toBe('COMPLETED');
    expect(st.fileUrl).toBe('https://x.example/v.mp4');
    expect(st.outputDuration).toBeNull();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, taskId: 't1', got });
    expect(JSON.stringify(lines[0])).not.toContain('x.example');
  });

  test('a zero duration is kept and logs nothing', () => {
    const { logger, lines } = capture();
    const json = { data: { task_id: 't1', status: 'COMPLETED', file_url: 'https://x.example/v.mp4', output_duration: 0 } };
    expect(parseStatusAnswer(json, 't1', logger).outputDuration).toBe(0);
    expect(lines).toEqual([]);
  });

  test('isHttpUrl takes absolute http(s) URLs only', () => {
    expect(isHttpUrl('https://a.example/v.mp4')).toBe(true);
    expect(isHttpUrl('HTTP://A.EXAMPLE/v.mp4')).toBe(true);
    for (const bad of [
      '',
      '/v.mp4',
      'a.example/v.mp4',
      'https://',
      'data:video/mp4;base64,AAAA',
      'https:/a.example',
      ' https://a.example/',
    ]) {
      expect(isHttpUrl(bad), bad).toBe(false);
    }
  });
});
