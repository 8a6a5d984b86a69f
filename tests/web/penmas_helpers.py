"""Penmas accounts and tokens for tests, and the dashboard account linked to a person that
premium needs."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import DashboardRole, PenmasRole
from storage.penmas_accounts import PenmasAccount, find_by_id
from tests.web.conftest import JWT_SECRET, PASSWORD, bearer, token_for
from web.passwords import hash_password
from web.penmas_security import issue_penmas_token


async def penmas_user(engine: AsyncEngine, username: str, role: PenmasRole, *,
                      whatsapp: str | None = None, password: str | None = PASSWORD
                      ) -> PenmasAccount:
    """A Penmas account (`password` None: one that cannot log in, cheap to make)."""
    async with engine.begin() as connection:
        account_id = await connection.scalar(text(
            "INSERT INTO penmas_users (username, password_hash, role, whatsapp) "
            "VALUES (:username, :hash, :role, :whatsapp) RETURNING id"),
            {"username": username, "role": role.value, "whatsapp": whatsapp,
             "hash": await hash_password(password) if password is not None else "x"})
    account = await find_by_id(engine, int(account_id))
    assert account is not None
    return account


def penmas_auth(account: PenmasAccount) -> dict[str, str]:
    return bearer(issue_penmas_token(JWT_SECRET, account))


async def linked_dashboard_user(engine: AsyncEngine, username: str, user_id: str | None, *,
                                role: DashboardRole = DashboardRole.OPERATOR,
                                clients: list[str] | None = None) -> dict[str, str]:
    """An approved dashboard account linked to personnel `user_id` (it cannot log in with a
    password: the token is made here); its headers."""
    clients = ["POLRES_A"] if clients is None else clients
    async with engine.begin() as connection:
        account_id = str(await connection.scalar(text(
            "INSERT INTO dashboard_users (username, password_hash, role, status, user_id) "
            "VALUES (:username, 'x', :role, 'approved', :user) RETURNING id"),
            {"username": username, "role": role.value, "user": user_id}))
        for client_id in clients:
            await connection.execute(text(
                "INSERT INTO dashboard_user_clients (dashboard_user_id, client_id) "
                "VALUES (:id, :client)"), {"id": account_id, "client": client_id})
    return bearer(token_for(account_id, username, role, clients))


async def set_premium_until(engine: AsyncEngine, user_id: str, until: date | None) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE personnel SET premium_until = :until "
                                      "WHERE user_id = :user"), {"until": until, "user": user_id})
