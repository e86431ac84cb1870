/**
 * Requests waiting for their person to confirm they may use the face (FACE_CONSENT). When the
 * core refuses a start with CONSENT_NEEDED, the adapter keeps the whole request here (its
 * attachments' loaders included, so nothing has to be sent again) under a random nonce that
 * goes into the button, and shows the question. A click by the requester takes it back and
 * starts it again with `faceConsent: true`.
 *
 * In memory on purpose: a wait is minutes long and a restart only costs the person one more
 * message (the click then records the consent and asks them to send it again). Bounded in
 * count and age, so people who never click cannot grow it.
 */
import { randomBytes } from 'node:crypto';

/** A platform's interaction tokens (Discord) last 15 minutes: a wait longer than that could not answer in place. */
const CONSENT_WAIT_MS = 14 * 60_000;
/** The most requests kept waiting at once; the oldest goes first. */
const CONSENT_WAIT_MAX = 1000;

/** mine: the requester's waiting request (removed). not-yours: someone else clicked (kept). gone: expired or unknown. */
type ConsentTake<T> = { kind: 'mine'; request: T } | { kind: 'not-yours' } | { kind: 'gone' };

export interface ConsentWaits<T> {
  /** Keeps a request for `owner`; returns the nonce to put in the button. */
  keep(owner: string, request: T): string;
  /** The request behind a nonce, for the person who clicked. */
  take(nonce: string, clicker: string): ConsentTake<T>;
  /** How many requests wait now (for tests and metrics). */
  size(): number;
}

interface Waiting<T> {
  owner: string;
  request: T;
  until: number;
}

export function createConsentWaits<T>(options: { ttlMs?: number; max?: number; now?: () => number } = {}): ConsentWaits<T> {
  const ttlMs = options.ttlMs ?? CONSENT_WAIT_MS;
  const max = options.max ?? CONSENT_WAIT_MAX;
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: the first entries are the oldest.
  const waits = new Map<string, Waiting<T>>();

  function prune(t: number): void {
    for (const [nonce, w] of waits) {
      // Every wait lasts as long: insertion order is expiry order, so stop at the first live one.
      if (w.until > t && waits.size <= max) break;
      waits.delete(nonce);
    }
  }

  return {
    keep(owner, request) {
      const t = now();
      const nonce = randomBytes(9).toString('base64url');
      waits.set(nonce, { owner, request, until: t + ttlMs });
      prune(t);
      return nonce;
    },
    take(nonce, clicker) {
      prune(now());
      const w = waits.get(nonce);
      if (w === undefined) return { kind: 'gone' };
      if (w.owner !== clicker) return { kind: 'not-yours' };
      waits.delete(nonce);
      return { kind: 'mine', request: w.request };
    },
    size: () => waits.size,
  };
}
