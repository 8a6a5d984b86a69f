"""Linking a number to a person: every outcome, the audit row, and two simultaneous
confirmations writing once."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from storage.personnel_profile import LinkOutcome, link_whatsapp
from tests.factories import insert_client, insert_person

FREE, TAKEN = "6281300000001", "6281300000002"


async def _people(engine) -> None:
    async with engine.begin() as connection:
        await insert_client(connection, "POLRES_A")
        for user_id, name, whatsapp, status in (("1001", "ADI", None, True),
                                                ("1002", "BAYU", TAKEN, True),
                                                ("1003", "CITRA", None, False),
                                                ("1004", "DEWI", "", True)):
            await insert_person(connection, user_id, name, "POLRES_A", whatsapp=whatsapp,
                                status=status)


async def _whatsapp_and_audit(engine, user_id: str) -> tuple[str | None, list[tuple]]:
    async with engine.connect() as connection:
        number = (await connection.execute(text(
            "SELECT whatsapp FROM personnel WHERE user_id = :id"), {"id": user_id})).scalar()
        audit = (await connection.execute(text(
            "SELECT field, old_value, new_value, changed_by FROM personnel_changes "
            "WHERE user_id = :id ORDER BY id"), {"id": user_id})).all()
    return number, [tuple(row) for row in audit]


async def test_every_outcome_of_a_link(engine) -> None:
    await _people(engine)
    assert await link_whatsapp(engine, "9999", FREE) is LinkOutcome.NOT_FOUND
    assert await link_whatsapp(engine, "1003", FREE) is LinkOutcome.INACTIVE
    assert await link_whatsapp(engine, "1002", FREE) is LinkOutcome.OTHER_NUMBER
    assert await link_whatsapp(engine, "1002", TAKEN) is LinkOutcome.ALREADY_YOURS
    assert await link_whatsapp(engine, "1001", TAKEN) is LinkOutcome.NUMBER_IN_USE
    for user_id in ("1001", "1002", "1003"):
        number, audit = await _whatsapp_and_audit(engine, user_id)
        assert audit == [] and number == {"1001": None, "1002": TAKEN, "1003": None}[user_id]

    assert await link_whatsapp(engine, "1004", FREE) is LinkOutcome.LINKED  # '' is no number
    assert await _whatsapp_and_audit(engine, "1004") == (
        FREE, [("whatsapp", None, FREE, FREE)])


async def test_two_simultaneous_confirmations_link_once(engine) -> None:
    await _people(engine)
    outcomes = await asyncio.gather(*(link_whatsapp(engine, "1001", FREE) for _ in range(5)))
    assert sorted(outcomes) == sorted([LinkOutcome.LINKED] + [LinkOutcome.ALREADY_YOURS] * 4)
    assert await _whatsapp_and_audit(engine, "1001") == (FREE, [("whatsapp", None, FREE, FREE)])
