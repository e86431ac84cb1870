/** Runs the Lua scripts of `lua.ts` by their SHA, loading one the first time the server lacks it. */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { CLAIM_SUBMIT, EXPIRE_JOBS, FORGET_PERSON, INDEX_JOBS, INSERT_JOB, UPDATE_JOB } from './lua.js';

interface Script {
  lua: string;
  sha: string;
}

function script(lua: string): Script {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

const SCRIPTS = {
  insert: script(INSERT_JOB),
  claim: script(CLAIM_SUBMIT),
  update: script(UPDATE_JOB),
  expire: script(EXPIRE_JOBS),
  forget: script(FORGET_PERSON),
  index: script(INDEX_JOBS),
};

export type ScriptName = keyof typeof SCRIPTS;

/**
 * EVALSHA, falling back to EVAL when the server answers NOSCRIPT (after SCRIPT FLUSH or a
 * restart), as ioredis' defineCommand does. Every script gets the key prefix as ARGV[1].
 */
export async function runScript(redis: Redis, prefix: string, name: ScriptName, args: Array<string | Buffer>): Promise<unknown> {
  const s = SCRIPTS[name];
  try {
    return await redis.evalsha(s.sha, 0, prefix, ...args);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('NOSCRIPT')) return redis.eval(s.lua, 0, prefix, ...args);
    throw err;
  }
}
