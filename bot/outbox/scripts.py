"""The outbox's Lua scripts. Every one is run as a registered script (`Redis.register_script`:
by its SHA, loaded when Redis does not know it); a script that enqueues among other writes (the
turn commit, bot/turn_writes.py) is built with `script_with_enqueue` and run the same way."""

from __future__ import annotations

# One enqueue. keys: stream, then one dedup key per part. args: ttl, then per part: n, n
# field/value items. Returns the stream ids added.
_ENQUEUE_FUNCTION = """
local function enqueue(keys, args)
  local ids, pos = {}, 2
  for i = 2, #keys do
    local n = tonumber(args[pos])
    local fields = {}
    for j = 1, n do fields[j] = args[pos + j] end
    pos = pos + n + 1
    if redis.call('SET', keys[i], '1', 'NX', 'EX', args[1]) then
      ids[#ids + 1] = redis.call('XADD', keys[1], '*', unpack(fields))
    end
  end
  return ids
end
"""


def script_with_enqueue(body: str) -> str:
    """A script whose `body` may call `enqueue(keys, args)` with the keys and arguments of an
    `EncodedEnqueue` (bot.outbox.encode_enqueue), so other writes and enqueues are atomic."""
    return _ENQUEUE_FUNCTION + body


ENQUEUE = script_with_enqueue("return enqueue(KEYS, ARGV)\n")

# Renew the lease (reset idle time) of the entries a live consumer holds; report those it lost.
HEARTBEAT = """
local held, lost = {KEYS[1], ARGV[1], ARGV[2], '0'}, {}
for i = 3, #ARGV do
  local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
  if p[1] and p[1][2] == ARGV[2] then held[#held + 1] = ARGV[i] else lost[#lost + 1] = ARGV[i] end
end
if #held > 4 then
  held[#held + 1] = 'JUSTID'
  redis.call('XCLAIM', unpack(held))
end
return lost
"""

# Forget a consumer only if it owns nothing (checked atomically).
PRUNE = """
if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) == 0 then
  return redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
end
return -1
"""
