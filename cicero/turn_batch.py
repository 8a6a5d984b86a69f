"""Requests answered together: those of one turn of the event loop, and those made while the
previous round was out.

Dozens of inbound messages are in flight at once; what they ask for (Redis commands, identity
lookups) goes out as one round trip instead of one each. One round is out at a time: a quiet
moment sends at the end of the turn, a busy one gathers everything asked meanwhile into the
next round, so the rounds grow with the load instead of their number.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
R = TypeVar("R")

# Answers every key asked for (an Exception for a key is raised to its askers only); raising
# fails every ask of the round.
Answer = Callable[[list[K]], Awaitable[dict[K, R | Exception]]]


class TurnBatch(Generic[K, R]):
    def __init__(self, answer: Answer[K, R], *, timeout: float = 10.0) -> None:
        # A round that hangs (a silent connection) fails its askers after `timeout` seconds
        # instead of holding back every round after it.
        self._answer, self.timeout = answer, timeout
        self._asked: dict[K, list[asyncio.Future[R]]] | None = None
        self._running: set[asyncio.Task[None]] = set()
        self._out = False  # a round is out; what is asked meanwhile waits for its end
        self.rounds = 0

    def ask(self, key: K) -> asyncio.Future[R]:
        """The answer for `key`; the same key asked twice in one turn is answered once. Each
        asker has its own future: one that is cancelled spares the others."""
        loop = asyncio.get_running_loop()
        if self._asked is None:
            self._asked = {}
            if not self._out:
                # call_soon runs after everything already ready in this turn has asked.
                loop.call_soon(self._send)
        future = loop.create_future()
        self._asked.setdefault(key, []).append(future)
        return future

    def _send(self) -> None:
        asked, self._asked = self._asked or {}, None
        self._out = True
        task = asyncio.create_task(self._run(asked))
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def _run(self, asked: dict[K, list[asyncio.Future[R]]]) -> None:
        self.rounds += 1
        try:
            async with asyncio.timeout(self.timeout):
                answers = await self._answer(list(asked))
            for key, futures in asked.items():
                answer = answers[key]
                for future in futures:
                    if future.done():  # its asker was cancelled
                        continue
                    if isinstance(answer, Exception):
                        future.set_exception(answer)
                    else:
                        future.set_result(answer)
        except Exception as exc:
            for futures in asked.values():
                for future in futures:
                    if not future.done():
                        future.set_exception(exc)
        finally:  # cancelled (shutdown): nobody may wait forever
            for futures in asked.values():
                for future in futures:
                    if not future.done():
                        future.cancel()
            self._out = False
            if self._asked is not None:  # asked while this round was out
                asyncio.get_running_loop().call_soon(self._send)
