/**
 * Messages with files, encoded here as one multipart byte buffer instead of through
 * @discordjs/rest's `files` option. Why: @discordjs/rest builds a global `FormData` and sends it
 * with its own undici 6, but the process-wide undici dispatcher is shared by every undici copy
 * (a global symbol); when the project's undici 7 created it first (the avatar client), a
 * FormData body fails inside undici 7 ("action is not a function"). A plain Uint8Array body
 * works with any dispatcher.
 */
import { randomBytes } from 'node:crypto';
import type { REST, RouteLike } from 'discord.js';

export interface UploadFile {
  name: string;
  data: Uint8Array;
  contentType: string;
}

/** Encodes `payload_json` and `files[n]` parts as Discord expects them. */
export function encodeMultipart(payload: unknown, files: UploadFile[]): { body: Uint8Array; contentType: string } {
  const boundary = `----avatarbot${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  const safeName = (n: string) => n.replace(/["\r\n\\]/g, '_');
  chunks.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="payload_json"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(payload)}\r\n`,
    ),
  );
  files.forEach((f, i) => {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files[${i}]"; filename="${safeName(f.name)}"\r\nContent-Type: ${f.contentType}\r\n\r\n`,
      ),
    );
    chunks.push(Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength));
    chunks.push(Buffer.from('\r\n'));
  });
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: new Uint8Array(Buffer.concat(chunks)), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Sends a JSON body, or a multipart one when there are files. */
export function sendMessage(
  rest: REST,
  method: 'post' | 'patch',
  route: RouteLike,
  payload: Record<string, unknown>,
  files: UploadFile[],
  auth: boolean,
): Promise<unknown> {
  if (files.length === 0) return rest[method](route, { body: payload, auth });
  const withAttachments = { ...payload, attachments: files.map((f, i) => ({ id: i, filename: f.name })) };
  const { body, contentType } = encodeMultipart(withAttachments, files);
  return rest[method](route, { body, passThroughBody: true, headers: { 'Content-Type': contentType }, auth });
}
