"""Every privileged entry (each console, the admin commands, the bulk template) × every kind
of sender × random input: nothing raises, every message is answered, and nobody reads or
writes another client's rows. Writes are checked by a row-level diff of the whole database
before and after the sequence: each row added, removed or changed is attributed to its
client(s), which must be clients the sender may act on (refused senders: none at all).
Reads are checked on the replies: they never show another client's people."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from typing import Any

import pytest
from sqlalchemy import text

from cicero.sandbox_bot import said
from menus import conversation as texts
from storage.models import TABLES_IN_DEPENDENCY_ORDER
from tests.conversations.conftest import (
    ADMIN,
    BUDI,
    DASHBOARD_OPERATOR,
    DIRECTORATE_SUPER,
    DIRECTORATE_USER,
    NEW,
    OPERATOR,
    OPERATOR_B,
)

# Who may act on which clients' rows (None: any), and whose people they may read.
ROLES: dict[str, tuple[str, frozenset[str] | None]] = {
    "stranger": (NEW, frozenset()),
    "officer": (BUDI, frozenset()),
    "operator-a": (OPERATOR, frozenset({"POLRES_A"})),
    "operator-b": (OPERATOR_B, frozenset({"POLRES_B"})),
    "directorate-super": (DIRECTORATE_SUPER, frozenset({"DITBINMAS"})),
    "directorate-user": (DIRECTORATE_USER, frozenset()),
    "dashboard-operator": (DASHBOARD_OPERATOR, frozenset()),
    "admin": (ADMIN, None),
}
# Names (as stored, never typed below) that show a person was read, by their client.
PEOPLE = {"POLRES_A": ("AGUS", "BUDI SANTOSO", "EKO", "FAJAR", "POLSEK A"),
          "POLRES_B": ("DEDI", "SAT LANTAS", "nama salah ketik")}
# What each sender may read besides their own clients' people.
READABLE = {"dashboard-operator": {"POLRES_A"}, "directorate-user": set(),
            "directorate-super": set()}
ENTRIES = {
    "oprrequest": ["oprrequest"],
    "clientrequest": ["clientrequest"],
    "dirrequest": ["dirrequest"],
    "dashrequest": ["dashrequest"],
    "wabot": ["wabot"],
    "commands": ["clientinfo#POLRES_B", "removeclient#POLRES_A", "fetchinsta#POLRES_B",
                 "updateclient#POLRES_B#client_status#false", "addnewclient#POLRES_X#X",
                 "absensilikes#POLRES_A#belum", "approvedash#opa", "savecontact#x"],
    "template": ["Permohonan Penghapusan Data Personil\n1. X – 87020993 – mutasi\n"
                 "2. Y – 87020991 – pensiun\n3. Z – 87020992 – pensiun"],
}
# Input comes in fragments shaped like what the consoles ask (a menu number, then an NRP, a
# client, a choice, a value, a confirmation), mixed with noise, so random sequences reach the
# deep steps where a scope could leak.
NUMBERS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "99"]
NRPS = ["87020990", "87020991", "87020992", "87020993", "87020994", "75020299"]
CLIENTS = ["polres_a", "polres_b", "ditbinmas", "POLRES_X", "1", "2", "3", "4"]
VALUES = ["true", "false", "aktif", "nonaktif", "x nama baru", "bripka", "subbid pid",
          "081299990000", "0812 0000 0009", "@akun.baru", "https://www.instagram.com/baru.x",
          "7300000000000000001", "Jawaban untuk pelapor ini.", "1", "2", "5", "8"]
CONFIRMS = ["ya", "ya hapus", "tidak"]
NOISE = ["batal", "kembali", "menu", "🙏", "", "   ", "x" * 300]
STEPS = 32
_IGNORED = {"job_configs", "job_runs"}  # the schedule's switches: global, not a client's



async def _snapshot(engine) -> dict[str, set[str]]:
    tables = [*TABLES_IN_DEPENDENCY_ORDER, "data_versions"]
    async with engine.connect() as connection:
        return {table: {json.dumps(row, sort_keys=True, default=str) for (row,) in
                        await connection.execute(text(f"SELECT to_jsonb(t) FROM {table} t"))}
                for table in tables if table not in _IGNORED}


def _clients_of(table: str, row: dict[str, Any], people: dict[str, str]) -> set[str]:
    """The client(s) a row belongs to; "?" when it belongs to none (then nobody may touch
    it but an admin)."""
    if table in ("clients", "client_contacts", "posts", "personnel", "dashboard_user_clients",
                 "reminder_states", "broadcast_states"):
        return {row["client_id"]}
    if table in ("personnel_changes", "complaints", "link_reports", "directorate_memberships"):
        return {people.get(row.get("user_id") or "", "?")}
    return {"?"}


def _changed(before: dict[str, set[str]], after: dict[str, set[str]]
             ) -> Iterable[tuple[str, dict[str, Any]]]:
    for table in before:
        for raw in before[table] ^ after[table]:
            yield table, json.loads(raw)


async def _seed(world) -> None:
    async with world.begin() as connection:
        await connection.execute(text(
            "INSERT INTO complaints (user_id, from_phone, body, details, status) VALUES "
            f"('87020991', '{BUDI}', 'k', '{{\"issues\": [\"akun terkunci\"]}}', 'open'), "
            f"('87020993', '{ADMIN}', 'k', '{{\"issues\": [\"nama salah ketik\"]}}', 'open')"))
        await connection.execute(text(
            "INSERT INTO posts (platform, external_id, client_id, uploaded_at) VALUES "
            "('tiktok', '7300000000000000001', 'POLRES_B', now())"))


@pytest.mark.parametrize("entry", ENTRIES)
@pytest.mark.parametrize("role", ROLES)
async def test_no_sender_reaches_another_clients_rows(bot, world, entry, role) -> None:
    phone, allowed = ROLES[role]
    await _seed(world)
    before = await _snapshot(world)
    rng = random.Random(f"{entry}:{role}")
    openers = ENTRIES[entry]
    lines = [rng.choice(openers)]
    while len(lines) < STEPS:
        roll = rng.random()
        if roll < 0.1:
            lines.append(rng.choice(openers))
        elif roll < 0.2:
            lines.append(rng.choice(NOISE))
        else:
            lines.append(rng.choice(NUMBERS))
            for _ in range(rng.randint(0, 4)):
                lines.append(rng.choice(rng.choice([NRPS, CLIENTS, VALUES, CONFIRMS])))
    readable = set(allowed or ()) | READABLE.get(role, set())
    forbidden = [] if allowed is None else [
        name for client, names in PEOPLE.items() if client not in readable for name in names]
    for index, body in enumerate(lines):
        line = said(phone, body, session=rng.choice(["operator", "operator", "gateway"]))
        await bot.send(line)
        mine = [m["text"] for m in await bot.new_outbound() if m["to"] == line.chat]
        where = (entry, role, lines[:index + 1])
        assert texts.INTERNAL_ERROR not in mine, where
        if body.strip():
            assert mine, where
        for name in forbidden:
            assert not any(name in reply for reply in mine), (name, where)
    if allowed is None:
        return
    after = await _snapshot(world)
    people = {}
    for state in (before, after):
        for raw in state["personnel"]:
            row = json.loads(raw)
            people.setdefault(row["user_id"], row["client_id"])
    touched = {(table, client) for table, row in _changed(before, after)
               for client in _clients_of(table, row, people) if table != "data_versions"}
    outside = {(table, client) for table, client in touched if client not in allowed}
    assert not outside, (entry, role, outside, lines)
    if not allowed:
        assert before["data_versions"] == after["data_versions"], (entry, role)
