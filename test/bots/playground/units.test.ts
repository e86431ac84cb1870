/** Pure parts of the playground: multipart parsing, replyTo round trip, cookies, error words, CSP. */
import { describe, expect, it } from 'vitest';
import { MultipartError, multipartBoundary, parseMultipart } from '../../../src/bots/playground/multipart.js';
import { formatReplyTo, parseReplyTo } from '../../../src/bots/playground/reply-to.js';
import { parseCookies, serializeCookie } from '../../../src/bots/playground/cookies.js';
import { errorWords, httpStatusFor } from '../../../src/bots/playground/error-words.js';
import { buildCsp } from '../../../src/bots/playground/csp.js';
import { MediaError } from '../../../src/core/errors.js';

describe('multipart', () => {
  it('reads the boundary only from multipart/form-data', () => {
    expect(multipartBoundary('multipart/form-data; boundary=----abc123')).toBe('----abc123');
    expect(multipartBoundary('Multipart/Form-Data; charset=utf-8; boundary="q u o"')).toBe('q u o');
    expect(multipartBoundary('application/json')).toBeNull();
    expect(multipartBoundary('multipart/form-data')).toBeNull();
    expect(multipartBoundary(undefined)).toBeNull();
  });

  it('parses what a browser sends, binary-safe, as Request.formData() would build it', async () => {
    const binary = Buffer.from([0, 1, 2, 13, 10, 45, 45, 255, 254]);
    const fd = new FormData();
    fd.append('image', new Blob([binary], { type: 'image/jpeg' }), 'fa"ce.jpg');
    fd.append('audio', new Blob([Buffer.from('RIFF....WAVE')], { type: 'audio/wav' }), 'a.wav');
    const req = new Request('http://x/', { method: 'POST', body: fd });
    const boundary = multipartBoundary(req.headers.get('content-type') ?? undefined);
    expect(boundary).not.toBeNull();
    const parts = parseMultipart(Buffer.from(await req.arrayBuffer()), boundary ?? '');
    expect(parts.map((p) => p.name)).toEqual(['image', 'audio']);
    expect(parts[0]?.data.equals(binary)).toBe(true);
    expect(parts[0]?.contentType).toBe('image/jpeg');
    expect(parts[0]?.filename).toContain('fa');
    expect(parts[1]?.data.toString()).toBe('RIFF....WAVE');
  });

  it('refuses malformed bodies', () => {
    expect(() => parseMultipart(Buffer.from('no boundary here'), 'b')).toThrow(MultipartError);
    expect(() => parseMultipart(Buffer.from('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated'), 'b')).toThrow(
      MultipartError,
    );
    expect(() => parseMultipart(Buffer.from('--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--'), 'b')).toThrow(/Content-Disposition/);
    const many = `${Array.from({ length: 20 }, () => '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\ny\r\n').join('')}--b--`;
    expect(() => parseMultipart(Buffer.from(many), 'b')).toThrow(/too many/);
  });
});

describe('replyTo', () => {
  it('round-trips a browser id and rejects anything else', () => {
    const id = 'Ab_-0123456789xyzQ';
    expect(formatReplyTo(id)).toBe(`playground:${id}`);
    expect(parseReplyTo(formatReplyTo(id))).toBe(id);
    expect(parseReplyTo('discord:1:2:3')).toBeNull();
    expect(parseReplyTo('playground:short')).toBeNull();
    expect(parseReplyTo('playground:has spaces in it!!')).toBeNull();
  });
});

describe('cookies', () => {
  it('parses a Cookie header and writes HttpOnly SameSite=Strict cookies', () => {
    const c = parseCookies('a=1; pg_browser=xyz%20; bad; a=2');
    expect(c.get('a')).toBe('1');
    expect(c.get('pg_browser')).toBe('xyz ');
    expect(serializeCookie('n', 'v w', 60)).toBe('n=v%20w; Path=/; Max-Age=60; HttpOnly; SameSite=Strict');
  });
});

describe('error words', () => {
  it('words a media refusal from its facts and other codes by code alone', () => {
    expect(errorWords(new MediaError('image', 'EMPTY', 'image: empty file'))).toBe('The image is empty (0 bytes).');
    expect(errorWords({ code: 'API_AUTH', message: 'Bearer sk-secret rejected' })).not.toContain('sk-secret');
    expect(errorWords({ code: 'API_AUTH' })).toMatch(/AVATAR_API_KEY/);
    expect(errorWords({ code: 'SOMETHING_NEW' })).toBe(errorWords({ code: 'INTERNAL' }));
    expect(httpStatusFor('INVALID_MEDIA')).toBe(400);
    expect(httpStatusFor('QUOTA_EXCEEDED')).toBe(429);
    expect(httpStatusFor('NOT_FOUND')).toBe(404);
  });
});

describe('CSP', () => {
  it('allows media from loopback in preview and https media otherwise, scripts only from self', () => {
    expect(buildCsp(true)).toMatch(/media-src [^;]*http:\/\/127\.0\.0\.1:\*/);
    expect(buildCsp(true)).not.toMatch(/media-src [^;]*https:/);
    expect(buildCsp(false)).toMatch(/media-src [^;]*https:/);
    for (const p of [true, false]) {
      expect(buildCsp(p)).toContain("script-src 'self';");
      expect(buildCsp(p)).toContain("default-src 'none'");
    }
  });
});
