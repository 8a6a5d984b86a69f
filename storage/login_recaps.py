"""Web-login recap (clientrequest 3.2): per approved dashboard account, how often it signed
in during a period (`login_logs`), and the accounts that never did."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.clock import Period
from storage.sql import fetch_all


@dataclass(frozen=True)
class AccountLogins:
    username: str
    role: str
    logins: int
    last_login: datetime | None


@dataclass(frozen=True)
class LoginRecap:
    period: Period
    accounts: list[AccountLogins]

    @property
    def logged_in(self) -> list[AccountLogins]:
        return [account for account in self.accounts if account.logins]

    @property
    def never(self) -> list[AccountLogins]:
        return [account for account in self.accounts if not account.logins]


_SQL = """
    SELECT u.username, u.role, count(l.id) AS logins, max(l.logged_at) AS last_login
    FROM dashboard_users u
    LEFT JOIN login_logs l ON l.actor_id = u.id::text
         AND l.logged_at >= :since AND l.logged_at < :until
    WHERE u.status = 'approved'
    GROUP BY u.id, u.username, u.role
    ORDER BY count(l.id) DESC, u.username
"""


async def login_recap(engine: AsyncEngine, period: Period) -> LoginRecap:
    rows = await fetch_all(engine, _SQL, since=period.since, until=period.until)
    return LoginRecap(period, [AccountLogins(**row) for row in rows])
