/**
 * Where media work writes its temporary files (a voice note before ffmpeg reads it, a video
 * being tagged or burned). Each pool of media workers has its own folder,
 * `<tmp>/talking-avatar-media-<pid>-<started>-<random>`, and removes it when it stops: a worker
 * thread ended mid-job (stop, a crash) never runs its own clean-up, and those files are people's
 * voices. A process that was killed cannot remove its folder, so a new pool removes the folders
 * of processes that are gone: another pid that no longer runs, or this pid with another start
 * time (a container restarts its one process under the same pid).
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

const PREFIX = 'talking-avatar-media-';
/** `<PREFIX><pid>-<started>-<random>`, as createScratchDir names them. */
const NAME = new RegExp(`^${PREFIX}(\\d+)-(\\d+)-[0-9a-f]+$`);
/** Two readings of this process's start time differ by clock rounding, never by this much. */
const SAME_START_MS = 5_000;

function processStartedAt(): number {
  return Math.round(Date.now() - process.uptime() * 1000);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A new scratch folder for one pool (created now). */
export function createScratchDir(base: string = tmpdir()): string {
  const dir = join(base, `${PREFIX}${process.pid}-${processStartedAt()}-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Removes a pool's scratch folder and everything left in it. */
export function removeScratchDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Removes the scratch folders of processes that are gone; returns how many. */
export function sweepStaleScratch(base: string = tmpdir()): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return 0;
  }
  const startedAt = processStartedAt();
  for (const name of names) {
    const m = NAME.exec(name);
    if (m === null) continue;
    const pid = Number(m[1]);
    const started = Number(m[2]);
    const ours = pid === process.pid && Math.abs(started - startedAt) < SAME_START_MS;
    if (ours || (pid !== process.pid && isRunning(pid))) continue;
    removeScratchDir(join(base, name));
    removed += 1;
  }
  return removed;
}
