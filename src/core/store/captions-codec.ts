/** A job's captions as both stores keep them (JSON text), read back defensively. */
import type { Cue, JobCaptions } from '../handover-ports.js';
import { readJsonObject } from './facts-codec.js';

function cueOf(v: unknown): Cue | null {
  if (v === null || typeof v !== 'object') return null;
  const { start, end, text } = v as Record<string, unknown>;
  if (typeof start !== 'number' || typeof end !== 'number' || typeof text !== 'string') return null;
  if (!Number.isFinite(start) || !Number.isFinite(end) || start < 0 || end < start) return null;
  return { start, end, text };
}

/** Stored JSON to captions: anything that is not a source, a text and well-formed cues reads as none. */
export function decodeCaptions(raw: string | null): JobCaptions | null {
  const parsed = readJsonObject(raw);
  if (parsed === null) return null;
  const { source, cues, text } = parsed;
  if ((source !== 'speech-to-text' && source !== 'typed-text') || typeof text !== 'string' || !Array.isArray(cues)) return null;
  const good: Cue[] = [];
  for (const c of cues) {
    const cue = cueOf(c);
    if (cue === null) return null;
    good.push(cue);
  }
  return { source, cues: good, text };
}
