/**
 * The Lua scripts behind the Redis job store's atomic operations (see `keys.ts` for the key
 * layout). Redis runs a script as one command: nothing else touches the keys between its checks
 * and its writes, so the quotas, the queue length and the concurrency caps stay exact across
 * every replica sharing the server.
 *
 * Every script gets the key prefix as ARGV[1] and builds its keys from it (the keys of a job's
 * person, group and platform are only known once the job hash is read). That is fine on one
 * Redis server (or a primary with replicas / Sentinel); it is not Redis Cluster-safe.
 *
 * The derived indexes (waiting, unfinished, active counters, per-state counts) are always
 * recomputed from the job's fields: `index(job, -1)` before a change and `index(job, 1)` after
 * it, so they follow SQLite's definitions (which are queries over the same fields) exactly:
 *   waiting     state = queued and no submitStartedAt
 *   unfinished  state in (queued, submitted) or not delivered
 *   holds slot  state = submitted, or state = queued with submitStartedAt
 */

const PRELUDE = `
local P = ARGV[1]
local FINAL = { completed = true, failed = true, timed_out = true, canceled = true }
local IDX = { 'id', 'seq', 'state', 'submitStartedAt', 'delivered', 'platform', 'requesterId', 'groupId', 'createdAt', 'claimOwner' }

local function jobKey(id) return P .. 'job:' .. id end

-- The fields the indexes depend on; nil when the job does not exist.
local function load(id)
  local v = redis.call('HMGET', jobKey(id), unpack(IDX))
  if not v[1] then return nil end
  local j = {}
  for i = 1, #IDX do
    if v[i] then j[IDX[i]] = v[i] end
  end
  return j
end

-- Sorted-set member: a zero-padded insertion counter, then the id. Members with the same score
-- (createdAt) sort by it, i.e. in insertion order (SQLite: ORDER BY created_at, rowid).
local function member(j) return string.format('%016d', tonumber(j.seq)) .. ':' .. j.id end

local function holdsSlot(j) return j.state == 'submitted' or (j.state == 'queued' and j.submitStartedAt ~= nil) end
local function isWaiting(j) return j.state == 'queued' and j.submitStartedAt == nil end
local function isUnfinished(j) return j.state == 'queued' or j.state == 'submitted' or j.delivered ~= '1' end

local function counterFields(j)
  local f = { 'total', 'p:' .. j.platform .. ':' .. j.requesterId }
  if j.groupId ~= '' then f[#f + 1] = 'g:' .. j.platform .. ':' .. j.groupId end
  return f
end

-- HINCRBY that never leaves a zero or negative count behind (the field is dropped instead).
local function bump(key, field, by)
  local n = redis.call('HINCRBY', key, field, by)
  if n <= 0 then redis.call('HDEL', key, field) end
end

-- Adds (sign 1) or removes (sign -1) a job's entries in the derived indexes.
local function index(j, sign)
  local m = member(j)
  if sign > 0 then
    if isWaiting(j) then redis.call('ZADD', P .. 'waiting', j.createdAt, m) end
    if isUnfinished(j) then redis.call('ZADD', P .. 'unfinished', j.createdAt, m) end
  else
    redis.call('ZREM', P .. 'waiting', m)
    redis.call('ZREM', P .. 'unfinished', m)
  end
  if holdsSlot(j) then
    for _, f in ipairs(counterFields(j)) do bump(P .. 'active', f, sign) end
  end
  bump(P .. 'states', j.platform .. '|' .. j.state, sign)
end

local function reqKey(j) return P .. 'byreq:' .. j.platform .. ':' .. j.requesterId end
local function grpKey(j) return P .. 'bygrp:' .. j.platform .. ':' .. j.groupId end

-- The per-person and per-group creation logs (quotas, listForRequester).
local function owners(j, sign)
  local m = member(j)
  if sign > 0 then
    redis.call('ZADD', reqKey(j), j.createdAt, m)
    if j.groupId ~= '' then redis.call('ZADD', grpKey(j), j.createdAt, m) end
  else
    redis.call('ZREM', reqKey(j), m)
    if j.groupId ~= '' then redis.call('ZREM', grpKey(j), m) end
  end
end

-- Deletes a job, its media and its entries in every index. Returns 1 when media was kept.
local function drop(j)
  index(j, -1)
  owners(j, -1)
  redis.call('ZREM', P .. 'jobs', member(j))
  redis.call('DEL', jobKey(j.id))
  return redis.call('DEL', P .. 'media:' .. j.id)
end
`;

