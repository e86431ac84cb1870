/**
 * Autocomplete for a `voice` option: the service's voices matching what was typed (name, id or
 * language), as Discord's choices. Discord drops an answer that comes after 3 s and shows
 * "Loading options failed" for none, so the voice list is raced against a deadline and any
 * failure answers an empty list: the person can keep typing and the next keystroke asks again
 * (by then the list is usually cached).
 */
import type { ApplicationCommandOptionChoiceData, AutocompleteInteraction } from 'discord.js';
import { toAvatarError } from '../../../core/errors.js';
import type { Voice } from '../../../core/ports.js';
import { voiceChoiceLabel } from '../../shared/words/voices.js';
import type { BotContext } from '../context.js';

/** Discord's limits: 25 choices; a choice's name and string value up to 100 characters. */
const MAX_CHOICES = 25;
const CHOICE_CHARS = 100;
/** Under Discord's 3 s, leaving time for the answer's own round trip. */
const DEADLINE_MS = 2000;

/** The voices matching `typed` as choices: names starting with it first, then the rest in list order. */
export function voiceChoices(voices: readonly Voice[], typed: string): ApplicationCommandOptionChoiceData<string>[] {
  const q = typed.trim().toLowerCase();
  const usable = voices.filter((v) => v.id !== '' && v.id.length <= CHOICE_CHARS);
  const matches =
    q === ''
      ? usable
      : usable.filter(
          (v) => v.name.toLowerCase().includes(q) || v.id.toLowerCase().includes(q) || v.languages.some((l) => l.toLowerCase().includes(q)),
        );
  const first = matches.filter((v) => q !== '' && v.name.toLowerCase().startsWith(q));
  const ordered = [...first, ...matches.filter((v) => !first.includes(v))];
  return ordered.slice(0, MAX_CHOICES).map((v) => ({ name: voiceChoiceLabel(v, CHOICE_CHARS), value: v.id }));
}

/** Resolves to null when `promise` has not settled within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  // A late failure must not become an unhandled rejection once nobody waits for it.
  promise.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Answers a `voice` option's autocomplete; never throws. */
export async function answerVoiceAutocomplete(ctx: BotContext, interaction: AutocompleteInteraction): Promise<void> {
  let choices: ApplicationCommandOptionChoiceData<string>[] = [];
  try {
    const focused = interaction.options.getFocused(true);
    if (focused.name === 'voice') {
      const voices = await within(ctx.core.voices.list(), DEADLINE_MS);
      if (voices === null) ctx.logger.warn('discord: the voice list was not ready in time for autocomplete; answered none');
      choices = voiceChoices(voices ?? [], String(focused.value));
    }
  } catch (err) {
    const e = toAvatarError(err);
    ctx.logger.warn({ err: e.message, code: e.code }, 'discord: voice autocomplete failed; answered none');
  }
  try {
    await interaction.respond(choices);
  } catch (err) {
    ctx.logger.warn({ err: toAvatarError(err).message }, 'discord: could not answer an autocomplete');
  }
}

/**
 * The voice id for what was given in a `voice` option: Discord lets people send what they typed
 * without picking a choice, so a voice's exact name (any case, when only one voice has it) counts
 * too. Anything else is passed on as it is, for the core to refuse with UNKNOWN_VOICE.
 */
export async function voiceIdFor(ctx: Pick<BotContext, 'core'>, given: string): Promise<string> {
  const voices = await ctx.core.voices.list().catch(() => [] as Voice[]);
  if (voices.some((v) => v.id === given)) return given;
  const named = voices.filter((v) => v.name.trim().toLowerCase() === given.trim().toLowerCase());
  return named.length === 1 && named[0] !== undefined ? named[0].id : given;
}
