/**
 * Reads the upload form with @fastify/multipart (busboy underneath): the whole body is capped
 * (the declared length first, then the bytes as they arrive), and so are the number of parts
 * and each part's headers. File parts and plain text fields are kept (the first of each name);
 * a file input left empty still sends a part, with no bytes, which counts as missing.
 */
import type { FastifyRequest } from 'fastify';

/** One uploaded file. */
export interface UploadedFile {
  data: Buffer;
  filename: string;
  mimetype: string;
}

/** Why a form could not be read. */
type FormFailure = 'TOO_LARGE' | 'BAD_FORM' | 'ABORTED';

/** One text field. `truncated`: it was longer than the field cap and only its start was kept. */
export interface FormField {
  value: string;
  truncated: boolean;
}

type FormOutcome = { ok: true; files: Map<string, UploadedFile>; fields: Map<string, FormField> } | { ok: false; failure: FormFailure };

const MAX_PARTS = 16;
const MAX_FIELD_BYTES = 64 * 1024;
const MAX_HEADER_PAIRS = 16;

function failureOf(err: unknown): FormFailure {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return 'TOO_LARGE';
  if (code === 'FST_MP_PREMATURE_CLOSE') return 'ABORTED';
  // Malformed multipart, too many parts or fields: the form itself is wrong.
  return 'BAD_FORM';
}

/** True when the declared Content-Length alone is over the cap (refused before reading). */
export function declaredTooLarge(request: FastifyRequest, maxBytes: number): boolean {
  const declared = request.headers['content-length'];
  return declared !== undefined && Number(declared) > maxBytes;
}

/** Reads the files and text fields of a multipart request, or says why not. Never rejects. */
export async function readForm(request: FastifyRequest, maxBytes: number, timeoutMs: number): Promise<FormOutcome> {
  let stop: (failure: FormFailure) => void = () => undefined;
  const stopped = new Promise<FormOutcome>((resolve) => {
    stop = (failure) => resolve({ ok: false, failure });
  });
  const iterator = request.parts({
    limits: {
      parts: MAX_PARTS,
      files: MAX_PARTS,
      fields: MAX_PARTS,
      fileSize: maxBytes,
      fieldSize: MAX_FIELD_BYTES,
      headerPairs: MAX_HEADER_PAIRS,
    },
  });
  const collect = (async (): Promise<FormOutcome> => {
    const files = new Map<string, UploadedFile>();
    const fields = new Map<string, FormField>();
    for await (const part of iterator) {
      if (part.type !== 'file') {
        // A field declared as JSON arrives parsed: only plain text is a text field.
        if (typeof part.value === 'string' && !fields.has(part.fieldname))
          fields.set(part.fieldname, { value: part.value, truncated: part.valueTruncated });
        continue;
      }
      const data = await part.toBuffer();
      if (data.length > 0 && !files.has(part.fieldname))
        files.set(part.fieldname, { data, filename: part.filename, mimetype: part.mimetype });
    }
    return { ok: true, files, fields };
  })().catch((err: unknown) => ({ ok: false as const, failure: failureOf(err) }));

  // The body as it arrives, counted whatever busboy makes of it (junk before a boundary too).
  let received = 0;
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > maxBytes) stop('TOO_LARGE');
  };
  request.raw.on('data', onData);
  // A stalled upload must not hold memory forever.
  const timer = setTimeout(() => stop('ABORTED'), timeoutMs);
  timer.unref();
  try {
    return await Promise.race([collect, stopped]);
  } finally {
    clearTimeout(timer);
    request.raw.off('data', onData);
  }
}
