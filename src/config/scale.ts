/** Scale-out: the process's role and the Redis that replicas share. */
import { z } from 'zod';
import { ROLES, type CoreConfig } from '../core/config.js';
import { int, num, optionalString, type EnvOf } from './env-values.js';

export const scaleEnv = {
  ROLE: z.enum(ROLES).default('all'),
  REDIS_URL: optionalString.refine((v) => v === undefined || /^rediss?:\/\/[^\s]+$/.test(v), {
    message: 'must be a redis:// or rediss:// URL',
  }),
  WORKER_CONCURRENCY: int(1, 1000, 50),
  WORKER_LOCK_SECONDS: num(1, 600, 30),
  AVATAR_RATE_LIMIT_PER_SECOND: num(0, 10000, 0),
};

type ScaleEnv = EnvOf<typeof scaleEnv> & { AVATAR_API_URL: string | undefined; AVATAR_API_KEY: string | undefined };

export function scaleProblems(e: ScaleEnv): string[] {
  const problems: string[] = [];
  if (e.ROLE !== 'all' && e.REDIS_URL === undefined) {
    problems.push(`REDIS_URL: required when ROLE=${e.ROLE} (replicas share jobs through Redis)`);
  }
  if (e.ROLE !== 'all' && e.AVATAR_API_URL === undefined && e.AVATAR_API_KEY === undefined) {
    // The local preview server lives inside one process: a task polled by another replica would not exist there.
    problems.push(`AVATAR_API_URL: required when ROLE=${e.ROLE} (the built-in preview server only serves one process)`);
  }
  return problems;
}

export function scaleSection(e: EnvOf<typeof scaleEnv>): Pick<CoreConfig, 'role' | 'redis'> {
  return {
    role: e.ROLE,
    redis:
      e.REDIS_URL === undefined
        ? undefined
        : {
            url: e.REDIS_URL,
            concurrency: e.WORKER_CONCURRENCY,
            lockMs: Math.round(e.WORKER_LOCK_SECONDS * 1000),
            apiRatePerSecond: e.AVATAR_RATE_LIMIT_PER_SECOND,
          },
  };
}
