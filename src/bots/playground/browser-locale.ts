import type { FastifyRequest } from 'fastify';

const LANGUAGE_TAG = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;

/**
 * The browser's first language (`Accept-Language: fr-CH, fr;q=0.9` gives `fr-CH`): the page's
 * equivalent of Discord's interaction locale, so a person with no saved voice gets one in their
 * language. Anything that is not a plain language tag (or `*`) counts as none.
 */
export function browserLocale(request: FastifyRequest): string | undefined {
  const header = request.headers['accept-language'];
  const first = (typeof header === 'string' ? header : '').split(',')[0]?.split(';')[0]?.trim() ?? '';
  return LANGUAGE_TAG.test(first) ? first : undefined;
}
