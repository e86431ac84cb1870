/**
 * What crosses between the media pool and its worker threads: jobs, answers, log lines, and
 * errors as plain data. Errors cannot cross a thread as class instances, so a MediaError is sent
 * as its kind, reason, message and facts and rebuilt on the main side: people's words are made
 * from those, so they must come back intact. Anything else becomes INTERNAL (a bug).
 */
import { AvatarError, type ErrorCode, type ErrorFacts, MediaError, type MediaKind, type MediaReason } from '../errors.js';
import type { FinishVideoInput } from '../handover-ports.js';
import type { MediaConfig } from './media-config.js';

/** Given to each worker at start. */
export interface WorkerSetup {
  config: MediaConfig;
  ffmpegPath: string;
  /** The main logger's level: the worker logs at it and sends the lines back. */
  logLevel: string;
  /** How much the worker lowers its own thread's CPU priority (and so its ffmpeg children's); 0: not. */
  niceness: number;
  /** The pool's folder for temporary files (scratch.ts). */
  scratchDir: string;
}

export type MediaJob =
  | { id: number; op: 'image'; image: Uint8Array; name?: string }
  | { id: number; op: 'audio'; audio: Uint8Array; name?: string }
  | { id: number; op: 'both'; image: Uint8Array; audio: Uint8Array }
  | { id: number; op: 'finish-video'; input: FinishVideoInput };

export type WireError =
  | { type: 'media'; kind: MediaKind; reason: MediaReason; message: string; facts: ErrorFacts }
  | { type: 'avatar'; code: ErrorCode; message: string; reason?: string; detail?: string; facts: ErrorFacts }
  | { type: 'other'; message: string };

export type WorkerAnswer =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: WireError }
  | { log: { level: number; fields: Record<string, unknown>; msg: string } };

export function errorToWire(err: unknown): WireError {
  if (err instanceof MediaError)
    return { type: 'media', kind: err.kind, reason: err.reason, message: err.message, facts: { ...err.facts } };
  if (err instanceof AvatarError) {
    return {
      type: 'avatar',
      code: err.code,
      message: err.message,
      facts: { ...err.facts },
      ...(err.reason === undefined ? {} : { reason: err.reason }),
      ...(err.detail === undefined ? {} : { detail: err.detail }),
    };
  }
  return { type: 'other', message: err instanceof Error ? err.message : String(err) };
}

export function errorFromWire(wire: WireError): AvatarError {
  if (wire.type === 'media') return new MediaError(wire.kind, wire.reason, wire.message, { facts: wire.facts });
  if (wire.type === 'avatar') {
    return new AvatarError(wire.code, wire.message, {
      facts: wire.facts,
      ...(wire.reason === undefined ? {} : { reason: wire.reason }),
      ...(wire.detail === undefined ? {} : { detail: wire.detail }),
    });
  }
  return new AvatarError('INTERNAL', `media worker: ${wire.message}`, { detail: wire.message });
}

/**
 * The bytes copied into an ArrayBuffer of their own, with that buffer to transfer. Always a copy:
 * a Buffer may share Node's pool, be a slice, or (sharp's output) hold external memory, which
 * Node 24 refuses to transfer (postMessage throws and the worker dies). A prepared file is small
 * (a face JPEG, an MP3), so the copy costs little.
 */
export function ownedBytes(bytes: Uint8Array): { bytes: Uint8Array; transfer: ArrayBuffer } {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return { bytes: copy, transfer: copy.buffer };
}

/** A Buffer over the same memory (a Buffer arrives from another thread as a plain Uint8Array). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
