import type { PlaygroundContext } from '../context.js';
import type { PlaygroundHandler } from '../guard.js';
import { sendError } from '../http-util.js';

/** GET /static/*: the page's script, style and icon, from the fixed in-memory list. */
export function createStaticHandler(ctx: PlaygroundContext): PlaygroundHandler {
  return (_req, res, url) => {
    const name = url.pathname.slice('/static/'.length);
    const asset = name === 'index.html' ? undefined : ctx.assets.get(name);
    if (asset === undefined) {
      sendError(res, 404, 'NOT_FOUND', 'No such file.');
      return;
    }
    res.writeHead(200, {
      'Content-Type': asset.contentType,
      'Content-Length': asset.body.length,
      'Content-Security-Policy': "default-src 'none'",
    });
    res.end(asset.body);
  };
}
