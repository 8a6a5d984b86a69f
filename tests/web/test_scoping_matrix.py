"""Who may see and change what: every data endpoint for every kind of login, on the login's
own client and on the foreign client POLRES_B. Allowed is 200 (201 for a new person);
refused is 403, never 401 (the dashboard logs out on 401); an allowed answer about one's
own client never carries a POLRES_B row."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from cicero.clock import clock
from tests.web.builders import NOW, OWN_CLIENT, POLRES_B_MARKERS, ROLES, auth, build_world

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
