"""storage/sql.py: named parameters in, rows by column name out, writes committed."""

from __future__ import annotations

from storage import sql


async def test_rows_are_read_by_name_and_writes_commit(engine) -> None:
    await sql.execute(engine, "INSERT INTO clients (client_id, name) VALUES (:id, :name)",
                      id="POLRES_X", name="POLRES X")
    rows = await sql.fetch_all(engine, "SELECT client_id, name FROM clients WHERE "
                                       "client_id = :id", id="POLRES_X")
    assert [dict(row) for row in rows] == [{"client_id": "POLRES_X", "name": "POLRES X"}]
    assert await sql.fetch_value(engine, "SELECT count(*) FROM clients") == 1
    assert await sql.fetch_one(engine, "SELECT name FROM clients WHERE client_id = :id",
                               id="NONE") is None


async def test_statements_in_one_transaction_commit_together_or_not_at_all(engine) -> None:
    try:
        async with engine.begin() as connection:
            await sql.execute(connection, "INSERT INTO clients (client_id, name) "
                                          "VALUES ('POLRES_Y', 'Y')")
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert await sql.fetch_value(engine, "SELECT count(*) FROM clients") == 0
    await sql.execute_many(engine, "INSERT INTO clients (client_id, name) VALUES (:id, :id)",
                           [{"id": "A"}, {"id": "B"}])
    changed = await sql.write_returning(engine, "UPDATE clients SET name = 'Z' "
                                                "RETURNING client_id")
    assert sorted(row["client_id"] for row in changed) == ["A", "B"]
