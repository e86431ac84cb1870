import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { expect, test } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const importsOf = (src: string): string[] =>
  [...src.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2] ?? '');

test('src/core imports no chat platform, no adapter and no HTTP layer', () => {
  const core = files('src/core');
  expect(core.length).toBeGreaterThan(10);
  const offending: string[] = [];
  for (const f of core) {
    for (const spec of importsOf(readFileSync(f, 'utf8'))) {
      if (
        /^(discord\.js|@discordjs\/|@slack\/)/.test(spec) ||
        /(^|\/)bots(\/|$)/.test(spec) ||
        /(^|\/)http\//.test(spec) ||
        /preview-avatar/.test(spec)
      ) {
        offending.push(`${f} -> ${spec}`);
      }
    }
  }
  expect(offending).toEqual([]);
});

test('adapters do not import each other', () => {
  const offending: string[] = [];
  for (const bot of ['discord', 'slack', 'playground']) {
    let list: string[] = [];
    try {
      list = files(join('src/bots', bot));
    } catch {
      continue;
    }
    for (const f of list) {
      for (const spec of importsOf(readFileSync(f, 'utf8'))) {
        for (const other of ['discord', 'slack', 'playground'].filter((o) => o !== bot)) {
          if (spec.includes(`/${other}/`) || spec === `../${other}` || spec.includes(`bots/${other}`)) offending.push(`${f} -> ${spec}`);
        }
      }
    }
  }
  expect(offending).toEqual([]);
});

test('only src/config/index.ts reads process.env', () => {
  const offending = files('src').filter((f) => f !== join('src', 'config', 'index.ts') && /process\.env/.test(readFileSync(f, 'utf8')));
  expect(offending).toEqual([]);
});

test('the core owns its configuration: nothing in src/core imports src/config', () => {
  const offending: string[] = [];
  for (const f of files('src/core')) {
    for (const spec of importsOf(readFileSync(f, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = relative('src', resolve(dirname(f), spec));
      if (target === 'config.js' || target.startsWith(`config${sep}`)) offending.push(`${f} -> ${spec}`);
    }
  }
  expect(offending).toEqual([]);
});
