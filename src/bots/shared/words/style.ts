/**
 * What an adapter gives the shared words: its markup and its nouns. The sentences themselves
 * are written once, in this folder.
 */
export interface WordStyle {
  bold(text: string): string;
  /** Inline code (a command, a setting name); plain text where there is no markup. */
  code(text: string): string;
  /** The platform files come from ("Discord"), or null where people upload them directly. */
  platform: string | null;
  /** What a group of people is called here ("server", "workspace"). */
  group: string;
  /** What a recording is called here ("voice note", "voice clip"). */
  voice: string;
  /**
   * Who fixes the bot's settings: a chat's people ask "the bot admin"; null where the person
   * reading is the one running the bot (the local playground), who is told what to change.
   */
  admin: string | null;
  /** How to give a face when none is saved: the adapter's own commands. */
  faceHowTo: string;
  /** How to pick a voice for typed text: the adapter's own command or control. */
  voiceHowTo: string;
}

/** Words with no markup, for logs, tests and the command line. */
export const PLAIN_STYLE: WordStyle = {
  bold: (t) => t,
  code: (t) => t,
  platform: null,
  group: 'group',
  voice: 'voice note',
  admin: null,
  faceHowTo: 'Please choose a face image.',
  voiceHowTo: 'Pick one from the voice list.',
};
