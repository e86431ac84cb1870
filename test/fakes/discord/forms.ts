/**
 * What the fake Discord checks of modals (interaction callback type 9) and of Components V2
 * messages (flag IS_COMPONENTS_V2), as Discord's API documents them, plus a switch that makes
 * every V2 message fail (to test the fallback to a plain answer).
 */
import type { Json } from './payloads.js';

export const IS_COMPONENTS_V2 = 1 << 15;
/** Discord's cap on components in one V2 message, nested ones included. */
const MAX_V2_COMPONENTS = 40;

interface RecordedModal {
  /** The token of the interaction the modal answered. */
  token: string;
  data: Json;
}

export interface FormsState {
  /** Every modal the bot opened, in order. */
  readonly modals: RecordedModal[];
  /** When set, every message with the V2 flag is refused with this status (400 or 403). */
  refuseComponentsV2: 400 | 403 | null;
}

export function createFormsState(): FormsState {
  return { modals: [], refuseComponentsV2: null };
}

const str = (v: unknown, min: number, max: number): boolean => typeof v === 'string' && v.length >= min && v.length <= max;
const intIn = (v: unknown, min: number, max: number): boolean =>
  v === undefined || (Number.isInteger(v) && Number(v) >= min && Number(v) <= max);

/** Problems with a component inside a modal's Label (File Upload 19, Text Input 4, String Select 3). */
function labelChildProblems(c: Json, where: string): string[] {
  const out: string[] = [];
  if (!str(c.custom_id, 1, 100)) out.push(`${where}.custom_id: 1-100 characters`);
  if (c.type === 19) {
    if (!intIn(c.min_values, 0, 10)) out.push(`${where}.min_values: 0-10`);
    if (!intIn(c.max_values, 1, 10)) out.push(`${where}.max_values: 1-10`);
    if (Number(c.min_values ?? 1) > Number(c.max_values ?? 1)) out.push(`${where}: min_values over max_values`);
    if (c.required !== undefined && typeof c.required !== 'boolean') out.push(`${where}.required: a boolean`);
    if (c.required !== false && Number(c.min_values ?? 1) === 0) out.push(`${where}: required with min_values 0`);
  } else if (c.type === 4) {
    if (c.style !== 1 && c.style !== 2) out.push(`${where}.style: 1 or 2`);
    if (c.label !== undefined) out.push(`${where}.label: not allowed inside a Label`);
    if (!intIn(c.min_length, 0, 4000)) out.push(`${where}.min_length: 0-4000`);
    if (!intIn(c.max_length, 1, 4000)) out.push(`${where}.max_length: 1-4000`);
    if (typeof c.value === 'string' && c.value.length > Number(c.max_length ?? 4000)) out.push(`${where}.value: over max_length`);
    if (!(c.placeholder === undefined || str(c.placeholder, 0, 100))) out.push(`${where}.placeholder: up to 100 characters`);
  } else if (c.type === 3) {
    const options = Array.isArray(c.options) ? (c.options as Json[]) : [];
    if (options.length < 1 || options.length > 25) out.push(`${where}.options: 1-25`);
    options.forEach((o, i) => {
      if (!str(o.label, 1, 100) || !str(o.value, 1, 100)) out.push(`${where}.options[${i}]: label and value 1-100 characters`);
      if (!(o.description === undefined || str(o.description, 0, 100))) out.push(`${where}.options[${i}].description: up to 100`);
    });
    if (!intIn(c.min_values, 0, 25) || !intIn(c.max_values, 1, 25)) out.push(`${where}: min_values/max_values`);
  } else {
    out.push(`${where}.type: ${String(c.type)} cannot go in a modal Label here`);
  }
  return out;
}

/** Problems with a modal (callback data of type 9). */
export function modalProblems(data: Json): string[] {
  const out: string[] = [];
  if (!str(data.custom_id, 1, 100)) out.push('custom_id: 1-100 characters');
  if (!str(data.title, 1, 45)) out.push('title: 1-45 characters');
  const components = Array.isArray(data.components) ? (data.components as Json[]) : [];
  if (components.length < 1 || components.length > 5) out.push('components: 1-5');
  const ids = new Set<string>();
  components.forEach((c, i) => {
    const where = `components[${i}]`;
    if (c.type === 10) return; // a Text Display: words only
    if (c.type !== 18) {
      out.push(`${where}.type: modals take Labels (18) and Text Displays (10)`);
      return;
    }
    if (!str(c.label, 1, 45)) out.push(`${where}.label: 1-45 characters`);
    if (!(c.description === undefined || str(c.description, 0, 100))) out.push(`${where}.description: up to 100 characters`);
    const child = (c.component ?? {}) as Json;
    out.push(...labelChildProblems(child, `${where}.component`));
    const id = String(child.custom_id);
    if (ids.has(id)) out.push(`${where}.component.custom_id: duplicate`);
    ids.add(id);
  });
  return out;
}

/** Every `attachment://` URL in a component tree (media gallery items, thumbnails, files). */
function attachmentRefs(nodes: unknown, into: string[] = []): string[] {
  if (!Array.isArray(nodes)) return into;
  for (const node of nodes as Json[]) {
    const urls = [
      ...(Array.isArray(node.items) ? (node.items as Json[]).map((i) => (i.media as Json | undefined)?.url) : []),
      (node.media as Json | undefined)?.url,
      (node.file as Json | undefined)?.url,
    ];
    for (const u of urls) if (typeof u === 'string' && u.startsWith('attachment://')) into.push(u.slice('attachment://'.length));
    attachmentRefs(node.components, into);
    if (node.accessory !== undefined) attachmentRefs([node.accessory], into);
  }
  return into;
}

function countComponents(nodes: unknown): number {
  if (!Array.isArray(nodes)) return 0;
  return (nodes as Json[]).reduce((n, node) => n + 1 + countComponents(node.components) + (node.accessory !== undefined ? 1 : 0), 0);
}

/**
 * A refusal (status and body) for a message create/edit body, or null when it is fine.
 * `fileNames`: the files uploaded with it and the kept attachments it lists.
 */
export function v2Refusal(state: FormsState, body: Json, fileNames: string[]): { status: number; body: Json } | null {
  const flags = typeof body.flags === 'number' ? body.flags : 0;
  const components = Array.isArray(body.components) ? (body.components as Json[]) : [];
  const invalid = (problems: string[]) => ({ status: 400, body: { message: 'Invalid Form Body', code: 50035, errors: problems } });
  if ((flags & IS_COMPONENTS_V2) === 0) {
    const v2Only = components.filter((c) => c.type !== 1);
    return v2Only.length > 0 ? invalid(['components: V2 components need the IS_COMPONENTS_V2 flag']) : null;
  }
  if (state.refuseComponentsV2 !== null) {
    return state.refuseComponentsV2 === 403
      ? { status: 403, body: { message: 'Missing Permissions', code: 50013 } }
      : invalid(['flags: Components V2 refused (test switch)']);
  }
  const problems: string[] = [];
  if (typeof body.content === 'string' && body.content !== '') problems.push('content: not allowed with IS_COMPONENTS_V2');
  if (Array.isArray(body.embeds) && body.embeds.length > 0) problems.push('embeds: not allowed with IS_COMPONENTS_V2');
  if (countComponents(components) > MAX_V2_COMPONENTS) problems.push(`components: more than ${MAX_V2_COMPONENTS}`);
  for (const ref of attachmentRefs(components)) {
    if (!fileNames.includes(ref)) problems.push(`attachment://${ref}: no such attachment in this message`);
  }
  return problems.length > 0 ? invalid(problems) : null;
}
