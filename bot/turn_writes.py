"""What one turn writes to Redis, as one atomic script call.

The message's receipt, the chat's context with its expiry marker and silence timers, and the
replies appended to the outbox (the outbox's own enqueue: each part once per key) go out as
one command on the round trip the messages in flight share. Packing and reading commands is
most of what Redis costs the bot; a MULTI block of the same writes was five to eight.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.chat_contexts import ContextWrite
from bot.inbound import Receipt
from bot.outbox import EncodedEnqueue, script_with_enqueue
from bot.redis_batch import RedisBatcher
from cicero.unreachable import RETRY_DELAYS, while_unreachable

# KEYS: receipt, context, marker, timers, then each enqueue's keys. ARGV[1]: the writes as one
# JSON array (one argument to pack instead of dozens): [receipt ttl (0: none), context JSON
# ('': leave it, '-': delete it and its marker), context ttl, marker ttl, ZADD's score/member
# arguments, [[key count, enqueue arguments], ...]].
_LUA = script_with_enqueue("""
local turn = cjson.decode(ARGV[1])
if turn[1] ~= 0 then redis.call('SET', KEYS[1], '1', 'EX', turn[1]) end
if turn[2] == '-' then
  redis.call('DEL', KEYS[2], KEYS[3])
elseif turn[2] ~= '' then
  redis.call('SET', KEYS[2], turn[2], 'EX', turn[3])
  redis.call('SET', KEYS[3], '1', 'EX', turn[4])
end
if #turn[5] > 0 then redis.call('ZADD', KEYS[4], unpack(turn[5])) end
local key = 5
for _, item in ipairs(turn[6]) do
  local keys = {}
  for i = 1, item[1] do keys[i] = KEYS[key + i - 1] end
  enqueue(keys, item[2])
  key = key + item[1]
end
return 'OK'
""")


@dataclass
class TurnWrites:
    receipt: Receipt | None = None
    context: ContextWrite | None = None
    timers_key: str = ""
    timers: dict[str, float] = field(default_factory=dict)  # member -> due (epoch seconds)
    enqueues: list[EncodedEnqueue] = field(default_factory=list)  # bot.outbox.encode_enqueue

    async def run(self, batcher: RedisBatcher, retry_delays: Sequence[float] = RETRY_DELAYS
                  ) -> None:
        """Commit; repeated while Redis is out of reach (every write is idempotent: SETs, a
        ZADD, enqueues deduplicated by key), so a Redis restart loses no reply."""
        await while_unreachable(lambda: self._run_once(batcher), retry_delays,
                                "turn_commit_retrying", receipt=self.receipt and self.receipt.key)

    async def _run_once(self, batcher: RedisBatcher) -> None:
        receipt, context = self.receipt, self.context
        keys = [receipt.key if receipt else "", context.key if context else "",
                context.marker_key if context else "", self.timers_key]
        timers = []
        for member, due in self.timers.items():
            timers += [repr(due), member]  # a string: JSON numbers reach Lua as doubles
        enqueues = []
        for enqueue_keys, enqueue_args in self.enqueues:
            keys += enqueue_keys
            enqueues.append([len(enqueue_keys), enqueue_args])
        turn = [receipt.seconds if receipt else 0,
                "" if context is None else "-" if context.value is None else context.value,
                context.seconds if context else 0, context.marker_seconds if context else 0,
                timers, enqueues]
        if receipt is not None:
            receipt.staged = True
        await batcher.run_script(_LUA, keys, [json.dumps(turn, ensure_ascii=False)])
