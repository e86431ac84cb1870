import type { ProblemDetail } from './problem.js';
import { NOT_AN_OBJECT, objectBody } from './validate-object.js';

interface SubmitBody {
  image: Buffer;
  audio: Buffer;
  webhook: { url: string; authToken: string | null } | null;
}

export type SubmitValidation = { ok: true; value: SubmitBody } | { ok: false; detail: string; errors: ProblemDetail[] };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const ALLOWED = new Set(['image', 'audio', 'webhook']);

/** Decodes one base64 field, or says (in the API's ErrorDetail shape) what is wrong with it. */
function base64Field(body: Record<string, unknown>, name: 'image' | 'audio', errors: ProblemDetail[]): Buffer | null {
  const location = `body.${name}`;
  const raw = body[name];
  if (raw === undefined || raw === null) {
    errors.push({ location, message: `expected required property ${name} to be present` });
    return null;
  }
  if (typeof raw !== 'string') {
    errors.push({ location, message: 'expected string', value: typeof raw });
    return null;
  }
  // Like Go's StdEncoding: line breaks are ignored, padding is required.
  const text = raw.replace(/[\r\n]/g, '');
  if (text === '') {
    errors.push({ location, message: 'expected a non-empty base64 string' });
    return null;
  }
  if (text.startsWith('data:')) {
    errors.push({ location, message: 'expected plain base64 without a data: prefix' });
    return null;
  }
  if (text.length % 4 !== 0 || !BASE64.test(text)) {
    errors.push({ location, message: 'expected a valid base64 string' });
    return null;
  }
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength === 0) {
    errors.push({ location, message: 'expected a non-empty base64 string' });
    return null;
  }
  return bytes;
}

/** Validates a parsed submit body like the real service (AsyncGenerateTalkingAvatarApiRequestBody). */
export function validateSubmit(body: unknown): SubmitValidation {
  const checked = objectBody(body, ALLOWED);
  if (checked === null) return { ...NOT_AN_OBJECT, errors: [...NOT_AN_OBJECT.errors] };
  const { record, errors } = checked;
  const image = base64Field(record, 'image', errors);
  const audio = base64Field(record, 'audio', errors);
  let webhook: SubmitBody['webhook'] = null;
  const hook = record['webhook'];
  if (hook !== undefined && hook !== null) {
    if (typeof hook !== 'object' || Array.isArray(hook)) {
      errors.push({ location: 'body.webhook', message: 'expected object' });
    } else {
      const h = hook as Record<string, unknown>;
      const url = h['url'];
      const token = h['auth_token'];
      if (typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url)) {
        errors.push({ location: 'body.webhook.url', message: 'expected an http(s) URL' });
      } else if (token !== undefined && typeof token !== 'string') {
        errors.push({ location: 'body.webhook.auth_token', message: 'expected string' });
      } else {
        webhook = { url, authToken: typeof token === 'string' && token !== '' ? token : null };
      }
    }
  }
  if (errors.length > 0 || image === null || audio === null) {
    return { ok: false, detail: 'validation failed', errors };
  }
  return { ok: true, value: { image, audio, webhook } };
}
