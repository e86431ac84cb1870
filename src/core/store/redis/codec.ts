/**
 * A JobRecord as the fields of a Redis hash, and back: null is an absent field, numbers are
 * decimal strings, booleans '1' / '0'. The hash also holds `seq` and `claimOwner`, which the
 * Lua scripts write and the record leaves out.
 */
import { decodeCaptions } from '../captions-codec.js';
import { decodeFacts } from '../facts-codec.js';
import type { JobRecord } from '../port.js';

type Kind = 'string' | 'string?' | 'number' | 'number?' | 'boolean' | 'json?' | 'captions?';

/** How each JobRecord field is stored; the order is the order of the decoded record. */
const FIELDS: Record<keyof JobRecord, Kind> = {
  id: 'string',
  platform: 'string',
  requesterId: 'string',
  groupId: 'string',
  replyTo: 'string',
  replyState: 'string?',
  state: 'string',
  taskId: 'string?',
  taskStatus: 'string?',
  fileUrl: 'string?',
  outputDuration: 'number?',
  audioSeconds: 'number',
  errorCode: 'string?',
  errorMessage: 'string?',
  errorFacts: 'json?',
  createdAt: 'number',
  updatedAt: 'number',
  submittedAt: 'number?',
  finishedAt: 'number?',
  etaAt: 'number?',
  delivered: 'boolean',
  deliveredAt: 'number?',
  preview: 'boolean',
  webhookToken: 'string?',
  submitStartedAt: 'number?',
  nextPollAt: 'number?',
  pollCount: 'number',
  deadlineAt: 'number?',
  deliveryStartedAt: 'number?',
  retryOf: 'string?',
  renderStartedAt: 'number?',
  spokenText: 'string?',
  discardedAt: 'number?',
  captions: 'captions?',
};
const FIELD_NAMES = Object.keys(FIELDS) as Array<keyof JobRecord>;

export function isJobField(name: string): name is keyof JobRecord {
  return name in FIELDS;
}

/** One field's stored form; null: the field is absent (a null value). Throws on a null where none is allowed. */
export function encodeField(field: keyof JobRecord, value: unknown): string | null {
  const kind = FIELDS[field];
  if (value === null || value === undefined) {
    if (kind.endsWith('?')) return null;
    throw new TypeError(`job field ${field} cannot be null`);
  }
  switch (kind) {
    case 'boolean':
      return value === true ? '1' : '0';
    case 'json?':
    case 'captions?':
      return JSON.stringify(value);
    case 'number':
    case 'number?':
      if (typeof value !== 'number') throw new TypeError(`job field ${field} must be a number`);
      return String(value);
    default:
      if (typeof value !== 'string') throw new TypeError(`job field ${field} must be a string`);
      return value;
  }
}

/** The whole record as flat field/value pairs (absent: null fields), for HSET. */
export function encodeJob(job: JobRecord): string[] {
  const pairs: string[] = [];
  for (const field of FIELD_NAMES) {
    const v = encodeField(field, job[field]);
    if (v !== null) pairs.push(field, v);
  }
  return pairs;
}

export function decodeJob(h: Record<string, string>): JobRecord {
  const out: Record<string, unknown> = {};
  for (const field of FIELD_NAMES) {
    const kind = FIELDS[field];
    const raw = h[field];
    if (raw === undefined) {
      if (kind === 'boolean') out[field] = false;
      else if (kind === 'number') out[field] = 0;
      else if (kind === 'string') out[field] = '';
      else out[field] = null;
    } else if (kind === 'boolean') out[field] = raw === '1';
    else if (kind === 'number' || kind === 'number?') out[field] = Number(raw);
    else if (kind === 'json?') out[field] = decodeFacts(raw);
    else if (kind === 'captions?') out[field] = decodeCaptions(raw);
    else out[field] = raw;
  }
  return out as unknown as JobRecord;
}

/** HGETALL as a flat [field, value, ...] array (a Lua script's answer) to an object. */
export function pairsToObject(flat: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(flat)) return out;
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = String(flat[i + 1]);
  return out;
}

/** A sorted-set member `{seq}:{id}` to the job id. */
export function idOf(member: string): string {
  return member.slice(member.indexOf(':') + 1);
}

/** Bytes as a Buffer over the same memory (ioredis sends Buffers as binary). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
