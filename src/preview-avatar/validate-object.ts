import type { ProblemDetail } from './problem.js';

/**
 * The first step of validating a JSON body as the real service does: it must be an object, and
 * every property it has must be one the schema allows (additionalProperties: false). Returns
 * the record and the problems found so far, or null when the body is not an object at all.
 */
export function objectBody(
  body: unknown,
  allowed: ReadonlySet<string>,
): { record: Record<string, unknown>; errors: ProblemDetail[] } | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const record = body as Record<string, unknown>;
  const errors: ProblemDetail[] = [];
  for (const key of Object.keys(record)) {
    if (!allowed.has(key)) errors.push({ location: `body.${key}`, message: 'unexpected property' });
  }
  return { record, errors };
}

/** The answer for a body that is not an object. */
export const NOT_AN_OBJECT = {
  ok: false,
  detail: 'validation failed',
  errors: [{ location: 'body', message: 'expected object' }],
} as const;
