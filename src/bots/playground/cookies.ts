/** Minimal cookie reading and writing (no dependency; only the playground's own cookies). */

/** Parses a Cookie header into a map; later duplicates do not override the first value. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (header === undefined) return out;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!out.has(name)) {
      try {
        out.set(name, decodeURIComponent(value));
      } catch {
        // A malformed escape: ignore this cookie rather than fail the request.
      }
    }
  }
  return out;
}

/**
 * A Set-Cookie value that JavaScript cannot read (HttpOnly) and that no other site can make
 * the browser send (SameSite=Strict), which is the playground's CSRF protection.
 */
export function serializeCookie(name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict`;
}