/**
 * ARGV: prefix, id, dayStart, quotaPerPerson, quotaPerGroup, queueMax, trimBefore,
 * image, imageType, audio, audioType, audioSeconds, then the job hash as field/value pairs.
 * Returns 'ok' | 'PERSON_QUOTA' | 'GROUP_QUOTA' | 'QUEUE_FULL'; an error when the id exists.
 * Stores the job and its media only: saving the person's face is a separate call.
 */
export const INSERT_JOB = `${PRELUDE}
local id = ARGV[2]
local f = {}
for i = 13, #ARGV, 2 do f[ARGV[i]] = ARGV[i + 1] end
local probe = { platform = f.platform, requesterId = f.requesterId, groupId = f.groupId }
local qp, qg, qmax = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
-- The insert rules, mirroring decideInsert() in ../insert-rules.ts (same checks, same order);
-- a count is only read when its rule applies.
if qp > 0 and redis.call('ZCOUNT', reqKey(probe), ARGV[3], '+inf') >= qp then return 'PERSON_QUOTA' end
if qg > 0 and probe.groupId ~= '' and redis.call('ZCOUNT', grpKey(probe), ARGV[3], '+inf') >= qg then return 'GROUP_QUOTA' end
if redis.call('ZCARD', P .. 'waiting') >= qmax then return 'QUEUE_FULL' end
if redis.call('EXISTS', jobKey(id)) == 1 then return redis.error_reply('ERR job ' .. id .. ' already exists') end
local seq = redis.call('INCR', P .. 'seq')
local args = {}
for i = 13, #ARGV do args[#args + 1] = ARGV[i] end
args[#args + 1] = 'seq'
args[#args + 1] = tostring(seq)
redis.call('HSET', jobKey(id), unpack(args))
redis.call('HSET', P .. 'media:' .. id,
  'image', ARGV[8], 'imageType', ARGV[9], 'audio', ARGV[10], 'audioType', ARGV[11], 'audioSeconds', ARGV[12])
local j = load(id)
index(j, 1)
owners(j, 1)
redis.call('ZADD', P .. 'jobs', j.createdAt, member(j))
-- Keep the group log small: group quotas only look back one day. The person's log keeps every
-- job they have (forgetPerson finds them there); retention bounds it.
if j.groupId ~= '' then redis.call('ZREMRANGEBYSCORE', grpKey(j), '-inf', '(' .. ARGV[7]) end
return 'ok'
`;

/**
 * ARGV: prefix, id, inFlight, perPerson, perGroup, now, owner.
 * Returns 'ok' | 'mine' | 'wait' | 'full' | 'gone'.
 */
export const CLAIM_SUBMIT = `${PRELUDE}
local j = load(ARGV[2])
if j == nil or j.state ~= 'queued' then return 'gone' end
if j.submitStartedAt ~= nil then
  if j.claimOwner == ARGV[7] then return 'mine' end
  return 'gone'
end
local A = P .. 'active'
local function count(field) return tonumber(redis.call('HGET', A, field) or '0') end
if count('total') >= tonumber(ARGV[3]) then return 'full' end
if count('p:' .. j.platform .. ':' .. j.requesterId) >= tonumber(ARGV[4]) then return 'wait' end
if j.groupId ~= '' and count('g:' .. j.platform .. ':' .. j.groupId) >= tonumber(ARGV[5]) then return 'wait' end
index(j, -1)
redis.call('HSET', jobKey(j.id), 'submitStartedAt', ARGV[6], 'claimOwner', ARGV[7], 'updatedAt', ARGV[6])
index(load(j.id), 1)
return 'ok'
`;

