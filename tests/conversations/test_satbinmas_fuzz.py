"""`#SatbinmasOfficial` × every kind of sender × random input (numbers, words, usernames of
any satker, client ids, `batal`/`kembali`/`menu`): nothing raises, every message is answered,
a refused sender opens no session, and once the checks the flow queued have run, no account
was written for a satker the sender does not belong to."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import text

from cicero.sandbox_bot import said
from jobs.worker import run_queued_jobs
from menus import conversation as texts
from menus import satbinmas as satbinmas_texts
from tests.conversations.conftest import (
    ADMIN,
    BUDI,
    DASHBOARD_OPERATOR,
    DIRECTORATE_USER,
    NEW,
    OPERATOR,
)

SENDERS = {"stranger": NEW, "officer": BUDI, "operator": OPERATOR, "admin": ADMIN,
           "directorate": DIRECTORATE_USER, "dashboard-operator": DASHBOARD_OPERATOR}
WORDS = ["ya", "tidak", "1", "2", "3", "0", "instagram", "tiktok", "tambah", "ubah", "selesai",
         "kembali", "batal", "menu", "POLRES_B", "polres_a", "@satbinmas_a", "satbinmas_a_tt",
         "satbinmas_b", "satbinmas_privat", "bad name!", "https://www.instagram.com/p/X1/",
         "🙏🏽", "x" * 300, "#SatbinmasOfficial"]
STEPS = 30


@pytest.mark.parametrize("role", SENDERS)
async def test_random_input_never_breaks_or_writes_another_satkers_account(
        bot, world, redis, bot_settings, database_url, redis_url, role) -> None:
    phone = SENDERS[role]
    rng = random.Random(f"satbinmas:{role}")
    lines = ["#SatbinmasOfficial", *(rng.choice(WORDS) for _ in range(STEPS))]
    for index, body in enumerate(lines):
        line = said(phone, body, session="gateway")
        await bot.send(line)
        mine = [m["text"] for m in await bot.new_outbound() if m["to"] == line.chat]
        assert texts.INTERNAL_ERROR not in mine, (role, lines[:index + 1])
        assert mine, f"{role}: no answer to {body!r}"
        if mine == [satbinmas_texts.REFUSED]:
            context = await redis.get(f"conv:gateway:{line.chat}")
            assert context is None or "satbinmas_official" not in context, role
    await run_queued_jobs(bot_settings, database_url, redis_url)
    async with world.connect() as connection:
        written = set((await connection.execute(text(
            "SELECT client_id FROM satbinmas_accounts"))).scalars())
    allowed = {"operator": {"POLRES_A"}, "dashboard-operator": {"POLRES_A"}}.get(role, set())
    assert written <= allowed, (role, written)
