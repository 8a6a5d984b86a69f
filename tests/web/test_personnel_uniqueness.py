"""One person per WhatsApp number and per e-mail address (issue 13, item 8): an operator
cannot give their own person another satker's officer's number, so the bot can never show
that officer someone else's data."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from cicero.clock import clock
from tests.locks import until_blocked
from tests.web.builders import NOW, auth, build_world

HARI_PHONE = "6281200002001"  # POLRES_B's officer 2001
HARI_EMAIL = "hari@polri.go.id"
PHONE_TAKEN = "Nomor WhatsApp sudah dipakai personel lain"
EMAIL_TAKEN = "Email sudah dipakai personel lain"


@pytest.fixture
async def world(engine):
    clock.set_now(NOW)
    await build_world(engine)
    async with engine.begin() as connection:
        await connection.execute(text(
            "UPDATE personnel SET whatsapp = :phone, email = :email WHERE user_id = '2001'"),
            {"phone": HARI_PHONE, "email": HARI_EMAIL})
    return engine


async def rows(engine, sql: str, **params: Any) -> list[tuple]:
    async with engine.connect() as connection:
        return [tuple(row) for row in await connection.execute(text(sql), params)]


@pytest.mark.parametrize(("body", "message"), [
    ({"whatsapp": "0812-0000-2001"}, PHONE_TAKEN),
    ({"whatsapp": "+62 812 0000 2001"}, PHONE_TAKEN),
    ({"email": "Hari@Polri.go.id"}, EMAIL_TAKEN),
])
async def test_an_operator_cannot_take_another_satkers_number_or_email(
        live, world, engine, body, message) -> None:
    before = await rows(engine, "SELECT * FROM personnel ORDER BY user_id")
    response = await live.client.put("/api/users/1002", headers=auth("operator"), json=body)
    assert response.status_code == 409, response.text
    assert response.json() == {"success": False, "message": message}
    assert await rows(engine, "SELECT * FROM personnel ORDER BY user_id") == before


@pytest.mark.parametrize(("extra", "message"), [
    ({"whatsapp": "081200002001"}, PHONE_TAKEN),
    ({"email": HARI_EMAIL}, EMAIL_TAKEN),
])
async def test_a_new_person_cannot_take_a_number_or_email_in_use(
        live, world, engine, extra, message) -> None:
    response = await live.client.post("/api/users/create", headers=auth("operator"), json={
        "client_id": "POLRES_A", "nama": "Joko", "user_id": "87020990", **extra})
    assert response.status_code == 409, response.text
    assert response.json()["message"] == message
    assert await rows(engine, "SELECT count(*) FROM personnel WHERE user_id = '87020990'") == \
        [(0,)]


async def test_a_person_keeps_their_own_number_and_an_emptied_one_is_free(
        live, world, engine) -> None:
    same = await live.client.put("/api/users/1001", headers=auth("operator"),
                                 json={"whatsapp": "081200001001", "nama": "ANDI W"})
    assert same.status_code == 200, same.text
    cleared = await live.client.put("/api/users/2001", headers=auth("admin"),
                                    json={"whatsapp": None, "email": None})
    assert cleared.status_code == 200, cleared.text
    taken = await live.client.put("/api/users/1002", headers=auth("operator"),
                                  json={"whatsapp": HARI_PHONE, "email": HARI_EMAIL})
    assert taken.status_code == 200, taken.text
    assert await rows(engine, "SELECT user_id FROM personnel WHERE whatsapp = :p",
                      p=HARI_PHONE) == [("1002",)]


@pytest.mark.parametrize(("column", "value"), [("whatsapp", HARI_PHONE),
                                               ("email", HARI_EMAIL)])
async def test_the_database_refuses_a_second_holder_whoever_writes(world, engine, column,
                                                                  value) -> None:
    """Not only the API: plain SQL (or any future writer) cannot duplicate them either; empty
    values are not numbers and may repeat."""
    with pytest.raises(IntegrityError, match=f"uq_personnel_{column}"):
        async with engine.begin() as connection:
            await connection.execute(text(
                f"UPDATE personnel SET {column} = :value WHERE user_id = '1002'"),
                {"value": value})
    async with engine.begin() as connection:
        await connection.execute(text(
            f"UPDATE personnel SET {column} = '' WHERE user_id IN ('1002', '1003')"))


async def test_a_simultaneous_writer_gets_409_with_the_right_reason(
        live, world, engine) -> None:
    """The API's own check runs before the write; a number given to someone else in between
    is caught by the constraint, and named as the number (not as an NRP clash)."""
    async with engine.connect() as other:
        transaction = await other.begin()
        await other.execute(text("UPDATE personnel SET whatsapp = '6281299990000' "
                                 "WHERE user_id = '4001'"))
        request = asyncio.create_task(live.client.put(
            "/api/users/1002", headers=auth("operator"), json={"whatsapp": "081299990000"}))
        await until_blocked(engine, "UPDATE personnel SET%")
        await transaction.commit()
        response = await request
    assert response.status_code == 409, response.text
    assert response.json()["message"] == PHONE_TAKEN
    assert await rows(engine, "SELECT user_id FROM personnel WHERE whatsapp = '6281299990000'"
                      ) == [("4001",)]
