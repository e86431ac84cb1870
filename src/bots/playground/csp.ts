/**
 * The page's Content-Security-Policy (given to helmet): everything from this server only. The
 * one exception is `media-src`, because the finished video is played straight from where the
 * avatar service stores it: the local preview server's file URLs are on another loopback port
 * of 127.0.0.1, and the real service's file host is only known once a job finishes (so any
 * https origin, for media only). No IPv6 literal: CSP's host grammar has none, and Chromium
 * reports `http://[::1]:*` as an invalid source.
 */
export function pageCspDirectives(preview: boolean): Record<string, string[]> {
  const media = preview
    ? ["'self'", 'blob:', 'http://127.0.0.1:*', 'http://localhost:*']
    : ["'self'", 'blob:', 'https:', 'http://127.0.0.1:*', 'http://localhost:*'];
  return {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'blob:', 'data:'],
    mediaSrc: media,
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
  };
}

/** The policy of the static files themselves: they load nothing (an SVG opened alone runs nothing). */
export const ASSET_CSP_DIRECTIVES: Record<string, string[]> = { defaultSrc: ["'none'"] };
