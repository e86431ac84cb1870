import type { PlaygroundHandler } from '../guard.js';

/** GET /: the page. A `?token=` is swapped for its cookie and dropped from the address bar. */
export function createPageHandler(): PlaygroundHandler {
  return (request, reply) => {
    if (new URL(request.url, 'http://localhost').searchParams.has('token')) return reply.code(303).header('location', '/').send();
    return reply.sendFile('index.html');
  };
}
