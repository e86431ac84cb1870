/**
 * The command line's words: plain text, and its own way to pick a voice (a flag, not a menu).
 */
import type { Voice } from '../../../core/ports.js';
import { PLAIN_STYLE, type WordStyle } from './style.js';

export const CLI_STYLE: WordStyle = {
  ...PLAIN_STYLE,
  voiceHowTo: 'List the voices with "talking-avatar voices" and pass one with --voice <id>.',
};

/** The progress line while the service speaks the text (a terminal only). */
export const CLI_MAKING_VOICE = 'Making the voice…';

/** Characters a terminal draws two columns wide (CJK, Hangul, full-width forms), so columns line up. */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;

/** The table `talking-avatar voices` prints: id, name, languages, one voice a line. */
export function voiceTable(voices: readonly Voice[]): string {
  if (voices.length === 0) return 'The avatar service lists no voices.';
  const rows = [['ID', 'NAME', 'LANGUAGES'], ...voices.map((v) => [v.id, v.name, v.languages.join(', ') || '-'])];
  const width = (s: string): number => [...s].reduce((n, ch) => n + (WIDE.test(ch) ? 2 : 1), 0);
  const widths = [0, 1].map((col) => Math.max(...rows.map((r) => width(r[col] ?? ''))));
  return rows
    .map(
      ([id = '', name = '', langs = '']) =>
        `${id}${' '.repeat((widths[0] ?? 0) - width(id) + 2)}${name}${' '.repeat((widths[1] ?? 0) - width(name) + 2)}${langs}`,
    )
    .join('\n');
}
