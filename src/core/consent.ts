/**
 * FACE_CONSENT: whether a person must confirm they may use the face they send before a video
 * is made of it. The job engine asks the desk on every new request (jobs.create), before any
 * file is fetched or anything reaches the service; adapters ask it too, to show a checkbox early.
 */
import type { ConsentDesk, ConsentMode } from './handover-ports.js';
import type { Consents } from './store/port.js';

/** The desk when FACE_CONSENT=off, and the engine's default when none is passed (tests, tools). */
export const CONSENT_OFF: ConsentDesk = { mode: 'off', needed: async () => false, give: async () => undefined };

export function createConsentDesk(mode: ConsentMode, store: Consents, now: () => number): ConsentDesk {
  if (mode === 'off') return CONSENT_OFF;
  return {
    mode,
    async needed(platform, userId) {
      // `every`: the confirmation belongs to one request, so nothing stored can stand for it.
      if (mode === 'every') return true;
      return (await store.getConsent(platform, userId)) === null;
    },
    async give(platform, userId) {
      // Kept only where it is read again: under `every` a stored consent would be data with no use.
      if (mode === 'once') await store.saveConsent(platform, userId, now());
    },
  };
}
