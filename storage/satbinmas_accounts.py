"""The register of Satbinmas official accounts: one per (ORG satker, platform), each account
on one satker only.

Who may write a satker's accounts is decided by the callers (the gateway flow, the client
console, the web API) from the sender's grants; a username reaches `save_account` already
normalised (storage/identifiers.py) and checked against the platform (jobs/satbinmas_accounts).
Changing a satker's username for a platform starts the account afresh: the posts and fetch
outcomes of the old account are removed with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.grants import ClientRef, clients
from storage.models import Platform
from storage.sql import execute, fetch_all, fetch_one, fetch_value, write_returning


@dataclass(frozen=True)
class ProfileFacts:
    """What a profile lookup learnt about an account."""

    username: str
    sec_uid: str | None = None
    display_name: str | None = None
    biography: str | None = None
    avatar_url: str | None = None
    followers: int | None = None
    following: int | None = None
    post_count: int | None = None
    is_verified: bool = False
    is_private: bool = False


@dataclass(frozen=True)
class SatbinmasAccount:
    id: int
    client_id: str
    client_name: str
    platform: Platform
    username: str
    sec_uid: str | None
    display_name: str | None
    biography: str | None
    avatar_url: str | None
    followers: int | None
    following: int | None
    post_count: int | None
    is_verified: bool
    is_private: bool
    checked_at: datetime | None
    updated_at: datetime


class SaveResult(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    TAKEN = "taken"  # the username is the official account of another satker


@dataclass(frozen=True)
class Saved:
    result: SaveResult
    account: SatbinmasAccount | None  # None when TAKEN


_COLUMNS = """
    a.id, a.client_id, c.name AS client_name, a.platform, a.username, a.sec_uid,
    a.display_name, a.biography, a.avatar_url, a.followers, a.following, a.post_count,
    a.is_verified, a.is_private, a.checked_at, a.updated_at
"""
_ACCOUNTS_OF = f"""
    SELECT {_COLUMNS} FROM satbinmas_accounts a JOIN clients c USING (client_id)
    WHERE a.client_id = :client_id ORDER BY a.platform
"""
_ACCOUNT = f"""
    SELECT {_COLUMNS} FROM satbinmas_accounts a JOIN clients c USING (client_id)
    WHERE a.id = :id
"""
_TARGETS = f"""
    SELECT {_COLUMNS} FROM satbinmas_accounts a JOIN clients c USING (client_id)
    WHERE a.platform = :platform AND c.status AND c.type = 'org'
    ORDER BY c.name, c.client_id
"""
_OWNER = "SELECT client_id FROM satbinmas_accounts WHERE platform = :platform AND username = :u"
_CURRENT = """
    SELECT id, username FROM satbinmas_accounts
    WHERE client_id = :client_id AND platform = :platform FOR UPDATE
"""
_FORGET_POSTS = "DELETE FROM satbinmas_posts WHERE account_id = :id"
_FORGET_FETCHES = "DELETE FROM satbinmas_fetches WHERE account_id = :id"
_PROFILE_VALUES = """
    sec_uid = EXCLUDED.sec_uid, display_name = EXCLUDED.display_name,
    biography = EXCLUDED.biography, avatar_url = EXCLUDED.avatar_url,
    followers = EXCLUDED.followers, following = EXCLUDED.following,
    post_count = EXCLUDED.post_count, is_verified = EXCLUDED.is_verified,
    is_private = EXCLUDED.is_private, checked_at = EXCLUDED.checked_at
"""
_UPSERT = f"""
    INSERT INTO satbinmas_accounts (client_id, platform, username, sec_uid, display_name,
                                    biography, avatar_url, followers, following, post_count,
                                    is_verified, is_private, checked_at)
    VALUES (:client_id, :platform, :username, :sec_uid, :display_name, :biography, :avatar_url,
            :followers, :following, :post_count, :is_verified, :is_private, :checked_at)
    ON CONFLICT (client_id, platform) DO UPDATE SET
        username = EXCLUDED.username, {_PROFILE_VALUES}, updated_at = now()
    RETURNING id, (xmax = 0) AS created
