"""Who may see and change what: every data endpoint for every kind of login, on the login's
own client and on the foreign client POLRES_B. Allowed is 200 (201 for a new person);
refused is 403, never 401 (the dashboard logs out on 401); an allowed answer about one's
own client never carries a POLRES_B row. Then the Penmas and premium routes for every kind
of login (dashboard, Penmas writer and editor, none)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from cicero.clock import clock
from storage.models import DashboardRole, PenmasRole
from tests.factories import insert_client, insert_person
from tests.web.builders import (
    NOW,
    OWN_CLIENT,
    POLRES_B_MARKERS,
    ROLES,
    auth,
    build_world,
)
from tests.web.penmas_helpers import (
    linked_dashboard_user,
    penmas_auth,
    penmas_user,
    set_premium_until,
)

READS = ["/api/aggregator", "/api/dashboard/stats", "/api/clients/profile", "/api/users/list",
         "/api/insta/posts", "/api/tiktok/posts", "/api/insta/rekap-likes",
         "/api/tiktok/rekap-komentar", "/api/amplify/rekap", "/api/amplify-khusus/rekap",
         "/api/insta/posts-khusus", "/api/link-reports", "/api/link-reports-khusus"]


@pytest.fixture
async def world(engine):
    clock.set_now(NOW)
    return await build_world(engine)


def allowed_foreign(role: str) -> bool:
    return role == "admin"


def assert_no_leak(response: httpx.Response) -> None:
    leaked = [marker for marker in POLRES_B_MARKERS if marker in response.text]
    assert not leaked, f"POLRES_B data in an answer about another client: {leaked}"


@pytest.mark.parametrize("path", READS)
@pytest.mark.parametrize("role", list(ROLES))
async def test_reads(live, world, role: str, path: str) -> None:
    headers = auth(role)
    own = await live.client.get(path, params={"client_id": OWN_CLIENT[role]}, headers=headers)
    assert own.status_code == 200, own.text
    assert own.json()["success"] is True
    assert_no_leak(own)

    foreign = await live.client.get(path, params={"client_id": "POLRES_B"}, headers=headers)
    if allowed_foreign(role):
        assert foreign.status_code == 200
        assert "POLRES_B" in foreign.text
    else:
        assert foreign.status_code == 403, foreign.text
        assert foreign.json() == {"success": False, "message": "client_id tidak diizinkan"}

    # X-Client-Id is only a fallback for a missing client_id: it never widens the scope.
    header = await live.client.get(path, headers={**headers, "X-Client-Id": "POLRES_B"})
    assert header.status_code == (200 if allowed_foreign(role) else 403)


@dataclass(frozen=True)
class Write:
    name: str
    own: Callable[[httpx.AsyncClient, dict[str, str], str], Awaitable[httpx.Response]]
    foreign: Callable[[httpx.AsyncClient, dict[str, str]], Awaitable[httpx.Response]]


async def _edit_own(client: httpx.AsyncClient, headers: dict[str, str],
                    own: str) -> httpx.Response:
    return await client.put("/api/users/1001", headers=headers, json={"jabatan": "BA BINMAS"})


async def _edit_foreign(client: httpx.AsyncClient, headers: dict[str, str]) -> httpx.Response:
    return await client.put("/api/users/2001", headers=headers, json={"jabatan": "BA BINMAS"})


async def _create_own(client: httpx.AsyncClient, headers: dict[str, str],
                      own: str) -> httpx.Response:
    return await client.post("/api/users/create", headers=headers,
                             json={"client_id": own, "nama": "BARU", "user_id": "87000001"})


async def _create_foreign(client: httpx.AsyncClient, headers: dict[str, str]) -> httpx.Response:
    return await client.post("/api/users/create", headers=headers,
                             json={"client_id": "POLRES_B", "nama": "BARU",
                                   "user_id": "87000002"})


async def _rename_own(client: httpx.AsyncClient, headers: dict[str, str],
                      own: str) -> httpx.Response:
    return await client.put("/api/user_roles/update", headers=headers,
                            json={"old_user_id": "1001", "new_user_id": "87000003"})


async def _rename_foreign(client: httpx.AsyncClient, headers: dict[str, str]) -> httpx.Response:
    return await client.put("/api/user_roles/update", headers=headers,
                            json={"old_user_id": "2001", "new_user_id": "87000004"})


WRITES = [Write("edit", _edit_own, _edit_foreign), Write("create", _create_own, _create_foreign),
          Write("rename", _rename_own, _rename_foreign)]


async def polres_b_state(engine) -> list[Any]:
    async with engine.connect() as connection:
        return [tuple(row) for row in await connection.execute(text(
            "SELECT p.*, (SELECT count(*) FROM personnel_changes c WHERE c.user_id = p.user_id) "
            "FROM personnel p WHERE p.client_id = 'POLRES_B' ORDER BY p.user_id"))]


@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
@pytest.mark.parametrize("role", list(ROLES))
async def test_writes(live, world, engine, role: str, write: Write) -> None:
    headers = auth(role)
    own = await write.own(live.client, headers, OWN_CLIENT[role])
    assert own.status_code in (200, 201), own.text
    assert_no_leak(own)

    before = await polres_b_state(engine)
    foreign = await write.foreign(live.client, headers)
    if allowed_foreign(role):
        assert foreign.status_code in (200, 201), foreign.text
    else:
        assert foreign.status_code == 403, foreign.text
        assert foreign.json()["success"] is False
        assert await polres_b_state(engine) == before


@pytest.mark.parametrize("path", [*READS, "/api/users/create", "/api/users/1001",
                                  "/api/user_roles/update"])
async def test_no_token_is_401(live, world, path: str) -> None:
    method = "GET" if path in READS else "PUT" if path != "/api/users/create" else "POST"
    response = await live.client.request(method, path, json={} if method != "GET" else None)
    assert response.status_code == 401
    assert response.json()["success"] is False


# --- Penmas and premium routes: every kind of login × every route ----------------------------
#
# Penmas routes take only Penmas tokens (dashboard tokens: 401); a writer works on their own
# events (another writer's: 403), an editor on all, and only editors decide. Premium routes
# take only dashboard tokens of an account linked to a person (unlinked: 403; Penmas: 401);
# a person's request is theirs alone. What premium unlocks needs premium (or admin). A refused
# call writes nothing.

PENMAS_ROLES = ["writer", "other_writer", "editor", "dash_premium", "dash_plain",
                "dash_admin", "none"]
_DASHBOARD = {"dash_premium": 401, "dash_plain": 401, "dash_admin": 401, "none": 401}
_PENMAS = {"writer": 401, "other_writer": 401, "editor": 401, "none": 401}


@dataclass(frozen=True)
class Call:
    method: str
    path: str  # {E} = the writer's draft, {S} = a submitted event's approval request,
    # {P} = an event with press-release details, {R} = the premium person's draft request
    body: Any = None
    content: bytes | None = None


MATRIX: dict[str, tuple[Call, dict[str, int]]] = {
    "list events": (Call("GET", "/api/events"),
                    {"writer": 200, "other_writer": 200, "editor": 200, **_DASHBOARD}),
    "create event": (Call("POST", "/api/events", {"event_date": "2025-12-06", "topic": "T"}),
                     {"writer": 201, "other_writer": 201, "editor": 201, **_DASHBOARD}),
    "read event": (Call("GET", "/api/events/{E}"),
                   {"writer": 200, "other_writer": 403, "editor": 200, **_DASHBOARD}),
    "change event": (Call("PUT", "/api/events/{E}", {"topic": "Baru"}),
                     {"writer": 200, "other_writer": 403, "editor": 200, **_DASHBOARD}),
    "approve event": (Call("PUT", "/api/events/{E}", {"status": "approved"}),
                      {"writer": 403, "other_writer": 403, "editor": 409, **_DASHBOARD}),
    "delete event": (Call("DELETE", "/api/events/{E}"),
                     {"writer": 200, "other_writer": 403, "editor": 200, **_DASHBOARD}),
    "event log": (Call("GET", "/api/events/{E}/logs"),
                  {"writer": 200, "other_writer": 403, "editor": 200, **_DASHBOARD}),
    "add note": (Call("POST", "/api/events/{E}/logs", {"changes": "catatan"}),
                 {"writer": 201, "other_writer": 403, "editor": 201, **_DASHBOARD}),
    "list approvals": (Call("GET", "/api/approvals"),
                       {"writer": 200, "other_writer": 200, "editor": 200, **_DASHBOARD}),
    "submit": (Call("POST", "/api/approvals", {"event_id": "{E}"}),
               {"writer": 201, "other_writer": 403, "editor": 201, **_DASHBOARD}),
    "decide": (Call("PUT", "/api/approvals/{S}", {"status": "approved"}),
               {"writer": 403, "other_writer": 403, "editor": 200, **_DASHBOARD}),
    "save press release": (Call("POST", "/api/press-release-details",
                                {"event_id": "{E}", "judul": "J"}),
                           {"writer": 201, "other_writer": 403, "editor": 201, **_DASHBOARD}),
    "read press release": (Call("GET", "/api/press-release-details/{P}"),
                           {"writer": 200, "other_writer": 403, "editor": 200, **_DASHBOARD}),
    "change press release": (Call("PUT", "/api/press-release-details/{P}", {"tkp": "X"}),
                             {"writer": 200, "other_writer": 403, "editor": 200,
                              **_DASHBOARD}),
    "penmas logout": (Call("POST", "/api/auth/penmas-logout"),
                      {"writer": 200, "other_writer": 200, "editor": 200, **_DASHBOARD}),
    "dashboard stats": (Call("GET", "/api/dashboard/stats?client_id=POLRES_A"),
                        {**_PENMAS, "dash_premium": 200, "dash_plain": 200,
                         "dash_admin": 200}),
    "my premium": (Call("GET", "/api/premium-requests"),
                   {**_PENMAS, "dash_premium": 200, "dash_plain": 200, "dash_admin": 403}),
    "request premium": (Call("POST", "/api/premium-requests",
                             {"sender_name": "Andi", "account_number": "123456",
                              "bank_name": "BRI"}),
                        {**_PENMAS, "dash_premium": 409, "dash_plain": 201,
                         "dash_admin": 403}),
    "upload proof": (Call("PUT", "/api/premium-requests/{R}/proof",
                          content=b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
                     {**_PENMAS, "dash_premium": 200, "dash_plain": 403, "dash_admin": 403}),
    "confirm": (Call("POST", "/api/premium-requests/{R}/confirm"),
                {**_PENMAS, "dash_premium": 409, "dash_plain": 403, "dash_admin": 403}),
    "premium feature": (Call("GET", "/api/insta/rapid-profile"),  # 400: past the gate
                        {**_PENMAS, "dash_premium": 400, "dash_plain": 403,
                         "dash_admin": 400}),
}


async def fresh_penmas_world(engine) -> dict[str, Any]:
    """The people, events and requests of the matrix, from scratch."""
    clock.set_now(NOW)
    async with engine.begin() as connection:
        for table in ("editorial_events", "penmas_users", "dashboard_users", "personnel",
                      "clients"):  # small tables: DELETE is quicker than TRUNCATE
            await connection.execute(text(f"DELETE FROM {table}"))
        await insert_client(connection, "POLRES_A", "POLRES A", "org")
        for user_id in ("1001", "1002"):
            await insert_person(connection, user_id, f"PERSON {user_id}", "POLRES_A")
    writer = await penmas_user(engine, "tulis1", PenmasRole.WRITER, password=None)
    other = await penmas_user(engine, "tulis2", PenmasRole.WRITER, password=None)
    editor = await penmas_user(engine, "redaksi", PenmasRole.EDITOR, password=None)
    headers = {
        "writer": penmas_auth(writer), "other_writer": penmas_auth(other),
        "editor": penmas_auth(editor), "none": {},
        "dash_premium": await linked_dashboard_user(engine, "andi_p", "1001"),
        "dash_plain": await linked_dashboard_user(engine, "budi_p", "1002"),
        "dash_admin": await linked_dashboard_user(engine, "admin_x", None,
                                                  role=DashboardRole.ADMIN, clients=[]),
    }
    await set_premium_until(engine, "1001", NOW.date())
    async with engine.begin() as connection:
        ids = {}
        for key, status in (("E", "draft"), ("S", "submitted"), ("P", "draft")):
            ids[key] = int(await connection.scalar(text(
                "INSERT INTO editorial_events (event_date, topic, status, created_by) "
                "VALUES (now(), 'Topik', :status, :writer) RETURNING id"),
                {"status": status, "writer": writer.id}))
        ids["S"] = int(await connection.scalar(text(
            "INSERT INTO editorial_approvals (event_id, requested_by) VALUES (:e, :w) "
            "RETURNING id"), {"e": ids["S"], "w": writer.id}))
        await connection.execute(text(
            "INSERT INTO press_release_details (event_id, judul) VALUES (:e, 'Judul')"),
            {"e": ids["P"]})
        ids["R"] = int(await connection.scalar(text(
            "INSERT INTO premium_requests (user_id, sender_name, account_number, bank_name) "
            "VALUES ('1001', 'Andi', '123456', 'BRI') RETURNING id")))
    return {"headers": headers, "ids": ids}


async def penmas_state(engine) -> list[Any]:
    async with engine.connect() as connection:
        return [tuple(row) for row in await connection.execute(text(
            "SELECT (SELECT count(*) FROM editorial_events), "
            "(SELECT count(*) FROM editorial_changes), "
            "(SELECT string_agg(status, ',' ORDER BY id) FROM editorial_events), "
            "(SELECT string_agg(coalesce(judul, '') || coalesce(tkp, ''), ',') "
            " FROM press_release_details), "
            "(SELECT count(*) FROM premium_requests), (SELECT count(*) FROM premium_proofs)"))]


def _filled(value: Any, ids: dict[str, int]) -> Any:
    if isinstance(value, str):
        for key, number in ids.items():
            value = value.replace("{" + key + "}", str(number))
        return int(value) if value.isdigit() else value
    if isinstance(value, dict):
        return {k: _filled(v, ids) for k, v in value.items()}
    return value


@pytest.mark.parametrize("name", list(MATRIX))
async def test_penmas_and_premium_matrix(live, engine, name: str) -> None:
    call, expected = MATRIX[name]
    for role in PENMAS_ROLES:
        world = await fresh_penmas_world(engine)
        ids, headers = world["ids"], dict(world["headers"][role])
        if call.content is not None:
            headers["Content-Type"] = "image/png"
        before = await penmas_state(engine)
        response = await live.client.request(
            call.method, str(_filled(call.path, ids)), headers=headers,
            json=_filled(call.body, ids) if call.body is not None else None,
            content=call.content)
        assert response.status_code == expected[role], (role, response.text)
        if response.status_code in (401, 403):
            assert response.json()["success"] is False
            assert await penmas_state(engine) == before, role
