/**
 * Which ffmpeg parses strangers' files. The bundled one (@ffmpeg-installer) is a 2018 snapshot
 * with years of decoder fixes missing, so a maintained build comes first: FFMPEG_PATH when set,
 * else an `ffmpeg` on PATH of version 5.1 or later, else the bundled one with a warning.
 * Resolved once per process; the core, the CLI, doctor and the preview server all use the answer.
 */
import { execFileSync } from 'node:child_process';
import bundled from '@ffmpeg-installer/ffmpeg';
import type { Logger } from 'pino';
import { cpuSecondsFor, defaultFfmpegLimits, endedByLimit, type FfmpegLimits, findExecutable, limitedCommand } from './ffmpeg-limits.js';

/** The oldest release taken from PATH: Debian 12's, still patched for security. */
const MIN_VERSION = { major: 5, minor: 1 };
const PROBE_TIMEOUT_MS = 10_000;

export interface FfmpegBinary {
  path: string;
  /** The version ffmpeg reports, e.g. "5.1.9-0+deb12u1" (a snapshot reports its date). */
  version: string;
  source: 'FFMPEG_PATH' | 'PATH' | 'bundled';
  /** Set when this ffmpeg is not a maintained one: why, in words for the operator. */
  warning: string | undefined;
  /** Which tool applies the memory and CPU caps (prlimit or the shell's ulimit). */
  limitedBy: 'prlimit' | 'ulimit' | 'none';
}

export interface ResolveFfmpegOptions {
  /** FFMPEG_PATH: used whatever its version (the operator chose it), or start-up fails. */
  configured?: string | undefined;
  /** The caps every run gets: the chosen ffmpeg must start under them. */
  limits?: FfmpegLimits;
  /** Where to look for `ffmpeg` (PATH's format). Default: the PATH this process inherited. */
  searchPath?: string | undefined;
  /** Default: the @ffmpeg-installer binary. */
  bundledPath?: string;
}

/** `ffmpeg version 5.1.9-0+deb12u1 Copyright ...` gives "5.1.9-0+deb12u1"; null when not ffmpeg's banner. */
export function parseFfmpegVersion(banner: string): { text: string; major: number; minor: number } | null {
  const m = /^ffmpeg version (\S+)/m.exec(banner);
  if (m?.[1] === undefined) return null;
  // Release builds say "5.1.9-…" or "n6.1.1"; git and dated snapshots ("N-1234-g…", "20181210-g…") name no release.
  const release = /^n?(\d+)\.(\d+)/.exec(m[1]);
  return { text: m[1], major: Number(release?.[1] ?? -1), minor: Number(release?.[2] ?? -1) };
}

function isMaintained(v: { major: number; minor: number }): boolean {
  return v.major > MIN_VERSION.major || (v.major === MIN_VERSION.major && v.minor >= MIN_VERSION.minor);
}

