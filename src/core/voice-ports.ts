/**
 * The core's ports about voices: what the service's text-to-speech is asked and answers, a
 * listed voice, and the shelf adapters pick voices from. Re-exported by ports.ts.
 */
import type { Platform } from './ports.js';

/** A voice the service speaks with (premade, or the account's own cloned ones). */
export interface Voice {
  id: string;
  name: string;
  description: string;
  /** Language codes as the service gives them (e.g. `en`, `yue`, `mandarin`); may be empty. */
  languages: string[];
  /** An absolute http(s) URL of a short sample clip, when the service has one. */
  sampleUrl: string | null;
  premade: boolean;
}

/** What the service's text-to-speech is asked. */
export interface SpeakInput {
  text: string;
  voiceId: string;
  /** Only for Chinese voices: which spoken variant. */
  chineseLanguage?: 'mandarin' | 'yue';
}

/** Speech as the client returns it: always a complete audio file (raw PCM is wrapped as WAV). */
export interface SpokenAudio {
  audio: Uint8Array;
  /** The service's `output_duration`, when it says one. */
  seconds: number | null;
}

/**
 * The voices people can pick, and each person's pick. The list is cached and refreshed in the
 * background; a person's choice is kept per platform and user, as the face is.
 */
export interface VoiceShelf {
  /** Every voice, premade first. Throws AvatarError (API_*) only when no list was ever loaded. */
  list(): Promise<Voice[]>;
  /** A voice by id, or null when the service does not list it (unknown or withdrawn). */
  find(id: string): Promise<Voice | null>;
  /**
   * The voice a person's typed text is spoken in: `voiceId` when given, else their saved voice,
   * else `DEFAULT_VOICE_ID`, else the first premade voice in `locale`'s language, else the first
   * premade voice. Throws AvatarError('UNKNOWN_VOICE', { facts: { voice } }) for an id not listed,
   * and (reason WITHDRAWN) when the person's saved voice is no longer listed.
   */
  choose(platform: Platform, userId: string, options?: { voiceId?: string; locale?: string }): Promise<Voice>;
  /** The person's saved voice, or null (none saved, or the saved one was withdrawn). */
  saved(platform: Platform, userId: string): Promise<Voice | null>;
  /** Saves a person's voice after checking that the service lists it (UNKNOWN_VOICE otherwise). */
  save(platform: Platform, userId: string, voiceId: string): Promise<Voice>;
  /** Returns true when there was a saved voice to clear. */
  clear(platform: Platform, userId: string): Promise<boolean>;
  /**
   * The voice's sample clip, fetched by the core (capped; cached for the list's lifetime) so an
   * adapter can attach or proxy it: the service's URL may not be reachable by people. null when
   * the voice is unknown or has no sample. Throws AvatarError (API_UNAVAILABLE) when the fetch fails.
   */
  sample(voiceId: string): Promise<{ audio: Uint8Array; type: string } | null>;
}
