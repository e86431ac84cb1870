import type { IncomingMessage } from 'node:http';

/**
 * After refusing an upload, reads and throws away at most `maxBytes` more of it (nothing is
 * kept) for at most `maxMs`, then closes the connection. Closing at once would make the kernel
 * reset the connection over the unread upload, and the client would often lose the answer.
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
