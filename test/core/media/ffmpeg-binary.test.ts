import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { logFfmpegChoice, parseFfmpegVersion, resolveFfmpeg } from '../../../src/core/media/ffmpeg-binary.js';
import { endedByLimit, limitedCommand } from '../../../src/core/media/ffmpeg-limits.js';
import { bundledFfmpegPath, testFfmpeg } from '../../helpers/ffmpeg.js';

const dir = mkdtempSync(join(tmpdir(), 'ffmpeg-binary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A folder holding an `ffmpeg` that only prints the given banner (a stand-in for a system's build). */
function pathWithFakeFfmpeg(name: string, banner: string): string {
  const folder = join(dir, name);
  const script = join(folder, 'ffmpeg');
  mkdirSync(folder, { recursive: true });
  writeFileSync(script, `#!/bin/sh\necho '${banner}'\n`);
  chmodSync(script, 0o755);
  return folder;
}

describe('parseFfmpegVersion', () => {
  it.each([
    ['ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers', '5.1.9-0+deb12u1', 5, 1],
    ['ffmpeg version n6.1.1 Copyright (c) 2000-2023', 'n6.1.1', 6, 1],
    ['ffmpeg version 4.4.2-0ubuntu0.22.04.1 Copyright', '4.4.2-0ubuntu0.22.04.1', 4, 4],
    // Snapshots name no release: never taken for a maintained one.
    ['ffmpeg version N-47683-g0e8eb07980-static https://johnvansickle.com/ffmpeg/', 'N-47683-g0e8eb07980-static', -1, -1],
  ])('%s', (banner, text, major, minor) => {
    expect(parseFfmpegVersion(banner)).toEqual({ text, major, minor });
  });

  it('is null for a program that is not ffmpeg', () => {
    expect(parseFfmpegVersion('ls (GNU coreutils) 9.1')).toBeNull();
  });
});

describe('resolveFfmpeg', () => {
  it('takes an ffmpeg 5.1 or later from PATH, with no warning', () => {
    const searchPath = pathWithFakeFfmpeg('new', 'ffmpeg version 6.1.1 Copyright (c) 2000-2023');
    const f = resolveFfmpeg({ searchPath, bundledPath: bundledFfmpegPath });
    expect(f).toMatchObject({ path: join(searchPath, 'ffmpeg'), version: '6.1.1', source: 'PATH', warning: undefined });
  });

  it('passes over an old ffmpeg on PATH for the bundled one, and says why in the warning', () => {
    const searchPath = pathWithFakeFfmpeg('old', 'ffmpeg version 4.4.2-0ubuntu0.22.04.1 Copyright');
    const f = resolveFfmpeg({ searchPath, bundledPath: bundledFfmpegPath });
    expect(f.source).toBe('bundled');
    expect(f.path).toBe(bundledFfmpegPath);
    expect(f.warning).toMatch(/bundled ffmpeg .*2018 snapshot/);
    expect(f.warning).toContain('the ffmpeg on PATH is 4.4.2-0ubuntu0.22.04.1, not a release 5.1 or later');
    expect(f.warning).toMatch(/install ffmpeg 5\.1 or later .* or set FFMPEG_PATH/);
  });

  it('falls back to the bundled one when PATH has no ffmpeg', () => {
    const f = resolveFfmpeg({ searchPath: join(dir, 'nothing-here'), bundledPath: bundledFfmpegPath });
    expect(f.source).toBe('bundled');
    expect(f.warning).toContain('no ffmpeg on PATH');
  });

  it('uses FFMPEG_PATH whatever its version, warning when it is not a maintained release', () => {
    const folder = pathWithFakeFfmpeg('configured-old', 'ffmpeg version 4.2.7 Copyright');
    const f = resolveFfmpeg({ configured: join(folder, 'ffmpeg'), searchPath: pathWithFakeFfmpeg('decoy', 'ffmpeg version 7.0') });
    expect(f).toMatchObject({ path: join(folder, 'ffmpeg'), source: 'FFMPEG_PATH', version: '4.2.7' });
    expect(f.warning).toMatch(/FFMPEG_PATH points at ffmpeg 4\.2\.7, not a release 5\.1 or later/);
  });

  it('refuses an FFMPEG_PATH that does not run ffmpeg, naming the variable', () => {
    expect(() => resolveFfmpeg({ configured: join(dir, 'no-such-ffmpeg') })).toThrow(
      /^FFMPEG_PATH=.*no-such-ffmpeg cannot be used as ffmpeg/,
    );
    expect(() => resolveFfmpeg({ configured: '/bin/true' })).toThrow(/does not print an ffmpeg version/);
  });

  it('refuses caps too small for the chosen ffmpeg to start, naming FFMPEG_MAX_MEMORY_MB', () => {
    expect(() => resolveFfmpeg({ configured: testFfmpeg.path, limits: { memoryBytes: 16 * 1024 * 1024, cpuSeconds: 0 } })).toThrow(
      /cannot start within FFMPEG_MAX_MEMORY_MB=16: raise it/,
    );
  });

  it('answers once per process: the second call runs nothing', () => {
    const opts = { searchPath: pathWithFakeFfmpeg('memo', 'ffmpeg version 6.0 Copyright'), bundledPath: bundledFfmpegPath };
    const first = resolveFfmpeg(opts);
    rmSync(join(opts.searchPath, 'ffmpeg'));
    expect(resolveFfmpeg(opts)).toBe(first);
  });
});

describe('the start-up line', () => {
  function logged(binary: ReturnType<typeof resolveFfmpeg>): Array<{ level: number; msg: string; version: string }> {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    logFfmpegChoice(pino({ level: 'info' }, sink), binary, { memoryBytes: 1024 * 1024 * 1024, cpuSeconds: 0 });
    return lines.map((l) => JSON.parse(l) as { level: number; msg: string; version: string });
  }

  it('is one info line naming the version and the caps for a maintained ffmpeg', () => {
    const f = resolveFfmpeg({ searchPath: pathWithFakeFfmpeg('log-new', 'ffmpeg version 7.1 Copyright'), bundledPath: bundledFfmpegPath });
    const lines = logged(f);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe(30);
    expect(lines[0]?.version).toBe('7.1');
    expect(lines[0]?.msg).toMatch(
      /^ffmpeg 7\.1 from PATH \(.*\); each run may use 1024 MB of address space and twice its time limit of CPU/,
    );
  });

  it('is one warning for the bundled snapshot', () => {
    const lines = logged(resolveFfmpeg({ searchPath: join(dir, 'none'), bundledPath: bundledFfmpegPath }));
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe(40);
    expect(lines[0]?.msg).toMatch(/from the bundled package .*2018 snapshot/);
  });
});

describe('the caps', () => {
  it('hold under the shell fallback too (hosts without prlimit)', () => {
    const cmd = limitedCommand(
      testFfmpeg.path,
      ['-hide_banner', '-version'],
      { memoryBytes: 16 * 1024 * 1024, cpuSeconds: 0 },
      10_000,
      'ulimit',
    );
    expect(cmd.via).toBe('ulimit');
    const tight = spawnSync(cmd.command, cmd.args, { encoding: 'utf8', timeout: 20_000 });
    expect(endedByLimit(tight.status, tight.signal, tight.stderr, { memoryBytes: 16 * 1024 * 1024, cpuSeconds: 0 })).toBe('memory');
    const roomy = limitedCommand(
      testFfmpeg.path,
      ['-hide_banner', '-version'],
      { memoryBytes: 1024 * 1024 * 1024, cpuSeconds: 0 },
      10_000,
      'ulimit',
    );
    const ok = spawnSync(roomy.command, roomy.args, { encoding: 'utf8', timeout: 20_000 });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^ffmpeg version /);
  });

  it('can start ffmpeg at a lower CPU priority, through either wrapper', () => {
    // A stand-in that prints the niceness it was started with (nice(1) without arguments).
    const folder = join(dir, 'nice');
    mkdirSync(folder, { recursive: true });
    const script = join(folder, 'ffmpeg');
    writeFileSync(script, '#!/bin/sh\nnice\n');
    chmodSync(script, 0o755);
    const limits = { memoryBytes: 1024 * 1024 * 1024, cpuSeconds: 0 };
    const nicenessVia = (via: 'prlimit' | 'ulimit', niceness: number): number => {
      const cmd = limitedCommand(script, [], limits, 10_000, via, niceness);
      return Number(spawnSync(cmd.command, cmd.args, { encoding: 'utf8', timeout: 20_000 }).stdout.trim());
    };
    for (const via of ['prlimit', 'ulimit'] as const) {
      expect(nicenessVia(via, 10) - nicenessVia(via, 0)).toBe(Math.min(10, 19 - nicenessVia(via, 0)));
    }
  });

  it('name the cause of a run that ended at one, and nothing else', () => {
    const none = { memoryBytes: 0, cpuSeconds: 0 };
    const capped = { memoryBytes: 1 << 30, cpuSeconds: 0 };
    expect(endedByLimit(null, 'SIGXCPU', '', none)).toBe('cpu');
    // ffmpeg catches SIGXCPU and stops on its own: still the CPU cap.
    expect(endedByLimit(255, null, 'Exiting normally, received signal 24.', none)).toBe('cpu');
    expect(endedByLimit(1, null, 'x264 [error]: malloc of size 16386 failed', none)).toBe('memory');
    expect(endedByLimit(127, null, 'error while loading shared libraries: libavcodec.so.59: failed to map segment', none)).toBe('memory');
    expect(endedByLimit(null, 'SIGSEGV', '', capped)).toBe('memory');
    expect(endedByLimit(null, 'SIGSEGV', '', none)).toBeNull();
    expect(endedByLimit(1, null, 'Invalid data found when processing input', capped)).toBeNull();
    expect(endedByLimit(0, null, '', capped)).toBeNull();
  });
});
