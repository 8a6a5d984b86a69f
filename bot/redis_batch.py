"""The Redis commands of concurrent inbound messages, sent together.

A round trip costs the bot more CPU than the commands in it (a write, a wake-up and a read per
trip), and dozens of messages are in flight at once. Whatever they stage during one turn of the
event loop (`TurnBatch`) leaves in one pipelined write and comes back in one read. Each caller's
commands stay together and in order (a caller that needs them atomic sends one script), and an
error in one caller's replies is raised to that caller only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.exceptions import NoScriptError

from cicero.turn_batch import TurnBatch


@dataclass(eq=False)  # each call is its own key
class _Call:
    stage: Callable[[Pipeline], None]


class RedisBatcher:
    def __init__(self, redis: Redis) -> None:
        # The replies come back raw: parsing them into Python types is work nobody needs.
        self._raw = Redis(connection_pool=redis.connection_pool)
        self._raw.response_callbacks = {}
        self._batch: TurnBatch[_Call, list[Any]] = TurnBatch(self._execute)
        self.calls = 0

    @property
    def round_trips(self) -> int:
        return self._batch.rounds

    async def run(self, stage: Callable[[Pipeline], None]) -> list[Any]:
        """Queue commands with `stage(pipe)` and return their raw replies in order. Raises
        the first error among them, or what `stage` raised (then none of its commands is
        sent)."""
        self.calls += 1
        return await self._batch.ask(_Call(stage))

    async def run_script(self, source: str, keys: Sequence[str], args: Sequence[Any]) -> Any:
        """Run a Lua script by its SHA on the shared round trip and return its raw reply. When
        Redis does not know it (first use, or Redis restarted) nothing ran: it is loaded and
        the call is sent again."""
        sha = _sha(source)
        try:
            [reply] = await self.run(lambda pipe: pipe.evalsha(sha, len(keys), *keys, *args))
        except NoScriptError:
            await self.run(lambda pipe: pipe.script_load(source))
            [reply] = await self.run(lambda pipe: pipe.evalsha(sha, len(keys), *keys, *args))
        return reply

    async def _execute(self, calls: list[_Call]) -> dict[_Call, list[Any] | Exception]:
        pipe = self._raw.pipeline(transaction=False)
        answers: dict[_Call, list[Any] | Exception] = {}
        spans: dict[_Call, tuple[int, int]] = {}
        for call in calls:
            start = len(pipe)
            try:
                call.stage(pipe)
            except Exception as exc:  # nothing of a failed staging goes out
                del pipe.command_stack[start:]
                answers[call] = exc
                continue
            spans[call] = (start, len(pipe))
        replies = await pipe.execute(raise_on_error=False)
        for call, (start, end) in spans.items():
            mine = replies[start:end]
            answers[call] = next((item for item in mine if isinstance(item, Exception)), mine)
        return answers


@lru_cache(maxsize=64)
def _sha(source: str) -> str:
    return hashlib.sha1(source.encode()).hexdigest()
