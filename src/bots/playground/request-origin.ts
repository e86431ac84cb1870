import type { FastifyRequest } from 'fastify';

function hostnameOf(host: string): string {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return '';
  }
}

/** Loopback names a browser on this machine uses. */
function isLoopbackHost(hostHeader: string | undefined): boolean {
  if (hostHeader === undefined) return false;
  const name = hostnameOf(hostHeader);
  return name === 'localhost' || name === '[::1]' || /^127(\.\d{1,3}){3}$/.test(name);
}

/**
 * Without a token the playground trusts "this machine", so the Host must be a loopback name:
 * that defeats DNS rebinding (a web site whose name resolves to 127.0.0.1).
 */
export function hostAllowed(request: FastifyRequest, tokenRequired: boolean): boolean {
  return tokenRequired || isLoopbackHost(request.headers.host);
}

/**
 * A state-changing request sent by a browser carries Origin: it must be this server's own.
 * (The SameSite=Strict cookies already stay home; this also stops another site from making a
 * fresh, cookieless browser start jobs.)
 */
export function originAllowed(request: FastifyRequest): boolean {
  const method = request.method.toUpperCase();
  if (method === 'GET' || method === 'HEAD') return true;
  const origin = request.headers.origin;
  if (origin === undefined) return true; // not a browser form/fetch (curl, tests with Bearer)
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