"""
_UPDATE_PROFILE = """
    UPDATE satbinmas_accounts SET sec_uid = coalesce(:sec_uid, sec_uid),
        display_name = :display_name, biography = :biography, avatar_url = :avatar_url,
        followers = :followers, following = :following, post_count = :post_count,
        is_verified = :is_verified, is_private = :is_private, checked_at = :checked_at,
        updated_at = now()
    WHERE id = :id AND username = :username
"""
_DELETE = "DELETE FROM satbinmas_accounts WHERE id = :id AND client_id = :client_id RETURNING id"


def _account(row) -> SatbinmasAccount:
    return SatbinmasAccount(**{**row, "platform": Platform(row["platform"])})


async def satker(engine: AsyncEngine, client_id: str) -> ClientRef | None:
    """The client `client_id` (of any type, active or not), if it exists."""
    found = await clients(engine, [client_id], active_only=False)
    return found[0] if found else None


async def accounts_of(engine: AsyncEngine, client_id: str) -> list[SatbinmasAccount]:
    """The satker's accounts, Instagram first."""
    return [_account(row) for row in await fetch_all(engine, _ACCOUNTS_OF, client_id=client_id)]


async def account(engine: AsyncEngine, account_id: int) -> SatbinmasAccount | None:
    row = await fetch_one(engine, _ACCOUNT, id=account_id)
    return _account(row) if row else None


async def fetch_targets(engine: AsyncEngine, platform: Platform) -> list[SatbinmasAccount]:
    """The accounts on `platform` of every active ORG satker, by satker name."""
    return [_account(row) for row in await fetch_all(engine, _TARGETS, platform=platform.value)]


async def owner_of(engine: AsyncEngine, platform: Platform, username: str) -> str | None:
    """The satker whose official account `username` is on `platform`, if any."""
    return await fetch_value(engine, _OWNER, platform=platform.value, u=username)


def _profile_params(facts: ProfileFacts, checked_at: datetime) -> dict[str, object]:
    return {"sec_uid": facts.sec_uid, "display_name": facts.display_name,
            "biography": facts.biography, "avatar_url": facts.avatar_url,
            "followers": facts.followers, "following": facts.following,
            "post_count": facts.post_count, "is_verified": facts.is_verified,
            "is_private": facts.is_private, "checked_at": checked_at}


async def save_account(engine: AsyncEngine, client_id: str, platform: Platform,
                       facts: ProfileFacts, checked_at: datetime) -> Saved:
    """Add or replace the satker's account on `platform` with a checked profile."""
    owner = await owner_of(engine, platform, facts.username)
    if owner is not None and owner != client_id:
        return Saved(SaveResult.TAKEN, None)
    try:
        async with engine.begin() as connection:
            current = await fetch_one(connection, _CURRENT, client_id=client_id,
                                      platform=platform.value)
            if current is not None and current["username"] != facts.username:
                await execute(connection, _FORGET_POSTS, id=current["id"])
                await execute(connection, _FORGET_FETCHES, id=current["id"])
            rows = await write_returning(connection, _UPSERT, client_id=client_id,
                                         platform=platform.value, username=facts.username,
                                         **_profile_params(facts, checked_at))
    except IntegrityError:  # the username was taken by another satker meanwhile
        return Saved(SaveResult.TAKEN, None)
    saved = await account(engine, rows[0]["id"])
    return Saved(SaveResult.CREATED if rows[0]["created"] else SaveResult.UPDATED, saved)


async def update_profile(engine: AsyncEngine, account_id: int, facts: ProfileFacts,
                         checked_at: datetime) -> bool:
    """Refresh a stored account's profile (secUid sync); False when the account is gone or
    its username changed meanwhile."""
    return bool(await execute(engine, _UPDATE_PROFILE, id=account_id, username=facts.username,
                              **_profile_params(facts, checked_at)))


async def delete_account(engine: AsyncEngine, client_id: str, account_id: int) -> bool:
    """Remove one of the satker's accounts (with its posts); False when it has no such
    account."""
    return bool(await write_returning(engine, _DELETE, id=account_id, client_id=client_id))
