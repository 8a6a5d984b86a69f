"""Commands of concurrent callers share one round trip; each caller gets its own replies
and its own errors."""

from __future__ import annotations

import asyncio

import pytest
from redis.exceptions import NoScriptError, ResponseError

from bot.redis_batch import RedisBatcher


async def test_callers_of_one_loop_turn_share_a_round_trip(redis) -> None:
    batcher = RedisBatcher(redis)

    async def caller(n: int) -> list:
        return await batcher.run(lambda pipe: (pipe.set(f"k{n}", n), pipe.get(f"k{n}")))

    replies = await asyncio.gather(*(caller(n) for n in range(10)))
    assert replies == [["OK", str(n)] for n in range(10)]  # raw replies
    assert (batcher.calls, batcher.round_trips) == (10, 1)
    assert await batcher.run(lambda pipe: pipe.mget("k3", "k9")) == [["3", "9"]]
    assert batcher.round_trips == 2


async def test_a_caller_gets_only_its_own_error(redis) -> None:
    batcher = RedisBatcher(redis)
    await redis.set("text", "abc")

    def good(pipe) -> None:
        pipe.set("a", "1")
        pipe.zadd("z", {"m": 1})
        pipe.incr("a")

    def bad(pipe) -> None:
        pipe.set("b", "1")
        pipe.incr("text")  # fails when run
        pipe.execute_command("SET", "c")  # wrong arity

    results = await asyncio.gather(batcher.run(good), batcher.run(bad), return_exceptions=True)
    assert results[0] == ["OK", 1, 2]
    assert isinstance(results[1], ResponseError) and "not an integer" in str(results[1])
    assert await redis.mget("a", "b", "c") == ["2", "1", None]
    assert batcher.round_trips == 1


async def test_a_staging_that_raises_sends_nothing_of_its_own(redis) -> None:
    batcher = RedisBatcher(redis)

    def broken(pipe) -> None:
        pipe.set("e", "1")
        raise ValueError("bad input")

    async def other() -> list:
        await asyncio.sleep(0)  # stages after the broken one, in the same loop turn
        return await batcher.run(lambda pipe: pipe.set("f", "1"))

    task = asyncio.create_task(other())
    with pytest.raises(ValueError):
        await batcher.run(broken)
    assert await task == ["OK"]
    assert await redis.mget("e", "f") == [None, "1"]


async def test_an_unknown_script_is_raised_as_noscript(redis) -> None:
    batcher = RedisBatcher(redis)
    with pytest.raises(NoScriptError):
        await batcher.run(lambda pipe: (pipe.set("g", "1"), pipe.evalsha("0" * 40, 0)))
    assert await redis.get("g") == "1"  # the rest ran: callers re-send what failed
