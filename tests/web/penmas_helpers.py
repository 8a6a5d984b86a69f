"""Penmas accounts and tokens for tests, and the dashboard account linked to a person that
premium needs."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import DashboardRole, PenmasRole
from storage.penmas_accounts import PenmasAccount, find_by_id
from tests.web.conftest import JWT_SECRET, PASSWORD, bearer, dashboard_user, token_for
from web.passwords import hash_password
from web.penmas_security import issue_penmas_token


async def penmas_user(engine: AsyncEngine, username: str, role: PenmasRole, *,
                      whatsapp: str | None = None, password: str = PASSWORD) -> PenmasAccount:
    async with engine.begin() as connection:
        account_id = await connection.scalar(text(
            "INSERT INTO penmas_users (username, password_hash, role, whatsapp) "
            "VALUES (:username, :hash, :role, :whatsapp) RETURNING id"),
            {"username": username, "hash": await hash_password(password), "role": role.value,
             "whatsapp": whatsapp})
    account = await find_by_id(engine, int(account_id))
    assert account is not None
    return account


def penmas_auth(account: PenmasAccount) -> dict[str, str]:
    return bearer(issue_penmas_token(JWT_SECRET, account))


async def linked_dashboard_user(engine: AsyncEngine, username: str, user_id: str, *,
                                role: DashboardRole = DashboardRole.OPERATOR,
                                clients: list[str] | None = None,
                                whatsapp: str | None = None) -> dict[str, str]:
    """A dashboard account linked to personnel `user_id`; its headers."""
    clients = ["POLRES_A"] if clients is None else clients
    account_id = await dashboard_user(engine, username, role, clients, whatsapp=whatsapp)
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE dashboard_users SET user_id = :user "
                                      "WHERE id = :id"), {"user": user_id, "id": account_id})
    return bearer(token_for(account_id, username, role, clients))


async def set_premium_until(engine: AsyncEngine, user_id: str, until: date | None) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE personnel SET premium_until = :until "
                                      "WHERE user_id = :user"), {"until": until, "user": user_id})
