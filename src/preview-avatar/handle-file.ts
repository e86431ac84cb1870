import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PreviewContext } from './context.js';
import { sendProblem } from './problem.js';

/** Parses a single `bytes=a-b` range; null when absent or not one we serve (then: whole file). */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (header === undefined) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (m === null) return null;
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return null;
  let start: number;
  let end: number;
  if (a === '') {
    // Suffix range: the last b bytes.
    const n = Number(b);
    if (n === 0) return 'unsatisfiable';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/** GET|HEAD /files/preview-<task_id>.mp4: the rendered preview, with Range support. */
export async function handleFile(ctx: PreviewContext, req: IncomingMessage, res: ServerResponse, taskId: string): Promise<void> {
  const task = ctx.tasks.get(taskId);
  const source = task === undefined ? null : ctx.tasks.fileOf(task);
  if (source === null) {
    sendProblem(res, 404, 'File not found.');
    return;
  }
  let size: number;
  if ('path' in source) {
    try {
      size = (await stat(source.path)).size;
    } catch {
      sendProblem(res, 404, 'File not found.');
      return;
    }
  } else {
    size = source.bytes.byteLength;
  }
  const headers: Record<string, string> = {
    'Content-Type': 'video/mp4',
    'Accept-Ranges': 'bytes',
    // The name says what it is: a still-image preview, not a lip-synced video.
    'Content-Disposition': `inline; filename="preview-${taskId}.mp4"`,
    'Cache-Control': 'no-store',
  };
  const range = parseRange(req.headers['range'], size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}`, 'Content-Length': '0' });
    res.end();
    return;
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  const length = size === 0 ? 0 : end - start + 1;
  if (range !== null) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  headers['Content-Length'] = String(length);
  res.writeHead(range !== null ? 206 : 200, headers);
  if (req.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  if ('bytes' in source) {
    res.end(source.bytes.subarray(start, end + 1));
    return;
  }
  const stream = createReadStream(source.path, { start, end });
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}
