"""What one turn writes to Redis, as one atomic script call.

The message's receipt, the chat's context with its expiry marker and silence timers, and the
replies appended to the outbox (the outbox's own enqueue: each part once per key) go out as
one command on the round trip the messages in flight share. Packing and reading commands is
most of what Redis costs the bot; a MULTI block of the same writes was five to eight.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio.client import Pipeline
from redis.exceptions import NoScriptError

from bot.inbound import Receipt
from bot.outbox import ENQUEUE_LUA_FUNCTION
from bot.redis_batch import RedisBatcher
from conversations.context import ContextWrite

# KEYS: receipt, context, marker, timers, then each enqueue's keys.
# ARGV: receipt ttl ('' = none), context JSON ('' = leave it, '-' = delete it and its marker),
#       context ttl, marker ttl, the count of ZADD arguments, those score/member arguments,
#       then per enqueue: its key count, its argument count, its arguments.
_LUA = ENQUEUE_LUA_FUNCTION + """
local function slice(list, from, count)
  local part = {}
  for i = 1, count do part[i] = list[from + i - 1] end
  return part
end
if ARGV[1] ~= '' then redis.call('SET', KEYS[1], '1', 'EX', ARGV[1]) end
if ARGV[2] == '-' then
  redis.call('DEL', KEYS[2], KEYS[3])
elseif ARGV[2] ~= '' then
  redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
  redis.call('SET', KEYS[3], '1', 'EX', ARGV[4])
end
local pos = 6 + tonumber(ARGV[5])
if pos > 6 then redis.call('ZADD', KEYS[4], unpack(ARGV, 6, pos - 1)) end
local key = 5
while pos <= #ARGV do
  local key_count, arg_count = tonumber(ARGV[pos]), tonumber(ARGV[pos + 1])
  enqueue(slice(KEYS, key, key_count), slice(ARGV, pos + 2, arg_count))
  key, pos = key + key_count, pos + 2 + arg_count
end
return 'OK'
"""
_SHA = hashlib.sha1(_LUA.encode()).hexdigest()


@dataclass
class TurnWrites:
    receipt: Receipt | None = None
    context: ContextWrite | None = None
    timers_key: str = ""
    timers: dict[str, float] = field(default_factory=dict)  # member -> due (epoch seconds)
    enqueues: list[tuple[list[str], list[Any]]] = field(default_factory=list)  # keys, args

    async def run(self, batcher: RedisBatcher) -> None:
        try:
            await batcher.run(self._stage)
        except NoScriptError:  # nothing ran (Redis restarted without its scripts): load, again
            await batcher.run(lambda pipe: pipe.script_load(_LUA))
            await batcher.run(self._stage)

    def _stage(self, pipe: Pipeline) -> None:
        context = self.context
        keys: list[str] = [self.receipt.key if self.receipt else "",
                           context.key if context else "", context.marker_key if context else "",
                           self.timers_key]
        args: list[Any] = [self.receipt.seconds if self.receipt else ""]
        if context is None:
            args += ["", "", ""]
        else:
            args += ["-" if context.value is None else context.value, context.seconds,
                     context.marker_seconds]
        args.append(2 * len(self.timers))
        for member, due in self.timers.items():
            args += [due, member]
        for enqueue_keys, enqueue_args in self.enqueues:
            keys += enqueue_keys
            args += [len(enqueue_keys), len(enqueue_args), *enqueue_args]
        pipe.evalsha(_SHA, len(keys), *keys, *args)
        if self.receipt is not None:
            self.receipt.staged = True
