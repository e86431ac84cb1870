import type { PlaygroundHandler } from '../guard.js';
import { sendError } from '../http-util.js';
import { STATIC_FILES } from '../static-dir.js';

/** GET /static/:name: the page's script, style and icon, from a fixed list (no other path reaches the disk). */
export function createStaticHandler(): PlaygroundHandler {
  return (request, reply) => {
    const name = (request.params as { name?: string }).name ?? '';
    if (!STATIC_FILES.has(name)) return sendError(reply, 404, 'NOT_FOUND', 'No such file.');
    return reply.sendFile(name);
  };
}
