"""Dashboard accounts: lookup, registration, approval, passwords, reset tokens, login log.

Password hashes are computed by the caller (web/passwords.py); reset tokens are handed in
raw and only their SHA-256 is stored, so a database dump never holds a usable token.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.models import ApprovalStatus, ClientType, DashboardRole
from storage.sql import execute, fetch_all, fetch_one, fetch_value, write_returning

# The one rule for dashboard usernames (registration, `cicero account`, `approvedash#`).
USERNAME_RE = re.compile(r"[a-z0-9._-]{3,50}")
KNOWN_ADDRESS_DAYS = 180  # a successful login makes its address known to the account this long


class DashboardUsernameTaken(Exception):
    """Another dashboard account already uses this username."""


@dataclass(frozen=True)
class GrantedClient:
    client_id: str
    type: ClientType


@dataclass(frozen=True)
class DashboardAccount:
    id: str
    username: str
    password_hash: str
    role: DashboardRole
    status: ApprovalStatus
    user_id: str | None  # the linked personnel NRP, if any
    whatsapp: str | None
    email: str | None
    clients: tuple[GrantedClient, ...]  # directorates first, then by id

    @property
    def client_ids(self) -> list[str]:
        return [client.client_id for client in self.clients]

    @property
    def directorate_id(self) -> str | None:
        """The first granted directorate client, if any."""
        return next((c.client_id for c in self.clients if c.type is ClientType.DIRECTORATE),
                    None)

    @property
    def primary_client_id(self) -> str | None:
        """The client the dashboard opens with: the directorate one, else the first."""
        return self.directorate_id or (self.clients[0].client_id if self.clients else None)


@dataclass(frozen=True)
class NewAccount:
    username: str
    password_hash: str
    role: DashboardRole
    whatsapp: str
    client_ids: Sequence[str]


_ACCOUNT_SQL = """
    SELECT id::text AS id, username, password_hash, role, status, user_id, whatsapp, email
    FROM dashboard_users WHERE {condition}
"""
_CLIENTS_SQL = """
    SELECT c.client_id, c.type FROM dashboard_user_clients g
    JOIN clients c USING (client_id)
    WHERE g.dashboard_user_id = CAST(:id AS uuid)
    ORDER BY c.type <> 'directorate', c.client_id
