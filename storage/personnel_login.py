"""What the personnel login needs to know about a person: whether they may log in and where
their one-time code goes (their registered WhatsApp number or e-mail)."""

from __future__ import annotations

from dataclasses import dataclass

from storage.sql import Database, fetch_one


@dataclass(frozen=True)
class LoginContact:
    user_id: str
    name: str
    rank: str | None
    client_id: str
    client_name: str | None
    active: bool
    whatsapp: str | None
    email: str | None


_SQL = """
    SELECT p.user_id, p.name, p.rank, p.client_id, c.name AS client_name, p.status AS active,
           nullif(trim(p.whatsapp), '') AS whatsapp, nullif(trim(p.email), '') AS email
    FROM personnel p LEFT JOIN clients c ON c.client_id = p.client_id
    WHERE p.user_id = :user_id
"""


async def login_contact(db: Database, user_id: str) -> LoginContact | None:
    row = await fetch_one(db, _SQL, user_id=user_id)
    return LoginContact(**row) if row is not None else None
