/** Pure parts of the playground: replyTo round trip, error words, CSP, the browser's language, voice labels. */
import { describe, expect, it } from 'vitest';
import { formatReplyTo, parseReplyTo } from '../../../src/bots/playground/reply-to.js';
import { errorWords, httpStatusFor } from '../../../src/bots/playground/error-words.js';
import { pageCspDirectives } from '../../../src/bots/playground/csp.js';
import { MediaError } from '../../../src/core/errors.js';
import type { FastifyRequest } from 'fastify';
import { browserLocale } from '../../../src/bots/playground/browser-locale.js';
import { voiceChoiceLabel } from '../../../src/bots/shared/words/voices.js';

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
    const preview = pageCspDirectives(true);
    const real = pageCspDirectives(false);
    expect(preview.mediaSrc).toContain('http://127.0.0.1:*');
    expect(preview.mediaSrc).not.toContain('https:');
    expect(real.mediaSrc).toContain('https:');
    for (const d of [preview, real]) {
      expect(d.scriptSrc).toEqual(["'self'"]);
      expect(d.defaultSrc).toEqual(["'none'"]);
    }
  });

  it('has no IPv6 literal (CSP host sources cannot hold one: Chromium reports it as invalid)', () => {
    for (const d of [pageCspDirectives(true), pageCspDirectives(false)]) {
      for (const source of Object.values(d).flat()) expect(source).not.toMatch(/\[/);
    }
  });
});

describe("the browser's language", () => {
  const ask = (header: string | undefined) =>
    browserLocale({ headers: header === undefined ? {} : { 'accept-language': header } } as FastifyRequest);
  it('takes the first tag of Accept-Language, and nothing from a wildcard, junk or no header', () => {
    expect(ask('fr-CH, fr;q=0.9, en;q=0.8')).toBe('fr-CH');
    expect(ask('de;q=0.7')).toBe('de');
    expect(ask('*')).toBeUndefined();
    expect(ask('<script>')).toBeUndefined();
    expect(ask('')).toBeUndefined();
    expect(ask(undefined)).toBeUndefined();
  });
});

describe('voice labels', () => {
  it('name a voice with its languages, or by its name alone when it lists none', () => {
    expect(voiceChoiceLabel({ name: 'Ava', languages: ['en', 'fr'] }, 100)).toBe('Ava · en, fr');
    expect(voiceChoiceLabel({ name: 'Ava', languages: [' ', ''] }, 100)).toBe('Ava · languages not listed');
    expect(voiceChoiceLabel({ name: 'A'.repeat(120), languages: ['en'] }, 100)).toHaveLength(100);
  });
});
