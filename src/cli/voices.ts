/**
 * `talking-avatar voices`: the voices typed text can be spoken in (`render --text ... --voice
 * <id>`), as a table of id, name and languages, or as JSON with `--json`.
 */
import { voiceTable } from '../bots/shared/words/cli.js';
import { toAvatarError } from '../core/errors.js';
import type { AvatarApi } from '../core/ports.js';
import type { CliIo } from './render.js';

export async function runVoices(api: AvatarApi, io: CliIo, json: boolean): Promise<number> {
  try {
    const voices = await api.voices();
    io.out(json ? JSON.stringify(voices, null, 2) : voiceTable(voices));
    return 0;
  } catch (err) {
    io.err(`${toAvatarError(err).message}\n`);
    return 1;
  }
}
