import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The only files the playground serves (the page is served at `/`, never under /static/). */
export const STATIC_FILES: ReadonlySet<string> = new Set([
  'app.js',
  'delete.js',
  'dom.js',
  'tabs.js',
  'thread.js',
  'typing.js',
  'voice-note.js',
  'style.css',
  'favicon.svg',
]);

/**
 * Where the static folder is. Next to this module when running from src (tsx, vitest);
 * `tsc` does not copy non-TypeScript files, so from dist/bots/playground fall back to the
 * source folder. Checked once at start-up, so a broken install fails early.
 */
export function staticDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [join(here, 'static'), join(here, '..', '..', '..', 'src', 'bots', 'playground', 'static')];
  for (const dir of candidates) if (existsSync(join(dir, 'index.html'))) return dir;
  throw new Error(`playground static files not found (looked in ${candidates.join(', ')})`);
}
