import type { PlaygroundContext } from '../context.js';
import { buildCsp } from '../csp.js';
import type { PlaygroundHandler } from '../guard.js';
import { sendError } from '../http-util.js';

/** GET /: the page. A `?token=` is swapped for its cookie and dropped from the address bar. */
export function createPageHandler(ctx: PlaygroundContext): PlaygroundHandler {
  return (_req, res, url) => {
    if (url.searchParams.has('token')) {
      res.writeHead(303, { Location: '/' });
      res.end();
      return;
    }
    const asset = ctx.assets.get('index.html');
    if (asset === undefined) {
      sendError(res, 500, 'INTERNAL', 'The playground page is missing.');
      return;
    }
    res.writeHead(200, {
      'Content-Type': asset.contentType,
      'Content-Length': asset.body.length,
      'Content-Security-Policy': buildCsp(ctx.core.preview),
    });
    res.end(asset.body);
  };
}
