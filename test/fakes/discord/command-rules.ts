/**
 * The checks Discord applies to what the bot sends about commands, so a definition or an
 * autocomplete answer Discord would refuse with 400 "Invalid Form Body" (code 50035) is refused
 * here too: command and option limits on registration (PUT .../commands), and the choices of an
 * autocomplete answer (interaction callback type 8). Each function returns the problems found.
 */
import { installProblems } from './install-rules.js';
import type { Json } from './payloads.js';

const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const STRING = 3;
const SUBCOMMAND = 1;
const SUBCOMMAND_GROUP = 2;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function checkOptions(where: string, options: unknown, problems: string[]): void {
  if (options === undefined) return;
  if (!Array.isArray(options)) {
    problems.push(`${where}.options is not a list`);
    return;
  }
  if (options.length > 25) problems.push(`${where}.options has ${options.length} options (at most 25)`);
  let optionalSeen = false;
  for (const [i, raw] of (options as Json[]).entries()) {
    const at = `${where}.options[${i}]`;
    const name = str(raw.name) ?? '';
    const description = str(raw.description) ?? '';
    if (!NAME.test(name) || name !== name.toLowerCase()) problems.push(`${at}.name "${name}" is not 1-32 lowercase characters`);
    if (description.length < 1 || description.length > 100) problems.push(`${at}.description must be 1-100 characters`);
    const type = Number(raw.type);
    if (type === SUBCOMMAND || type === SUBCOMMAND_GROUP) {
      checkOptions(at, raw.options, problems);
      continue;
    }
    if (raw.required === true && optionalSeen) problems.push(`${at}: required options must come before optional ones`);
    if (raw.required !== true) optionalSeen = true;
    const choices = raw.choices;
    if (Array.isArray(choices) && choices.length > 25) problems.push(`${at}.choices: at most 25`);
    if (raw.autocomplete === true && Array.isArray(choices) && choices.length > 0) {
      problems.push(`${at}: autocomplete cannot be set with choices`);
    }
    if (raw.autocomplete === true && ![STRING, 4, 10].includes(type)) problems.push(`${at}: autocomplete needs a string or number option`);
    for (const key of ['max_length', 'min_length'] as const) {
      const v = raw[key];
      if (v === undefined) continue;
      const min = key === 'max_length' ? 1 : 0;
      if (type !== STRING || typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 6000) {
        problems.push(`${at}.${key} must be an integer ${min}-6000 on a string option`);
      }
    }
  }
}

/** Problems with a bulk-overwrite body (a list of command definitions), global or for one server. */
export function commandProblems(body: unknown, scope: 'global' | 'guild' = 'global', enabledKinds: readonly number[] = [0, 1]): string[] {
  if (!Array.isArray(body)) return ['the body is not a list of commands'];
  const problems: string[] = [];
  for (const [i, raw] of (body as Json[]).entries()) {
    const at = `[${i}]`;
    const type = Number(raw.type ?? 1);
    const name = str(raw.name) ?? '';
    if (type === 1) {
      if (!NAME.test(name) || name !== name.toLowerCase()) problems.push(`${at}.name "${name}" is not 1-32 lowercase characters`);
      const description = str(raw.description) ?? '';
      if (description.length < 1 || description.length > 100) problems.push(`${at}.description must be 1-100 characters`);
      checkOptions(at, raw.options, problems);
    } else if (name.length < 1 || name.length > 32) {
      problems.push(`${at}.name must be 1-32 characters`);
    }
    problems.push(...installProblems(at, raw, scope, enabledKinds));
  }
  return problems;
}

/** Problems with an autocomplete answer's `data` (callback type 8). */
export function choiceProblems(data: Json): string[] {
  const choices = data.choices;
  if (!Array.isArray(choices)) return ['data.choices is not a list'];
  const problems: string[] = [];
  if (choices.length > 25) problems.push(`data.choices has ${choices.length} choices (at most 25)`);
  for (const [i, raw] of (choices as Json[]).entries()) {
    const name = str(raw.name) ?? '';
    if (name.length < 1 || name.length > 100) problems.push(`data.choices[${i}].name must be 1-100 characters`);
    const value = raw.value;
    if (typeof value === 'string' ? value.length > 100 : typeof value !== 'number') {
      problems.push(`data.choices[${i}].value must be a string of at most 100 characters or a number`);
    }
  }
  return problems;
}
