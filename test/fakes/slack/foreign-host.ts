/**
 * A second loopback server standing for "somewhere that is not Slack" (an external file host,
 * a redirect target). It records every request's Authorization header so tests can prove the
 * bot token never arrives here.
 */
import { createServer } from 'node:http';
import { close, listen } from './http-util.js';

interface ForeignRequest {
  path: string;
  authorization: string | undefined;
}

export interface ForeignHost {
  readonly url: string;
  readonly requests: ForeignRequest[];
  /** Serves `bytes` at `path`; returns the full URL. */
  serve(path: string, bytes: Uint8Array, contentType?: string): string;
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createForeignHost(): ForeignHost {
  const files = new Map<string, { bytes: Uint8Array; type: string }>();
  const requests: ForeignRequest[] = [];
  let url = '';
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ path, authorization: req.headers['authorization'] });
    const f = files.get(path);
    if (f === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': f.type, 'content-length': f.bytes.byteLength });
    res.end(Buffer.from(f.bytes));
  });
  return {
    get url() {
      return url;
    },
    requests,
    serve(path, bytes, contentType = 'application/octet-stream') {
      files.set(path, { bytes, type: contentType });
      return `${url}${path}`;
    },
    async start() {
      url = await listen(server);
    },
    close: () => close(server),
  };
}
