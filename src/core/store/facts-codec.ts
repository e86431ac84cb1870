/** An error's facts as both stores keep them (JSON text), read back defensively. */
import type { ErrorFacts } from '../errors.js';

/** Stored JSON to facts: anything but an object of strings and finite numbers reads as none. */
export function decodeFacts(raw: string | null): ErrorFacts | null {
  if (raw === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const facts: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) facts[k] = v;
  }
  return facts;
}
