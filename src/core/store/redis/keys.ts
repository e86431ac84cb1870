/**
 * The Redis store's key layout (every key starts with the deployment's `prefix`). The Lua
 * scripts (`lua.ts`) build the same keys from the prefix by themselves.
 *
 *   job:{id}                   HASH  one field per JobRecord field (see codec.ts), plus `seq`
 *                                    (insertion counter) and `claimOwner` (who claimed the slot)
 *   media:{id}                 HASH  image, imageType, audio, audioType, audioSeconds (binary safe)
 *   seq                        STRING insertion counter (ties between equal createdAt)
 *   waiting                    ZSET  queued jobs with no slot claimed (score createdAt)
 *   unfinished                 ZSET  queued, submitted, or final but not delivered (score createdAt)
 *   active                     HASH  slot counters: total, p:{platform}:{requesterId}, g:{platform}:{groupId}
 *   jobs                       ZSET  every job (score createdAt): what retention looks through
 *   jobs:indexed               STRING '1' once every job stored before `jobs` existed is in it
 *   byreq:{platform}:{req}     ZSET  every job of a person (score createdAt)
 *   bygrp:{platform}:{group}   ZSET  jobs created in a group (score createdAt), last 2 days
 *   states                     HASH  {platform}|{state} -> count
 *   face:{platform}:{userId}   STRING the person's saved face (binary)
 *   voice:{platform}:{userId}  STRING the person's chosen voice id
 *   consent:{platform}:{userId} STRING when the person confirmed they may use a face (ms, decimal)
 *   dedupe:{key}               STRING set with NX PX
 *   kv                         HASH  small values (Values)
 *   secrets                    HASH  the sealed installations (named before it said what it
 *                                    keeps; kept so that deployments need no rename)
 * Sorted-set members are `{seq, 16 digits}:{id}`, so equal scores keep insertion order.
 */
export function redisKeys(prefix: string) {
  return {
    job: (id: string) => `${prefix}job:${id}`,
    media: (id: string) => `${prefix}media:${id}`,
    waiting: `${prefix}waiting`,
    jobs: `${prefix}jobs`,
    indexVersion: `${prefix}jobs:indexed`,
    unfinished: `${prefix}unfinished`,
    active: `${prefix}active`,
    byRequester: (platform: string, requesterId: string) => `${prefix}byreq:${platform}:${requesterId}`,
    byGroup: (platform: string, groupId: string) => `${prefix}bygrp:${platform}:${groupId}`,
    states: `${prefix}states`,
    face: (platform: string, userId: string) => `${prefix}face:${platform}:${userId}`,
    voice: (platform: string, userId: string) => `${prefix}voice:${platform}:${userId}`,
    consent: (platform: string, userId: string) => `${prefix}consent:${platform}:${userId}`,
    dedupe: (key: string) => `${prefix}dedupe:${key}`,
    values: `${prefix}kv`,
    installations: `${prefix}secrets`,
  };
}
