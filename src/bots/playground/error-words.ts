import { traitsOf } from '../../core/error-catalogue.js';
import { errorSentence, offersRetry, type ErrorLike } from '../shared/words/errors.js';
import { PLAIN_STYLE, type WordStyle } from '../shared/words/style.js';

/**
 * The page's nouns are the plain ones: no markup (the page sets text, never HTML), files are
 * uploaded here, and the person reading runs the bot, so settings are named, not delegated.
 */
export const PLAYGROUND_STYLE: WordStyle = PLAIN_STYLE;

/** The words to show for an error, as the page shows them. */
export function errorWords(error: ErrorLike): string {
  return errorSentence(error, PLAYGROUND_STYLE);
}

/** An error as the page's JSON carries it: code, words, and whether Retry is offered. */
export function errorJson(error: ErrorLike): { code: string; message: string; retryable: boolean } {
  return { code: error.code, message: errorWords(error), retryable: offersRetry(error.code) };
}

/** The HTTP status for a refusal with this code (the catalogue's). */
export function httpStatusFor(code: string): number {
  return traitsOf(code).httpStatus;
}