"""


def _uuid(value: str) -> str | None:
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        return None


async def _load(connection: AsyncConnection, condition: str,
                params: dict[str, str]) -> DashboardAccount | None:
    row = await fetch_one(connection, _ACCOUNT_SQL.format(condition=condition), **params)
    if row is None:
        return None
    clients = await fetch_all(connection, _CLIENTS_SQL, id=row["id"])
    return DashboardAccount(**{
        **row, "role": DashboardRole(row["role"]), "status": ApprovalStatus(row["status"]),
        "clients": tuple(GrantedClient(c["client_id"], ClientType(c["type"]))
                         for c in clients)})


def _storable(value: str) -> bool:
    """PostgreSQL text cannot hold NUL: such input can match nothing."""
    return "\x00" not in value


async def find_by_username(engine: AsyncEngine, username: str) -> DashboardAccount | None:
    """Usernames match case-insensitively (they are stored lower-case)."""
    if not _storable(username):
        return None
    async with engine.connect() as connection:
        return await _load(connection, "lower(username) = lower(:username) "
                           "ORDER BY username = :username DESC LIMIT 1", {"username": username})


async def find_by_id(engine: AsyncEngine, account_id: str) -> DashboardAccount | None:
    """None for an unknown id or one that is not a UUID."""
    valid = _uuid(account_id)
    if valid is None:
        return None
    async with engine.connect() as connection:
        return await _load(connection, "id = CAST(:id AS uuid)", {"id": valid})


async def username_taken(engine: AsyncEngine, username: str) -> bool:
    if not _storable(username):
        return False
    return await fetch_one(engine, "SELECT 1 FROM dashboard_users "
                           "WHERE lower(username) = lower(:username)",
                           username=username) is not None


async def client_types(engine: AsyncEngine, client_ids: Sequence[str]) -> dict[str, ClientType]:
    """The type of each of `client_ids` that exists (ids as stored, upper-case)."""
    client_ids = [client_id for client_id in client_ids if _storable(client_id)]
    if not client_ids:
        return {}
    rows = await fetch_all(engine, "SELECT client_id, type FROM clients "
                           "WHERE client_id = ANY(:ids)", ids=list(client_ids))
    return {row["client_id"]: ClientType(row["type"]) for row in rows}


async def first_client_id(engine: AsyncEngine) -> str | None:
    """The client an admin with no granted client opens the dashboard with."""
    return await fetch_value(engine, "SELECT client_id FROM clients ORDER BY status DESC, "
                             "type <> 'directorate', client_id LIMIT 1")


async def create_account(engine: AsyncEngine, account: NewAccount) -> str:
    """Insert a pending account with its clients; its id. Raises DashboardUsernameTaken."""
    try:
        async with engine.begin() as connection:
            [row] = await write_returning(
                connection, "INSERT INTO dashboard_users (username, password_hash, role, "
                "status, whatsapp) VALUES (:username, :hash, :role, :status, :whatsapp) "
                "RETURNING id::text AS id", username=account.username,
                hash=account.password_hash, role=account.role.value,
                status=ApprovalStatus.PENDING.value, whatsapp=account.whatsapp)
            account_id = row["id"]
            for client_id in dict.fromkeys(account.client_ids):
                await execute(connection, "INSERT INTO dashboard_user_clients "
                              "(dashboard_user_id, client_id) VALUES (CAST(:id AS uuid), "
                              ":client_id)", id=account_id, client_id=client_id)
    except IntegrityError as exc:
        if "uq_dashboard_users_username" in str(exc.orig):
            raise DashboardUsernameTaken(account.username) from None
        raise
    return str(account_id)


async def set_status(engine: AsyncEngine, account_id: str,
                     status: ApprovalStatus) -> tuple[ApprovalStatus, DashboardAccount] | None:
    """Change the approval status; (previous status, account after) or None when unknown."""
    valid = _uuid(account_id)
    if valid is None:
        return None
    async with engine.begin() as connection:
        previous = await fetch_value(
            connection, "SELECT status FROM dashboard_users WHERE id = CAST(:id AS uuid) "
            "FOR UPDATE", id=valid)
        if previous is None:
            return None
        await execute(connection, "UPDATE dashboard_users SET status = :status, "
                      "updated_at = now() WHERE id = CAST(:id AS uuid)",
                      id=valid, status=status.value)
        account = await _load(connection, "id = CAST(:id AS uuid)", {"id": valid})
    assert account is not None
    return ApprovalStatus(previous), account


async def set_password(engine: AsyncEngine, account_id: str, password_hash: str) -> bool:
    valid = _uuid(account_id)
    if valid is None:
        return False
    return bool(await execute(engine, "UPDATE dashboard_users SET password_hash = :hash, "
                              "updated_at = now() WHERE id = CAST(:id AS uuid)",
                              id=valid, hash=password_hash))


# --- password reset tokens ------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def store_reset_token(engine: AsyncEngine, account_id: str, delivery_target: str,
                            token: str, expires_at: datetime, now: datetime) -> None:
    """Keep the hash of a new reset token; earlier unused tokens of the account stop working."""
    async with engine.begin() as connection:
        await execute(connection, "UPDATE dashboard_password_resets SET used_at = :now "
                      "WHERE dashboard_user_id = CAST(:id AS uuid) AND used_at IS NULL",
                      id=account_id, now=now)
        await execute(connection, "INSERT INTO dashboard_password_resets "
                      "(dashboard_user_id, delivery_target, token_hash, expires_at) "
                      "VALUES (CAST(:id AS uuid), :target, :hash, :expires_at)",
                      id=account_id, target=delivery_target, hash=_token_hash(token),
                      expires_at=expires_at)


async def consume_reset_token(engine: AsyncEngine, token: str, password_hash: str,
                              now: datetime) -> str | None:
    """Mark an unused, unexpired token used and store the new password hash, together;
    the account id, or None when the token is unknown, used or expired."""
    async with engine.begin() as connection:
        used = await write_returning(
            connection, "UPDATE dashboard_password_resets SET used_at = :now "
            "WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now "
            "RETURNING dashboard_user_id::text AS id", hash=_token_hash(token), now=now)
        if not used:
            return None
        account_id = used[0]["id"]
        await execute(connection, "UPDATE dashboard_users SET password_hash = :hash, "
                      "updated_at = now() WHERE id = CAST(:id AS uuid)",
                      id=account_id, hash=password_hash)
    return str(account_id)


# --- login log ------------------------------------------------------------------------------


async def record_login(engine: AsyncEngine, account_id: str, ip: str | None,
                       source: str = "web") -> None:
    await execute(engine, "INSERT INTO login_logs (actor_id, login_type, login_source, ip) "
                  "VALUES (:actor, 'dashboard', :source, :ip)",
                  actor=account_id, source=source, ip=ip)


async def logged_in_from(engine: AsyncEngine, account_id: str, ip: str,
                         days: int = KNOWN_ADDRESS_DAYS) -> bool:
    """Whether the account logged in successfully from this address within `days`."""
    return bool(await fetch_value(
        engine, "SELECT EXISTS (SELECT 1 FROM login_logs WHERE actor_id = :actor AND ip = :ip "
        "AND logged_at > now() - make_interval(days => :days))",
        actor=account_id, ip=ip, days=days))


async def create_approved_account(engine: AsyncEngine, account: NewAccount) -> str:
    """An account made by an administrator (CLI, demo): approved at once."""
    account_id = await create_account(engine, account)
    await set_status(engine, account_id, ApprovalStatus.APPROVED)
    return account_id


async def list_accounts(engine: AsyncEngine) -> list[tuple[str, str, str, str]]:
    """(username, role, status, comma-separated clients) of every account, by username."""
    rows = await fetch_all(
        engine, "SELECT u.username, u.role, u.status, "
        "coalesce(string_agg(g.client_id, ',' ORDER BY g.client_id), '') AS clients "
        "FROM dashboard_users u LEFT JOIN dashboard_user_clients g "
        "ON g.dashboard_user_id = u.id GROUP BY u.id ORDER BY u.username")
    return [(row["username"], row["role"], row["status"], row["clients"]) for row in rows]


async def delete_account(engine: AsyncEngine, account_id: str) -> bool:
    """Remove an account with its grants and reset tokens (their foreign keys cascade)."""
    valid = _uuid(account_id)
    if valid is None:
        return False
    return bool(await execute(engine, "DELETE FROM dashboard_users WHERE id = CAST(:id AS uuid)",
                              id=valid))
