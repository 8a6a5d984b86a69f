"""Official Satbinmas accounts (reference §1.3, §4.5): at most one per client and platform,
and a username belongs to one client only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import ClientType, Platform
from storage.sql import fetch_all, fetch_one, write_returning


@dataclass(frozen=True)
class OfficialAccount:
    client_id: str
    platform: str
    username: str
    display_name: str | None
    profile_url: str | None
    secuid: str | None
    active: bool
    verified: bool
    updated_at: datetime


class SaveOutcome(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    TAKEN = "taken"  # the username is another client's official account


@dataclass(frozen=True)
class Coverage:
    """Which platforms an ORG client has an official account on."""

    client_id: str
    name: str
    platforms: frozenset[str]


_COLUMNS = ("client_id, platform, username, display_name, profile_url, secuid, active, "
            "verified, updated_at")
_OF_CLIENT_SQL = f"""
    SELECT {_COLUMNS} FROM official_accounts WHERE client_id = :client_id ORDER BY platform
"""
_HOLDER_SQL = """
    SELECT client_id FROM official_accounts
    WHERE platform = :platform AND username = :username AND client_id <> :client_id
"""
_SAVE_SQL = """
    INSERT INTO official_accounts (client_id, platform, username, display_name, profile_url,
                                   secuid, active, verified)
    VALUES (:client_id, :platform, :username, :display_name, :profile_url, :secuid, :active,
            :verified)
    ON CONFLICT (client_id, platform) DO UPDATE SET
        username = EXCLUDED.username, display_name = EXCLUDED.display_name,
        profile_url = EXCLUDED.profile_url, secuid = EXCLUDED.secuid,
        active = EXCLUDED.active, verified = EXCLUDED.verified, updated_at = now()
    RETURNING (xmax = 0) AS inserted
"""
_COVERAGE_SQL = """
    SELECT c.client_id, c.name,
           coalesce(array_agg(a.platform) FILTER (WHERE a.platform IS NOT NULL), '{}')
               AS platforms
    FROM clients c LEFT JOIN official_accounts a ON a.client_id = c.client_id
    WHERE c.status AND c.type = :org
    GROUP BY c.client_id, c.name ORDER BY c.name, c.client_id
"""


async def accounts_of(engine: AsyncEngine, client_id: str) -> list[OfficialAccount]:
    return [OfficialAccount(**row) for row in
            await fetch_all(engine, _OF_CLIENT_SQL, client_id=client_id)]


async def save_account(engine: AsyncEngine, client_id: str, platform: Platform, username: str,
                       *, display_name: str | None, profile_url: str | None,
                       secuid: str | None, active: bool, verified: bool
                       ) -> tuple[SaveOutcome, str | None]:
    """Add or replace the client's account on `platform`; (TAKEN, holder) when another
    client has that username."""
    params = {"client_id": client_id, "platform": platform.value, "username": username}
    holder = await fetch_one(engine, _HOLDER_SQL, **params)
    if holder is not None:
        return SaveOutcome.TAKEN, holder["client_id"]
    try:
        [row] = await write_returning(engine, _SAVE_SQL, **params, display_name=display_name,
                                      profile_url=profile_url, secuid=secuid, active=active,
                                      verified=verified)
    except IntegrityError:  # taken by another client in the same moment
        holder = await fetch_one(engine, _HOLDER_SQL, **params)
        return SaveOutcome.TAKEN, holder["client_id"] if holder else None
    return (SaveOutcome.ADDED if row["inserted"] else SaveOutcome.UPDATED), None


async def coverage(engine: AsyncEngine) -> list[Coverage]:
    """Every active ORG client with the platforms it has an official account on."""
    rows = await fetch_all(engine, _COVERAGE_SQL, org=ClientType.ORG.value)
    return [Coverage(row["client_id"], row["name"], frozenset(row["platforms"]))
            for row in rows]
