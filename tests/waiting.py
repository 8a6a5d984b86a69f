"""Waiting for a condition instead of sleeping a guessed time: `eventually()` polls until the
condition holds and fails after `within` seconds, naming what it waited for. The one helper
for every test that waits on another task, process or server."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")


async def eventually(check: Callable[[], T | Awaitable[T]],
                     what: str | Callable[[], str] = "the condition", *,
                     within: float = 10.0, every: float = 0.02) -> T:
    """What `check()` (a function or a coroutine function) returns once it is truthy. `what`
    names the condition in the failure (a function: said as things stand at the end)."""
    deadline = time.monotonic() + within
    while True:
        found: Any = check()
        if inspect.isawaitable(found):
            found = await found
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {within:g} s: {_said(what)}")
        await asyncio.sleep(every)


def eventually_blocking(check: Callable[[], T], what: str | Callable[[], str] = "the condition",
                        *,
                        within: float = 10.0, every: float = 0.1) -> T:
    """`eventually` for synchronous tests (subprocesses, servers in other processes)."""
    deadline = time.monotonic() + within
    while not (found := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {within:g} s: {_said(what)}")
        time.sleep(every)
    return found


def _said(what: str | Callable[[], str]) -> str:
    return what() if callable(what) else what
