/**
 * A file host on 127.0.0.1 standing in for the service's storage: serves one video (or fails,
 * or serves something too big) at a link a scripted status answer points to, and counts the
 * downloads, so tests see how often the bot fetched a video.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeAvatarServer } from '../fakes/avatar/index.js';

export interface VideoHost {
  url: string;
  /** GET requests received. */
  fetches(): number;
  close(): Promise<void>;
}

/** `serve`: the bytes to answer with, or a status to fail with (a 3xx redirects to another path here). */
export async function startVideoHost(serve: Uint8Array | number): Promise<VideoHost> {
  let fetches = 0;
  const server = createServer((_req, res) => {
    fetches += 1;
    if (typeof serve === 'number') {
      const elsewhere = serve >= 300 && serve < 400 ? { Location: '/elsewhere/video.mp4' } : {};
      res.writeHead(serve, { 'Content-Type': 'text/plain', ...elsewhere }).end('no');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(serve.byteLength) }).end(serve);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/signed/video.mp4`,
    fetches: () => fetches,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The next status poll answers COMPLETED with this link (and length). */
export function completeWith(mock: FakeAvatarServer, fileUrl: string, seconds: number): void {
  mock.failNext('status', {
    kind: 'answer',
    body: (taskId) => ({ data: { task_id: taskId, status: 'COMPLETED', file_url: fileUrl, output_duration: seconds } }),
  });
}
