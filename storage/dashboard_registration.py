"""Which satkers of a directorate have a dashboard account (reference §3.12, dirrequest 11).

A satker has an account when an approved dashboard account is granted that client
(`dashboard_user_clients`), whatever its role; an account waiting for approval is counted
apart, a rejected one not at all. The linked personnel of an account (`dashboard_users.
user_id`) says which person holds it. Satkers: those of `storage.directorate_satkers`.

Queries per build: one for the client, one for the satkers with their accounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.attendance import ClientInfo, find_client
from storage.directorate_satkers import SATKERS_OF_DIRECTORATE_SQL
from storage.models import ApprovalStatus
from storage.ordering import person_key
from storage.sql import Database, fetch_all

_ACCOUNTS_SQL = f"""
    WITH satkers AS ({SATKERS_OF_DIRECTORATE_SQL})
    SELECT s.client_id, s.name, u.username, u.role, u.status, u.user_id,
           p.rank AS person_rank, p.name AS person_name
    FROM satkers s
    LEFT JOIN dashboard_user_clients g ON g.client_id = s.client_id
    LEFT JOIN dashboard_users u ON u.id = g.dashboard_user_id AND u.status <> 'rejected'
    LEFT JOIN personnel p ON p.user_id = u.user_id
"""


@dataclass(frozen=True)
class DashboardAccountEntry:
    username: str
    role: str  # admin / directorate / operator
    approved: bool  # else waiting for approval
    user_id: str | None  # the linked personnel, if any
    person_rank: str | None
    person_name: str | None


@dataclass(frozen=True)
class SatkerAccounts:
    satker_id: str
    name: str
    is_directorate_itself: bool
    accounts: tuple[DashboardAccountEntry, ...]  # approved first, then by username

    @property
    def approved(self) -> list[DashboardAccountEntry]:
        return [account for account in self.accounts if account.approved]

    @property
    def pending(self) -> list[DashboardAccountEntry]:
        return [account for account in self.accounts if not account.approved]

    @property
    def registered(self) -> bool:
        return bool(self.approved)


@dataclass
class DashboardRegistration:
    client: ClientInfo
    satkers: list[SatkerAccounts]  # the directorate itself first, then by name

    @property
    def registered(self) -> list[SatkerAccounts]:
        return [satker for satker in self.satkers if satker.registered]

    @property
    def unregistered(self) -> list[SatkerAccounts]:
        return [satker for satker in self.satkers if not satker.registered]

    @property
    def approved_accounts(self) -> int:
        """Distinct approved accounts (one account may be granted several satkers)."""
        return len({a.username for satker in self.satkers for a in satker.approved})

    @property
    def pending_accounts(self) -> int:
        return len({a.username for satker in self.satkers for a in satker.pending})


async def dashboard_registration(db: Database, client_id: str) -> DashboardRegistration:
    client = await find_client(db, client_id)
    rows = await fetch_all(db, _ACCOUNTS_SQL, client_id=client.client_id)
    names: dict[str, str] = {}
    accounts: dict[str, list[DashboardAccountEntry]] = {}
    for row in rows:
        names[row["client_id"]] = row["name"]
        entries = accounts.setdefault(row["client_id"], [])
        if row["username"] is not None:
            entries.append(DashboardAccountEntry(
                row["username"], row["role"], row["status"] == ApprovalStatus.APPROVED,
                row["user_id"], row["person_rank"], row["person_name"]))
    satkers = [SatkerAccounts(satker_id, names[satker_id], satker_id == client.client_id,
                              tuple(sorted(entries, key=_account_order)))
               for satker_id, entries in accounts.items()]
    satkers.sort(key=lambda s: (not s.is_directorate_itself, s.name.upper()))
    return DashboardRegistration(client, satkers)


def _account_order(account: DashboardAccountEntry) -> tuple[Any, ...]:
    return (not account.approved, *person_key(account.person_rank, account.person_name),
            account.username)


async def build_dashboard_registration(engine: AsyncEngine, request: Any) -> DashboardRegistration:
    return await dashboard_registration(engine, request.client_id)
