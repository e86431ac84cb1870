/**
 * Resource caps of every ffmpeg child, on top of the wall-clock cap: address space and CPU
 * time. ffmpeg parses files strangers send; a decoder bug that allocates without end or spins
 * must hit a wall of its own before it starves the host. Applied with util-linux `prlimit`
 * when it is installed, else with the shell's `ulimit`.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export interface FfmpegLimits {
  /** Address space of each ffmpeg child, in bytes; 0: no cap. */
  memoryBytes: number;
  /** CPU time of each child (all its threads), in seconds; 0: twice the run's wall-clock cap. */
  cpuSeconds: number;
}

const MB = 1024 * 1024;

/**
 * 1 GiB of address space: Debian's ffmpeg 5.1 maps about 260 MB of libraries before it reads a
 * byte, and rendering the local preview (x264) peaks near 650 MB on two cores. A file that needs
 * more than that to decode a voice note is hostile or broken.
 */
export const defaultFfmpegLimits: FfmpegLimits = Object.freeze({ memoryBytes: 1024 * MB, cpuSeconds: 0 });

/**
 * The full path of an executable found on `searchPath` (PATH's format), or, without one, on the
 * PATH this process inherited (asked of the shell: only the configuration reads the environment).
 */
export function findExecutable(name: string, searchPath?: string): string | undefined {
  if (isAbsolute(name)) return isExecutable(name) ? name : undefined;
  if (searchPath === undefined) return onInheritedPath(name);
  for (const dir of searchPath.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function onInheritedPath(name: string): string | undefined {
  if (process.platform === 'win32') return undefined;
  try {
    const found = execFileSync('/bin/sh', ['-c', 'command -v "$0"', name], {
      encoding: 'utf8',
      timeout: 5000,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return isAbsolute(found) && isExecutable(found) ? found : undefined;
  } catch {
    return undefined;
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

let prlimitPath: string | null | undefined;
/** Looked up once: it does not come and go while the process runs. */
function prlimit(): string | undefined {
  prlimitPath ??= findExecutable('prlimit', `/usr/bin${delimiter}/bin`) ?? findExecutable('prlimit') ?? null;
  return prlimitPath ?? undefined;
}

/** The CPU seconds a run may use: the configured cap, or twice its wall-clock cap (two busy threads). */
export function cpuSecondsFor(limits: FfmpegLimits, wallMs: number): number {
  return limits.cpuSeconds > 0 ? limits.cpuSeconds : Math.max(1, Math.ceil((2 * wallMs) / 1000));
}

/** How a limited run is started: the program and its arguments (it inherits this process's environment). */
export interface LimitedCommand {
  command: string;
  args: string[];
  /** Which tool applies the caps, for the start-up log and doctor. */
  via: 'prlimit' | 'ulimit' | 'none';
}

let nicePath: string | null | undefined;
function niceTool(): string | undefined {
  nicePath ??= findExecutable('nice', `/usr/bin${delimiter}/bin`) ?? null;
  return nicePath ?? undefined;
}

/**
 * Wraps `ffmpeg args` so the kernel enforces the caps. The wrappers exec ffmpeg in place, so
 * the child's pid is ffmpeg's own and the wall-clock kill still reaches it. `via` picks the
 * wrapper (tests cover the shell's on hosts that have prlimit). `niceness` > 0 starts ffmpeg at
 * a lower CPU priority (nice(1), which also execs in place): long work such as burning captions
 * then yields the cores to the bot's own thread, whose acks must not wait behind it.
 */
export function limitedCommand(
  ffmpegPath: string,
  args: string[],
  limits: FfmpegLimits,
  wallMs: number,
  via: 'prlimit' | 'ulimit' | undefined = undefined,
  niceness = 0,
): LimitedCommand {
  if (process.platform === 'win32') return { command: ffmpegPath, args, via: 'none' };
  const cpu = cpuSecondsFor(limits, wallMs);
  // An address-space cap counts reservations, not use: glibc reserves 64 MiB per thread arena,
  // so a many-core host would hit the cap with little memory in use. Two arenas are plenty.
  const arenas = limits.memoryBytes > 0 ? 'MALLOC_ARENA_MAX=2' : undefined;
  const nice = niceness > 0 ? niceTool() : undefined;
  const tool = via === 'ulimit' ? undefined : prlimit();
  if (tool !== undefined) {
    const as = limits.memoryBytes > 0 ? [`--as=${limits.memoryBytes}`] : [];
    // env(1) execs in place too. Soft and hard CPU caps are the same, so the kernel sends
    // SIGKILL: ffmpeg catches SIGXCPU (a soft cap's signal) and stops as if it merely failed.
    const lower = nice === undefined ? [] : [nice, '-n', String(Math.round(niceness))];
    const run = arenas === undefined ? [...lower, ffmpegPath] : [...lower, '/usr/bin/env', arenas, ffmpegPath];
    return { command: tool, args: [...as, `--cpu=${cpu}`, '--', ...run, ...args], via: 'prlimit' };
  }
  const vmem = limits.memoryBytes > 0 ? `ulimit -v ${Math.floor(limits.memoryBytes / 1024)} && ` : '';
  const lower = nice === undefined ? '' : `"${nice}" -n ${Math.round(niceness)} `;
  const script = `${vmem}ulimit -t ${cpu} && ${arenas === undefined ? '' : `export ${arenas} && `}exec ${lower}"$0" "$@"`;
  return { command: '/bin/sh', args: ['-c', script, ffmpegPath, ...args], via: 'ulimit' };
}

/** Lines ffmpeg (or the loader before it) prints when an allocation fails. */
const OUT_OF_MEMORY = /cannot allocate memory|malloc of size \d+ failed|out of memory|failed to map segment|bad_alloc/i;

/** Signals of a program that dereferenced an allocation that failed. */
const CRASH_SIGNALS: ReadonlySet<string> = new Set(['SIGSEGV', 'SIGBUS', 'SIGABRT']);

/**
 * Which cap ended a run that failed on its own (not killed by us), if any: a SIGKILL nobody here
 * sent (the CPU cap, or the kernel's OOM killer), SIGXCPU (caught or not), an allocation
 * failure, or a crash under an address-space cap (builds that do not check every allocation;
 * a decoder crash on a hostile file reads the same, and is refused the same way).
 */
export function endedByLimit(
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
  limits: FfmpegLimits,
): 'cpu' | 'memory' | null {
  if ((code !== 0 || signal !== null) && OUT_OF_MEMORY.test(stderr)) return 'memory';
  if (signal === 'SIGXCPU' || signal === 'SIGKILL' || /received signal 24\b/.test(stderr)) return 'cpu';
  if (signal !== null && limits.memoryBytes > 0 && CRASH_SIGNALS.has(signal)) return 'memory';
  return null;
}
