import type { IncomingMessage } from 'node:http';

/** Why a body could not be read. */
export class BodyError extends Error {
  constructor(
    readonly code: 'TOO_LARGE' | 'ABORTED',
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/**
 * Reads a request body into memory, refusing it as soon as it passes `maxBytes` (the declared
 * Content-Length is checked before reading anything). On refusal the stream is paused, not
 * drained: the caller answers 413 and closes the connection, so the excess is never buffered.
 */
export function readBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    return Promise.reject(new BodyError('TOO_LARGE', 'declared length over the limit'));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (err: BodyError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (err !== null) {
        req.pause();
        reject(err);
      } else {
        resolve(Buffer.concat(chunks, size));
      }
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        finish(new BodyError('TOO_LARGE', 'body over the limit'));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(null);
    const onError = () => finish(new BodyError('ABORTED', 'upload interrupted'));
    const onAborted = () => finish(new BodyError('ABORTED', 'upload interrupted'));
    // A stalled upload must not hold memory forever.
    const timer = setTimeout(() => finish(new BodyError('ABORTED', 'upload too slow')), timeoutMs);
    timer.unref();
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/**
 * After refusing a body, reads and throws away at most `maxBytes` more of it (nothing is kept)
 * for at most `maxMs`, then closes the connection. Closing at once would make the kernel reset
 * the connection over the unread upload, and the client would often lose the 413 answer with it.
 */
export function discardRest(req: IncomingMessage, maxBytes: number, maxMs: number): void {
  let discarded = 0;
  const close = () => {
    clearTimeout(timer);
    req.off('data', onData);
    req.socket.destroy();
  };
  const onData = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > maxBytes) close();
  };
  const timer = setTimeout(close, maxMs);
  timer.unref();
  req.on('data', onData);
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
  req.resume();
}
