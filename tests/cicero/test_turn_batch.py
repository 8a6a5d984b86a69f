"""What is asked during one event-loop turn is answered in one round, each asker on its own."""

from __future__ import annotations

import asyncio

import pytest

from cicero.turn_batch import TurnBatch
from tests.waiting import eventually


class _Squares:
    def __init__(self, gate: asyncio.Event | None = None) -> None:
        self.rounds: list[list[int]] = []
        self.gate = gate  # a round stays out until the gate opens

    async def __call__(self, keys: list[int]) -> dict[int, int | Exception]:
        self.rounds.append(keys)
        if self.gate is not None:
            await self.gate.wait()
        await asyncio.sleep(0.01)
        return {key: ValueError(f"negative {key}") if key < 0 else key * key for key in keys}


async def test_one_round_per_turn_one_answer_per_key() -> None:
    squares = _Squares()
    batch = TurnBatch(squares)
    answers = await asyncio.gather(*(batch.ask(n) for n in (2, 3, 2)))
    assert answers == [4, 9, 4]
    assert squares.rounds == [[2, 3]] and batch.rounds == 1
    assert await batch.ask(5) == 25 and squares.rounds[1] == [5]


async def test_an_error_goes_to_the_askers_of_its_key_only() -> None:
    batch = TurnBatch(_Squares())
    results = await asyncio.gather(batch.ask(-1), batch.ask(4), batch.ask(-1),
                                   return_exceptions=True)
    assert [type(r) for r in results] == [ValueError, int, ValueError] and results[1] == 16


async def test_a_cancelled_asker_spares_the_others_of_its_key() -> None:
    batch = TurnBatch(_Squares())

    async def ask(n: int) -> int:
        return await batch.ask(n)

    first, second = asyncio.create_task(ask(7)), asyncio.create_task(ask(7))
    await asyncio.sleep(0)  # both asked, the round is on its way
    first.cancel()
    assert await second == 49
    with pytest.raises(asyncio.CancelledError):
        await first


async def test_a_failing_round_fails_every_asker() -> None:
    async def broken(keys: list[int]) -> dict[int, int | Exception]:
        raise ConnectionError("down")

    batch = TurnBatch(broken)
    results = await asyncio.gather(batch.ask(1), batch.ask(2), return_exceptions=True)
    assert all(isinstance(r, ConnectionError) for r in results)


async def test_what_is_asked_while_a_round_is_out_goes_in_the_next_one() -> None:
    gate = asyncio.Event()
    squares = _Squares(gate)
    batch = TurnBatch(squares)
    first = asyncio.ensure_future(batch.ask(1))
    await eventually(lambda: squares.rounds == [[1]], "the first round is out")
    later = [asyncio.ensure_future(batch.ask(2))]
    await asyncio.sleep(0)  # another turn, the same round still out (held by the gate)
    later.append(asyncio.ensure_future(batch.ask(3)))
    await asyncio.sleep(0)
    assert squares.rounds == [[1]]
    gate.set()
    assert await asyncio.gather(first, *later) == [1, 4, 9]
    assert squares.rounds == [[1], [2, 3]]


async def test_a_round_that_hangs_fails_its_askers_and_the_next_round_goes_out() -> None:
    hang = asyncio.Event()

    rounds: list[list[int]] = []

    async def answer(keys: list[int]) -> dict[int, int | Exception]:
        rounds.append(keys)
        if 0 in keys:
            await hang.wait()  # a connection that never answers
        return {key: key for key in keys}

    batch = TurnBatch(answer, timeout=0.5)
    stuck = asyncio.ensure_future(batch.ask(0))
    await eventually(lambda: rounds == [[0]], "the round that hangs is out")
    waiting = asyncio.ensure_future(batch.ask(5))  # behind the stuck round
    with pytest.raises(TimeoutError):
        await stuck
    assert await waiting == 5
    assert rounds == [[0], [5]]
