/**
 * MODAL_SUBMIT interactions (type 5) as Discord sends them: each field inside its Label, the
 * uploaded files as ids in a File Upload's `values` and in full in `data.resolved.attachments`.
 */
import { interactionEnvelope, type InteractionBase, type Json } from './payloads.js';

/** A submitted field: a File Upload (attachments), a Text Input (value) or a String Select (values). */
export type SubmittedField =
  | { customId: string; files: Json[] }
  | { customId: string; value: string }
  | { customId: string; values: string[] };

function fieldJson(f: SubmittedField, id: number): Json {
  if ('files' in f) return { type: 19, id, custom_id: f.customId, values: f.files.map((a) => String(a.id)) };
  if ('value' in f) return { type: 4, id, custom_id: f.customId, value: f.value };
  return { type: 3, id, custom_id: f.customId, values: f.values };
}

/** A modal submit for the modal `customId`; `message` when the modal was opened from a button on it. */
export function modalSubmitInteraction(base: InteractionBase, modal: { customId: string; fields: SubmittedField[]; message?: Json }): Json {
  const files = modal.fields.flatMap((f) => ('files' in f ? f.files : []));
  const data: Json = {
    custom_id: modal.customId,
    components: modal.fields.map((f, i) => ({ type: 18, id: i * 2 + 1, component: fieldJson(f, i * 2 + 2) })),
  };
  if (files.length > 0) data.resolved = { attachments: Object.fromEntries(files.map((a) => [String(a.id), a])) };
  return interactionEnvelope(base, 5, data, modal.message !== undefined ? { message: modal.message } : {});
}
