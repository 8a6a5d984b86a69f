"""Every console × every kind of sender × random input (numbers in and out of range, words,
emoji, `batal`/`kembali`/`0`/`menu` at every depth): nothing raises, every message is
answered, nobody reads another client's people, and a refused sender writes nothing."""

from __future__ import annotations

import random

import pytest

from cicero.sandbox_bot import said
from conversations.console.flow import Console
from conversations.routing import default_registry
from menus import conversation as texts
from tests.conversations.conftest import (
    ADMIN,
    BUDI,
    DASHBOARD_OPERATOR,
    DIRECTORATE_SUPER,
    DIRECTORATE_USER,
    NEW,
    OPERATOR,
)

CONSOLES = [entry for entry in default_registry().entries if isinstance(entry, Console)]
SENDERS = {"stranger": NEW, "officer": BUDI, "operator": OPERATOR, "admin": ADMIN,
           "directorate": DIRECTORATE_USER, "dashboard-operator": DASHBOARD_OPERATOR,
           "directorate-super": DIRECTORATE_SUPER}
WORDS = ["0", "1", "2", "3", "4", "5", "9", "10", "11", "20", "21", "99", "-1", "1.5", "ya",
         "tidak", "batal", "kembali", "menu", "halo", "🙏🏽", "polres_a", "POLRES_B",
         "ditlantas", "ya hapus", "", "   ", "1️⃣", "x" * 500, "dirrequest", "dashrequest"]
# People of POLRES_B: nobody but an admin may see them through a console.
OTHER_CLIENT_PEOPLE = ("DEDI",)
STEPS = 30



@pytest.mark.parametrize("console", CONSOLES, ids=lambda console: console.name)
@pytest.mark.parametrize("role", SENDERS)
async def test_random_console_input_never_breaks_or_leaks(bot, world, redis, console,
                                                          role) -> None:
    phone = SENDERS[role]
    rng = random.Random(f"{console.name}:{role}")
    keyword = sorted(console.keywords)[0]
    lines = [keyword, *(rng.choice(WORDS) for _ in range(STEPS))]
    for index, body in enumerate(lines):
        if index and rng.random() < 0.15:
            body = keyword  # re-enter at some depth
        line = said(phone, body, session="operator")
        await bot.send(line)
        mine = [m["text"] for m in await bot.new_outbound() if m["to"] == line.chat]
        assert texts.INTERNAL_ERROR not in mine, (console.name, role, lines[:index + 1])
        if mine == [console.refusal]:  # refused: no console session was opened
            context = await redis.get(f"conv:operator:{line.chat}")
            assert context is None or console.name not in context, (console.name, role)
        if body.strip():
            assert mine, f"{console.name}/{role}: no answer to {body!r}"
        if role != "admin":
            for name in OTHER_CLIENT_PEOPLE:
                assert not any(name in text for text in mine), (console.name, role, body)