/** Runs `path -version` (under `limits` when given); its banner, or the reason it failed. */
function probe(path: string, limits?: FfmpegLimits): { banner: string } | { failed: string } {
  const run = limits === undefined ? { command: path, args: ['-version'] } : limitedCommand(path, ['-version'], limits, PROBE_TIMEOUT_MS);
  try {
    const out = execFileSync(run.command, run.args, { timeout: PROBE_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
    return { banner: out.toString('utf8') };
  } catch (err) {
    const e = err as { status?: number | null; signal?: NodeJS.Signals | null; stderr?: Buffer; message?: string };
    const stderr = e.stderr?.toString('utf8').trim() ?? '';
    if (limits !== undefined && endedByLimit(e.status ?? null, e.signal ?? null, stderr, limits) !== null) return { failed: 'limit' };
    return { failed: stderr.split('\n').at(-1) || (e.message ?? String(err)) };
  }
}

const resolved = new Map<string, FfmpegBinary>();

/**
 * Chooses the ffmpeg (see the module comment) and checks it starts under the caps. Throws, with
 * a sentence for the operator, when FFMPEG_PATH does not run ffmpeg or the caps are too tight
 * for it to start: every voice note would be refused otherwise. Memoised per options.
 */
export function resolveFfmpeg(options: ResolveFfmpegOptions = {}): FfmpegBinary {
  const limits = options.limits ?? defaultFfmpegLimits;
  const key = JSON.stringify([options.configured, limits, options.searchPath, options.bundledPath]);
  let found = resolved.get(key);
  if (found === undefined) {
    found = choose(options, limits);
    resolved.set(key, found);
  }
  return found;
}

function choose(options: ResolveFfmpegOptions, limits: FfmpegLimits): FfmpegBinary {
  const via = limitedCommand('ffmpeg', [], limits, PROBE_TIMEOUT_MS).via;
  if (options.configured !== undefined) {
    const result = probe(options.configured);
    const version = 'banner' in result ? parseFfmpegVersion(result.banner) : null;
    if (version === null) {
      const why = 'failed' in result ? result.failed : 'it does not print an ffmpeg version';
      throw new Error(`FFMPEG_PATH=${options.configured} cannot be used as ffmpeg: ${why}`);
    }
    const warning = isMaintained(version)
      ? undefined
      : `FFMPEG_PATH points at ffmpeg ${version.text}, not a release 5.1 or later: use a maintained one`;
    return checked({ path: options.configured, version: version.text, source: 'FFMPEG_PATH', warning, limitedBy: via }, limits);
  }
  let skipped = 'no ffmpeg on PATH';
  const onPath = findExecutable('ffmpeg', options.searchPath);
  if (onPath !== undefined) {
    const result = probe(onPath);
    const version = 'banner' in result ? parseFfmpegVersion(result.banner) : null;
    if (version !== null && isMaintained(version)) {
      return checked({ path: onPath, version: version.text, source: 'PATH', warning: undefined, limitedBy: via }, limits);
    }
    skipped = version === null ? `${onPath} does not run as ffmpeg` : `the ffmpeg on PATH is ${version.text}, not a release 5.1 or later`;
  }
  const path = options.bundledPath ?? bundled.path;
  const result = probe(path);
  const version = 'banner' in result ? (parseFfmpegVersion(result.banner)?.text ?? 'unknown') : 'unknown';
  const warning =
    `using the bundled ffmpeg ${version}, a 2018 snapshot without years of decoder fixes (${skipped}): ` +
    'install ffmpeg 5.1 or later (apt-get install ffmpeg) or set FFMPEG_PATH';
  return checked({ path, version, source: 'bundled', warning, limitedBy: via }, limits);
}

/** The chosen ffmpeg must start under the caps: an address-space cap below its libraries' size stops every run. */
function checked(binary: FfmpegBinary, limits: FfmpegLimits): FfmpegBinary {
  if (binary.limitedBy === 'none') return binary;
  const result = probe(binary.path, limits);
  if ('banner' in result) return binary;
  const mb = Math.round(limits.memoryBytes / (1024 * 1024));
  if (result.failed === 'limit') {
    throw new Error(
      `ffmpeg (${binary.path}) cannot start within FFMPEG_MAX_MEMORY_MB=${mb}: raise it (1024 is the default) or set 0 for no cap`,
    );
  }
  const cpu = cpuSecondsFor(limits, PROBE_TIMEOUT_MS);
  throw new Error(
    `ffmpeg (${binary.path}) does not start under its caps (${mb} MB, ${cpu} s CPU via ${binary.limitedBy}): ${result.failed}`,
  );
}

/** One line for the operator: which ffmpeg, where from, and the caps of each run. */
export function describeFfmpeg(binary: FfmpegBinary, limits: FfmpegLimits): string {
  const from = binary.source === 'FFMPEG_PATH' ? 'FFMPEG_PATH' : binary.source === 'PATH' ? 'PATH' : 'the bundled package';
  if (binary.limitedBy === 'none') return `ffmpeg ${binary.version} from ${from} (${binary.path}); no memory or CPU caps on this platform`;
  const memory = limits.memoryBytes > 0 ? `${Math.round(limits.memoryBytes / (1024 * 1024))} MB of address space` : 'no memory cap';
  const cpu = limits.cpuSeconds > 0 ? `${limits.cpuSeconds} s of CPU` : 'twice its time limit of CPU';
  return `ffmpeg ${binary.version} from ${from} (${binary.path}); each run may use ${memory} and ${cpu} (${binary.limitedBy})`;
}

/** The start-up line: info for a maintained ffmpeg, a warning (with why) for the bundled snapshot or an old one. */
export function logFfmpegChoice(logger: Logger, binary: FfmpegBinary, limits: FfmpegLimits): void {
  const fields = { ffmpeg: binary.path, version: binary.version, source: binary.source, limitedBy: binary.limitedBy };
  if (binary.warning === undefined) logger.info(fields, describeFfmpeg(binary, limits));
  else logger.warn(fields, `${describeFfmpeg(binary, limits)}: ${binary.warning}`);
}
