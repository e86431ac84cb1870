/**
 * The page's Content-Security-Policy: everything from this server only. The one exception is
 * `media-src`, because the finished video is played straight from where the avatar service
 * stores it: the local preview server's file URLs are on another loopback port, and the real
 * service's file host is only known once a job finishes (so any https origin, for media only).
 */
export function buildCsp(preview: boolean): string {
  const media = preview
    ? "'self' blob: http://127.0.0.1:* http://localhost:* http://[::1]:*"
    : "'self' blob: https: http://127.0.0.1:* http://localhost:*";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    `media-src ${media}`,
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
