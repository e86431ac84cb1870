/** Raw HTTP over a socket, for uploads a normal client would not send (oversized, chunked). */
import { connect } from 'node:net';

/**
 * Writes `head` then each chunk of `body` in turn, stopping as soon as the server answers,
 * and returns what the server sent (status line, headers, body). Bounded by `timeoutMs`.
 */
export function rawExchange(
  port: number,
  head: string,
  body: Buffer[],
  timeoutMs = 10_000,
): Promise<{ status: number; text: string; bytesSent: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let bytesSent = 0;
    let answered = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms; got: ${received.slice(0, 200)}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
      resolve({ status, text: received, bytesSent });
    };
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      answered = true;
      received += chunk;
      // The whole JSON body has arrived once it parses.
      const sep = received.indexOf('\r\n\r\n');
      if (sep >= 0) {
        try {
          JSON.parse(received.slice(sep + 4));
          done();
        } catch {
          /* wait for more */
        }
      }
    });
    socket.on('close', () => (answered ? done() : undefined));
    socket.on('error', () => (answered ? done() : undefined));
    socket.on('connect', async () => {
      socket.write(head);
      for (const chunk of body) {
        if (answered || socket.destroyed) break;
        const ok = socket.write(chunk);
        bytesSent += chunk.length;
        if (!ok) await new Promise((r) => socket.once('drain', r));
        // Give the server a moment to answer before sending more.
        await new Promise((r) => setImmediate(r));
      }
    });
  });
}
