"""The Redis commands of concurrent inbound messages, sent together.

A round trip costs the bot more CPU than the commands in it (a write, a wake-up and a read per
trip), and dozens of messages are in flight at once. Whatever they stage during one turn of the
event loop leaves in one pipelined write and comes back in one read. Each caller's commands stay
together and in order, an `atomic` caller's commands run as one MULTI/EXEC block, and an error
in one caller's replies is raised to that caller only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline


@dataclass
class _Caller:
    start: int
    end: int
    atomic: bool
    reply: asyncio.Future[list[Any]]


class RedisBatcher:
    def __init__(self, redis: Redis) -> None:
        # The replies come back raw: inside MULTI every command answers QUEUED, which the
        # client's reply parsers (ZADD's int(), ...) cannot read.
        self._raw = Redis(connection_pool=redis.connection_pool)
        self._raw.response_callbacks = {}
        self._pipe: Pipeline | None = None
        self._callers: list[_Caller] = []
        self._sending: set[asyncio.Task[None]] = set()
        self.round_trips = 0
        self.calls = 0

    async def run(self, stage: Callable[[Pipeline], None], *, atomic: bool = False) -> list[Any]:
        """Queue commands with `stage(pipe)` and return their raw replies in order (for
        `atomic`, EXEC's replies). Raises the first error among them."""
        if self._pipe is None:
            self._pipe = self._raw.pipeline(transaction=False)
            # call_soon runs after everything already ready in this turn has staged its part.
            asyncio.get_running_loop().call_soon(self._send)
        pipe = self._pipe
        start = len(pipe)
        try:
            if atomic:
                pipe.execute_command("MULTI")
            stage(pipe)
            if atomic:
                pipe.execute_command("EXEC")
        except BaseException:  # nothing of a failed staging goes out (a MULTI without EXEC
            del pipe.command_stack[start:]  # would swallow the next caller's commands)
            raise
        reply: asyncio.Future[list[Any]] = asyncio.get_running_loop().create_future()
        self._callers.append(_Caller(start, len(pipe), atomic, reply))
        self.calls += 1
        return await reply

    def _send(self) -> None:
        pipe, callers = self._pipe, self._callers
        self._pipe, self._callers = None, []
        assert pipe is not None
        task = asyncio.create_task(self._execute(pipe, callers))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _execute(self, pipe: Pipeline, callers: list[_Caller]) -> None:
        try:
            replies = await pipe.execute(raise_on_error=False)
        except asyncio.CancelledError:
            for caller in callers:
                caller.reply.cancel()
            raise
        except Exception as exc:  # the connection failed: so did every caller's commands
            for caller in callers:
                if not caller.reply.done():
                    caller.reply.set_exception(exc)
            return
        self.round_trips += 1
        for caller in callers:
            if caller.reply.done():  # the caller was cancelled; its commands ran anyway
                continue
            mine = replies[caller.start:caller.end]
            if caller.atomic:
                mine = _exec_reply(mine)
            error = next((item for item in mine if isinstance(item, Exception)), None)
            if error is not None:
                caller.reply.set_exception(error)
            else:
                caller.reply.set_result(mine)


def _exec_reply(block: list[Any]) -> list[Any]:
    """EXEC's replies from a MULTI ... EXEC block's; a command refused while queueing aborts
    the block (EXECABORT), and its error is the one worth raising."""
    *queued, executed = block
    if isinstance(executed, Exception):
        refused = [item for item in queued if isinstance(item, Exception)]
        return [refused[0] if refused else executed]
    return list(executed)
