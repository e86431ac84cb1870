/**
 * Captions: cues from speech-to-text or typed text (cues.ts), cut to phone-sized lines
 * (lines.ts), written as WebVTT and SRT (writers.ts). Pure functions: the job engine decides
 * when (jobs/captions.ts), the media workers burn them.
 */
export { clampCues, cuesAlongSegments, cuesFromSegments, cuesFromText, transcriptOf } from './cues.js';
export { toSrt, toVtt } from './writers.js';
