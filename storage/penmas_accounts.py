"""Penmas logins: writers (penulis) register themselves; an editor is made by an administrator
(`cicero penmas role`), never chosen at registration. Password hashes are computed by the
caller (web/passwords.py), as for dashboard accounts; usernames follow the dashboard's rule."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.dashboard_users import USERNAME_RE
from storage.editorial_workflow import Actor
from storage.models import PenmasRole
from storage.sql import Database, Row, fetch_all, fetch_one, write_returning

__all__ = ["USERNAME_RE", "PenmasAccount", "PenmasUsernameTaken"]


class PenmasUsernameTaken(Exception):
    """Another Penmas login already uses this username."""


@dataclass(frozen=True)
class PenmasAccount:
    id: int
    username: str
    password_hash: str
    role: PenmasRole
    name: str | None
    whatsapp: str | None

    @property
    def is_editor(self) -> bool:
        return self.role is PenmasRole.EDITOR

    @property
    def actor(self) -> Actor:
        return Actor(self.id, self.role)


_COLUMNS = "id, username, password_hash, role, name, whatsapp"


def _account(row: Row | None) -> PenmasAccount | None:
    if row is None:
        return None
    return PenmasAccount(row["id"], row["username"], row["password_hash"],
                         PenmasRole(row["role"]), row["name"], row["whatsapp"])


async def create_writer(engine: AsyncEngine, username: str, password_hash: str,
                        name: str | None, whatsapp: str) -> PenmasAccount:
    """A new writer. Raises PenmasUsernameTaken."""
    try:
        rows = await write_returning(
            engine, f"INSERT INTO penmas_users (username, password_hash, role, name, whatsapp) "
                    f"VALUES (:username, :hash, :role, :name, :whatsapp) RETURNING {_COLUMNS}",
            username=username, hash=password_hash, role=PenmasRole.WRITER.value, name=name,
            whatsapp=whatsapp)
    except IntegrityError as exc:
        if "uq_penmas_users_username" in str(exc.orig):
            raise PenmasUsernameTaken(username) from None
        raise
    account = _account(rows[0])
    assert account is not None
    return account


async def find_by_username(engine: AsyncEngine, username: str) -> PenmasAccount | None:
    """Usernames are stored lower-case and matched case-insensitively."""
    if "\x00" in username:
        return None
    return _account(await fetch_one(
        engine, f"SELECT {_COLUMNS} FROM penmas_users WHERE username = lower(:username)",
        username=username))


async def find_by_id(db: Database, account_id: int) -> PenmasAccount | None:
    return _account(await fetch_one(
        db, f"SELECT {_COLUMNS} FROM penmas_users WHERE id = :id", id=account_id))


async def editor_by_phone(engine: AsyncEngine, phone: str) -> PenmasAccount | None:
    """The editor account of a WhatsApp number (the lowest id if several share it)."""
    return _account(await fetch_one(
        engine, f"SELECT {_COLUMNS} FROM penmas_users WHERE whatsapp = :phone "
                "AND role = 'editor' ORDER BY id LIMIT 1", phone=phone))


async def editor_numbers(db: Database) -> list[tuple[int, str]]:
    """(id, WhatsApp number) of every editor who gave one."""
    rows = await fetch_all(db, "SELECT id, whatsapp FROM penmas_users WHERE role = 'editor' "
                               "AND coalesce(whatsapp, '') <> '' ORDER BY id")
    return [(row["id"], row["whatsapp"]) for row in rows]


async def set_role(engine: AsyncEngine, username: str, role: PenmasRole) -> bool:
    """Make an account an editor or a writer again; False for an unknown username."""
    rows = await write_returning(
        engine, "UPDATE penmas_users SET role = :role, updated_at = now() "
                "WHERE username = lower(:username) RETURNING id", username=username,
        role=role.value)
    return bool(rows)


async def list_accounts(engine: AsyncEngine) -> list[PenmasAccount]:
    rows = await fetch_all(engine, f"SELECT {_COLUMNS} FROM penmas_users ORDER BY username")
    return [account for row in rows if (account := _account(row)) is not None]