/**
 * ARGV: prefix, id, hasExpect ('1'/'0'), expectState, newState ('' when the patch has none),
 * n (how many ARGV entries of field/value pairs follow), the pairs, then the fields to clear.
 * Returns the job hash (HGETALL) after the change, or nil when the job is missing or a guard failed.
 */
export const UPDATE_JOB = `${PRELUDE}
local id = ARGV[2]
local old = load(id)
if old == nil then return false end
local ns = ARGV[5]
-- A final state is final, whatever the caller expected: a late poll cannot undo a cancel.
if ns ~= '' and not FINAL[ns] and FINAL[old.state] then return false end
if ARGV[3] == '1' and old.state ~= ARGV[4] then return false end
local n = tonumber(ARGV[6])
local set, del = {}, {}
for i = 7, 6 + n do set[#set + 1] = ARGV[i] end
for i = 7 + n, #ARGV do del[#del + 1] = ARGV[i] end
index(old, -1)
if #set > 0 then redis.call('HSET', jobKey(id), unpack(set)) end
if #del > 0 then redis.call('HDEL', jobKey(id), unpack(del)) end
local new = load(id)
index(new, 1)
if old.platform ~= new.platform or old.requesterId ~= new.requesterId or old.groupId ~= new.groupId then
  owners(old, -1)
  owners(new, 1)
end
return redis.call('HGETALL', jobKey(id))
`;

/**
 * ARGV: prefix, before, then members of the `jobs` log. Deletes each job created before
 * `before` that is final and delivered; a member whose job is gone leaves the log.
 * Returns { deleted, kept } (kept: members left in place, still unfinished).
 */
export const EXPIRE_JOBS = `${PRELUDE}
local before = tonumber(ARGV[2])
local deleted, kept = 0, 0
for i = 3, #ARGV do
  local m = ARGV[i]
  local j = load(string.sub(m, 18))
  if j == nil then
    redis.call('ZREM', P .. 'jobs', m)
  elseif tonumber(j.createdAt) < before and FINAL[j.state] and j.delivered == '1' then
    drop(j)
    deleted = deleted + 1
  else
    kept = kept + 1
  end
end
return { deleted, kept }
`;

/**
 * ARGV: prefix, platform, requesterId. Deletes every job of the person (their creation log
 * holds them all), the jobs' media and the saved face. Returns { jobs, media, face (0/1) }.
 */
export const FORGET_PERSON = `${PRELUDE}
local probe = { platform = ARGV[2], requesterId = ARGV[3] }
local jobs, media = 0, 0
for _, m in ipairs(redis.call('ZRANGE', reqKey(probe), 0, -1)) do
  local j = load(string.sub(m, 18))
  if j ~= nil and j.platform == probe.platform and j.requesterId == probe.requesterId then
    media = media + drop(j)
    jobs = jobs + 1
  end
end
redis.call('DEL', reqKey(probe))
local face = redis.call('DEL', P .. 'face:' .. probe.platform .. ':' .. probe.requesterId)
return { jobs, media, face }
`;

/**
 * ARGV: prefix, then job ids. Enters jobs stored before the `jobs` log existed (and before the
 * person's log kept more than two days) into both; a job already there is left as it is.
 */
export const INDEX_JOBS = `${PRELUDE}
local n = 0
for i = 2, #ARGV do
  local j = load(ARGV[i])
  if j ~= nil then
    redis.call('ZADD', P .. 'jobs', j.createdAt, member(j))
    redis.call('ZADD', reqKey(j), j.createdAt, member(j))
    n = n + 1
  end
end
return n
`;
