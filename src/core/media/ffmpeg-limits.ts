/**
 * Resource caps of every ffmpeg child, on top of the wall-clock cap: address space and CPU
 * time. ffmpeg parses files strangers send; a decoder bug that allocates without end or spins
 * must hit a wall of its own before it starves the host. Applied with util-linux `prlimit`
 * when it is installed, else with the shell's `ulimit`.
 */
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

/** The full path of an executable found on `searchPath` (PATH's format), or undefined. */
export function findExecutable(name: string, searchPath: string | undefined = process.env.PATH): string | undefined {
  if (isAbsolute(name)) return isExecutable(name) ? name : undefined;
  for (const dir of (searchPath ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
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
  if (prlimitPath === undefined)
    prlimitPath = findExecutable('prlimit', `/usr/bin${delimiter}/bin${delimiter}${process.env.PATH ?? ''}`) ?? null;
  return prlimitPath ?? undefined;
}

/** The CPU seconds a run may use: the configured cap, or twice its wall-clock cap (two busy threads). */
export function cpuSecondsFor(limits: FfmpegLimits, wallMs: number): number {
  return limits.cpuSeconds > 0 ? limits.cpuSeconds : Math.max(1, Math.ceil((2 * wallMs) / 1000));
}

/** How a limited run is started: the program, its arguments and its environment. */
export interface LimitedCommand {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Which tool applies the caps, for the start-up log and doctor. */
  via: 'prlimit' | 'ulimit' | 'none';
}

/**
 * Wraps `ffmpeg args` so the kernel enforces the caps. Both wrappers exec ffmpeg in place, so
 * the child's pid is ffmpeg's own and the wall-clock kill still reaches it. `via` picks the
 * wrapper (tests cover the shell's on hosts that have prlimit).
 */
export function limitedCommand(
  ffmpegPath: string,
  args: string[],
  limits: FfmpegLimits,
  wallMs: number,
  via: 'prlimit' | 'ulimit' | undefined = undefined,
): LimitedCommand {
  if (process.platform === 'win32') return { command: ffmpegPath, args, env: process.env, via: 'none' };
  const cpu = cpuSecondsFor(limits, wallMs);
  // An address-space cap counts reservations, not use: glibc reserves 64 MiB per thread arena,
  // so a many-core host would hit the cap with little memory in use. Two arenas are plenty.
  const env = limits.memoryBytes > 0 ? { ...process.env, MALLOC_ARENA_MAX: '2' } : process.env;
  const tool = via === 'ulimit' ? undefined : prlimit();
  if (tool !== undefined) {
    const as = limits.memoryBytes > 0 ? [`--as=${limits.memoryBytes}`] : [];
    // Soft and hard the same: the kernel sends SIGKILL. ffmpeg catches SIGXCPU (a soft cap's
    // signal) to stop gracefully, which would make the cause an ordinary failed exit.
    return { command: tool, args: [...as, `--cpu=${cpu}`, '--', ffmpegPath, ...args], env, via: 'prlimit' };
  }
  const vmem = limits.memoryBytes > 0 ? `ulimit -v ${Math.floor(limits.memoryBytes / 1024)} && ` : '';
  return { command: '/bin/sh', args: ['-c', `${vmem}ulimit -t ${cpu} && exec "$0" "$@"`, ffmpegPath, ...args], env, via: 'ulimit' };
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
