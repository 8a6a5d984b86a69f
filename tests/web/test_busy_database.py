"""A request that would wait behind a long writer fails fast with 503 and Retry-After
(issue 13, item 9): the web engine's statements have a lock_timeout and a statement_timeout;
imports and jobs have none."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from cicero.clock import clock
from storage.db import create_engine
from tests.web.builders import NOW, auth, build_world
from tests.web.conftest import serve, web_settings

BUSY = "Data sedang diperbarui proses lain. Silakan coba lagi sebentar lagi."


@pytest.fixture
async def world(engine):
    clock.set_now(NOW)
    return await build_world(engine)


@pytest.fixture
async def impatient(world, redis, database_url: str, redis_url: str):
    """The app with a short lock wait, so the test does not wait the default 3 s."""
    async for app in serve(web_settings(request_lock_timeout=0.3), database_url, redis_url):
        yield app


@pytest.mark.parametrize("held", [
    # what a one-transaction import held for minutes: every personnel write bumps this row
    "UPDATE data_versions SET version = version + 1 WHERE name = 'population'",
    "SELECT 1 FROM personnel WHERE user_id = '1002' FOR UPDATE",
])
async def test_a_personnel_edit_behind_a_long_writer_answers_503(impatient, engine,
                                                                 held: str) -> None:
    async with engine.connect() as writer:
        transaction = await writer.begin()
        await writer.execute(text(held))
        response = await impatient.client.put("/api/users/1002", headers=auth("operator"),
                                              json={"jabatan": "kanit"})
        await transaction.rollback()
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == "5"
    assert response.json() == {"success": False, "message": BUSY}
    async with engine.connect() as connection:
        assert await connection.scalar(text(
            "SELECT jabatan FROM personnel WHERE user_id = '1002'")) is None
    again = await impatient.client.put("/api/users/1002", headers=auth("operator"),
                                       json={"jabatan": "kanit"})
    assert again.status_code == 200, again.text


async def test_only_request_engines_give_up(database_url: str) -> None:
    """An import or a job waits as long as it must: its engine has no timeouts."""
    patient = create_engine(database_url, pool_size=1)
    try:
        async with patient.connect() as connection:
            assert await connection.scalar(text("SHOW lock_timeout")) == "0"
            assert await connection.scalar(text("SHOW statement_timeout")) == "0"
    finally:
        await patient.dispose()
