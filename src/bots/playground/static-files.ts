import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** A page asset held in memory. */
export interface Asset {
  body: Buffer;
  contentType: string;
}

/** The only files the playground serves: a fixed list, so no request path reaches the disk. */
const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/**
 * Where the static folder is. Next to this module when running from src (tsx, vitest);
 * `tsc` does not copy non-TypeScript files, so from dist/bots/playground fall back to the
 * source folder.
 */
function staticDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [join(here, 'static'), join(here, '..', '..', '..', 'src', 'bots', 'playground', 'static')];
  for (const dir of candidates) if (existsSync(join(dir, 'index.html'))) return dir;
  throw new Error(`playground static files not found (looked in ${candidates.join(', ')})`);
}

/** Loads every asset once at start-up. */
export function loadAssets(dir: string = staticDir()): Map<string, Asset> {
  const out = new Map<string, Asset>();
  for (const [name, contentType] of Object.entries(FILES)) {
    out.set(name, { body: readFileSync(join(dir, name)), contentType });
  }
  return out;
}
