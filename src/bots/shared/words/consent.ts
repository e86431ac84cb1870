/**
 * The words around FACE_CONSENT: the question itself is the CONSENT_NEEDED error sentence
 * (errors.ts); these are the button, the checkbox and what a click answers.
 */
import type { ConsentDesk } from '../../../core/ports.js';

/** The button under the question (Discord, Slack). */
export const CONSENT_BUTTON = 'Yes, I may use this face';

/** The playground's checkbox beside the face. */
export const CONSENT_CHECKBOX = 'This is my face, or I have permission to use it';

/** Someone else clicked the button: only the requester can speak for the face they sent. */
export const CONSENT_NOT_YOURS = 'Only the person who sent this face can confirm it.';

/** The click after a confirmed request started again. */
export const CONSENT_THANKS = 'Thank you. Making your video now…';

/**
 * The click came after the request stopped waiting (it waits about 15 minutes, and not across a
 * restart): the confirmation is kept (FACE_CONSENT=once), the request has to be sent again.
 */
export function consentExpiredSentence(mode: ConsentDesk['mode']): string {
  const kept = mode === 'once' ? ' I will not ask you again.' : '';
  return `Thank you, noted.${kept} That request is no longer waiting, so please send it again.`;
}

/** The command line (`render`): no button, a flag. */
export const CLI_CONSENT_HOWTO = 'Add --consent to confirm that this is your face or that you have permission to use it.';
