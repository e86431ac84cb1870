/** An error's facts as both stores keep them (JSON text), read back defensively; and the JSON reading other columns share. */
import type { ErrorFacts } from '../errors.js';

/** A stored JSON column that should hold an object: the object, or null for anything else (or unreadable text). */
export function readJsonObject(raw: string | null): Record<string, unknown> | null {
  if (raw === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  return parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) ? null : (parsed as Record<string, unknown>);
}

/** Stored JSON to facts: anything but an object of strings and finite numbers reads as none. */
export function decodeFacts(raw: string | null): ErrorFacts | null {
  const parsed = readJsonObject(raw);
  if (parsed === null) return null;
  const facts: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) facts[k] = v;
  }
  return facts;
}
