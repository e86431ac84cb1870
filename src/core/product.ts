/**
 * The bot's name and version, as the videos it hands over name their maker. The version comes
 * from package.json, two folders up from here in the sources (src/core) and in the build
 * (dist/core) alike; unreadable (a copy without it), the name alone is used.
 */
import { readFileSync } from 'node:fs';

export const PRODUCT = 'talking-avatar-bot';

function readVersion(): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' && pkg.version !== '' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

/** `talking-avatar-bot 0.1.0`, or the name alone when the version is unknown. */
export const PRODUCT_WITH_VERSION: string = ((v) => (v === undefined ? PRODUCT : `${PRODUCT} ${v}`))(readVersion());
