/**
 * The codec every adapter uses for its reply state (the opaque string the core stores with a
 * job): versioned JSON, read back by narrowing, never trusted. Anything unreadable, or written
 * by another version, decodes to the adapter's empty state, which always works (it only costs
 * a new message instead of an edit).
 */
import { isRecord, type JsonRecord } from './json.js';

export interface ReplyStateCodec<T> {
  encode(state: T): string;
  decode(value: string | null | undefined): T;
}

export interface ReplyStateSpec<T> {
  /** Written as `v`. A stored state without `v` counts as version 1 (states before versions). */
  version: number;
  empty(): T;
  /** Picks the known fields out of a stored object of this version. */
  read(raw: JsonRecord): T;
}

export function createReplyStateCodec<T extends object>(spec: ReplyStateSpec<T>): ReplyStateCodec<T> {
  return {
    encode(state) {
      return JSON.stringify({ ...state, v: spec.version });
    },
    decode(value) {
      if (value === null || value === undefined || value === '') return spec.empty();
      let raw: unknown;
      try {
        raw = JSON.parse(value);
      } catch {
        return spec.empty();
      }
      if (!isRecord(raw) || (raw['v'] ?? 1) !== spec.version) return spec.empty();
      return spec.read(raw);
    },
  };
}
