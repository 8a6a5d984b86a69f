"""The Redis commands of concurrent inbound messages, sent together.

A round trip costs the bot more CPU than the commands in it (a write, a wake-up and a read per
trip), and dozens of messages are in flight at once. Whatever they stage during one turn of the
event loop (`TurnBatch`) leaves in one pipelined write and comes back in one read. Each caller's
commands stay together and in order, an `atomic` caller's commands run as one MULTI/EXEC block,
and an error in one caller's replies is raised to that caller only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from cicero.turn_batch import TurnBatch


@dataclass(eq=False)  # each call is its own key
class _Call:
    stage: Callable[[Pipeline], None]
    atomic: bool


class RedisBatcher:
    def __init__(self, redis: Redis) -> None:
        # The replies come back raw: inside MULTI every command answers QUEUED, which the
        # client's reply parsers (ZADD's int(), ...) cannot read.
        self._raw = Redis(connection_pool=redis.connection_pool)
        self._raw.response_callbacks = {}
        self._batch: TurnBatch[_Call, list[Any]] = TurnBatch(self._execute)
        self.calls = 0

    @property
    def round_trips(self) -> int:
        return self._batch.rounds

    async def run(self, stage: Callable[[Pipeline], None], *, atomic: bool = False) -> list[Any]:
        """Queue commands with `stage(pipe)` and return their raw replies in order (for
        `atomic`, EXEC's replies). Raises the first error among them, or what `stage`
        raised (then none of its commands is sent)."""
        self.calls += 1
        return await self._batch.ask(_Call(stage, atomic))

    async def _execute(self, calls: list[_Call]) -> dict[_Call, list[Any] | Exception]:
        pipe = self._raw.pipeline(transaction=False)
        answers: dict[_Call, list[Any] | Exception] = {}
        spans: dict[_Call, tuple[int, int]] = {}
        for call in calls:
            start = len(pipe)
            try:
                if call.atomic:
                    pipe.execute_command("MULTI")
                call.stage(pipe)
                if call.atomic:
                    pipe.execute_command("EXEC")
            except Exception as exc:  # nothing of a failed staging goes out (a MULTI without
                del pipe.command_stack[start:]  # EXEC would swallow the next call's commands)
                answers[call] = exc
                continue
            spans[call] = (start, len(pipe))
        replies = await pipe.execute(raise_on_error=False)
        for call, (start, end) in spans.items():
            mine = replies[start:end]
            if call.atomic:
                mine = _exec_reply(mine)
            answers[call] = next((item for item in mine if isinstance(item, Exception)), mine)
        return answers


def _exec_reply(block: list[Any]) -> list[Any]:
    """EXEC's replies from a MULTI ... EXEC block's; a command refused while queueing aborts
    the block (EXECABORT), and its error is the one worth raising."""
    *queued, executed = block
    if isinstance(executed, Exception):
        refused = [item for item in queued if isinstance(item, Exception)]
        return [refused[0] if refused else executed]
    return list(executed)
