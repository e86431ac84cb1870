/**
 * A small multipart/form-data parser over a body already read with a size cap. It only
 * understands what browsers send for file inputs: parts with a Content-Disposition `name`,
 * an optional `filename` and an optional Content-Type.
 */

/** One part of a form. */
export interface FormPart {
  name: string;
  filename: string | undefined;
  contentType: string | undefined;
  data: Buffer;
}

/** The body is not well-formed multipart. */
export class MultipartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MultipartError';
  }
}

const MAX_PARTS = 16;
const MAX_HEADER_BYTES = 8 * 1024;

/** Extracts the boundary from a Content-Type header; null when it is not multipart/form-data. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (contentType === undefined) return null;
  const [type, ...params] = contentType.split(';');
  if (type?.trim().toLowerCase() !== 'multipart/form-data') return null;
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    if (p.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
    let value = p.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    // RFC 2046: 1 to 70 characters.
    if (value.length >= 1 && value.length <= 70) return value;
  }
  return null;
}

function headerParam(header: string, param: string): string | undefined {
  // name="x"; filename="y" (quoted, with \" escapes) or unquoted tokens.
  const re = new RegExp(`(?:^|;)\\s*${param}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, 'i');
  const m = re.exec(header);
  if (m === null) return undefined;
  const raw = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? '').trim();
  return raw;
}

function parseHeaders(block: string): { name: string; filename: string | undefined; contentType: string | undefined } {
  let disposition: string | undefined;
  let contentType: string | undefined;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-disposition') disposition = value;
    else if (key === 'content-type') contentType = value;
  }
  if (disposition === undefined || !/^form-data\b/i.test(disposition)) {
    throw new MultipartError('a form part has no Content-Disposition: form-data');
  }
  const name = headerParam(disposition, 'name');
  if (name === undefined || name === '') throw new MultipartError('a form part has no name');
  return { name, filename: headerParam(disposition, 'filename'), contentType };
}

/** Parses a whole multipart body. Throws MultipartError when it is malformed. */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new MultipartError('no multipart boundary in the body');
  pos += delimiter.length;
  const parts: FormPart[] = [];
  for (;;) {
    // After a delimiter: "--" closes the form, CRLF starts a part.
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts;
    // Transport padding (spaces/tabs) may precede the CRLF.
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) throw new MultipartError('malformed multipart delimiter');
    pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos, 'latin1');
    if (headerEnd < 0 || headerEnd - pos > MAX_HEADER_BYTES) throw new MultipartError('malformed part headers');
    const headers = parseHeaders(body.subarray(pos, headerEnd).toString('utf8'));
    const dataStart = headerEnd + 4;
    const dataEnd = body.indexOf(nextDelimiter, dataStart);
    if (dataEnd < 0) throw new MultipartError('the form ends without its closing boundary');
    if (parts.length >= MAX_PARTS) throw new MultipartError('too many form parts');
    parts.push({ ...headers, data: body.subarray(dataStart, dataEnd) });
    pos = dataEnd + nextDelimiter.length;
  }
}
