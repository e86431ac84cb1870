/**
 * Narrowing of JSON that arrives as `unknown` (platform payloads, stored reply state): one set
 * of small readers instead of a copy in every handler.
 */

export type JsonRecord = Record<string, unknown>;

/** True for a plain JSON object (not null, not an array). */
export function isRecord(v: unknown): v is JsonRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `obj[key]` when `obj` is an object; undefined otherwise (so reads chain without checks). */
export function field(obj: unknown, key: string): unknown {
  return isRecord(obj) ? obj[key] : undefined;
}

/** A non-empty string, or undefined (platforms send '' for "none" as often as they omit it). */
export function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** A finite number, or undefined. */
export function finite(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
