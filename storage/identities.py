"""Who a WhatsApp number belongs to: admin, client operator or super admin, dashboard user,
personnel, or nobody we know. One query; a number may wear several hats (the bot keeps what
it resolved in `storage.identity_cache`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.kept_connections import fetch_rows
from storage.models import ContactKind


class IdentityKind(StrEnum):
    ADMIN = "admin"
    SUPER_ADMIN = "super_admin"
    OPERATOR = "operator"
    DASHBOARD_USER = "dashboard_user"
    PERSONNEL = "personnel"
    UNKNOWN = "unknown"


# The hats that act for others (forward complaints, answer for their units): one set.
STAFF_KINDS = frozenset({IdentityKind.ADMIN, IdentityKind.SUPER_ADMIN, IdentityKind.OPERATOR})
_PRECEDENCE = (IdentityKind.ADMIN, IdentityKind.SUPER_ADMIN, IdentityKind.OPERATOR,
               IdentityKind.DASHBOARD_USER, IdentityKind.PERSONNEL)


@dataclass(frozen=True)
class Identity:
    phone: str
    kinds: frozenset[IdentityKind]
    operator_of: tuple[str, ...] = ()  # clients where the number is an operator
    super_admin_of: tuple[str, ...] = ()
    user_id: str | None = None  # the personnel record linked to the number
    personnel_active: bool | None = None
    dashboard_username: str | None = None

    @property
    def is_staff(self) -> bool:
        """An admin, or an operator / super admin of some client."""
        return bool(self.kinds & STAFF_KINDS)

    @property
    def primary(self) -> IdentityKind:
        """The most privileged hat, for choosing a menu."""
        return next((kind for kind in _PRECEDENCE if kind in self.kinds), IdentityKind.UNKNOWN)


# Run for every inbound message, so straight on the driver connection (asyncpg placeholders):
# no BEGIN/ROLLBACK pair around a single read and no SQLAlchemy statement processing. Takes
# several numbers, so the lookups of the messages in flight share one query.
_IDENTITY_SQL = """
    SELECT value AS phone, 'contact' AS source, kind AS detail, client_id AS ref
    FROM client_contacts WHERE value = ANY($1) AND kind IN ('operator', 'super_admin')
    UNION ALL
    SELECT whatsapp, 'personnel', CASE WHEN status THEN 'active' ELSE 'inactive' END, user_id
    FROM personnel WHERE whatsapp = ANY($1)
    UNION ALL
    SELECT whatsapp, 'dashboard', status, username FROM dashboard_users
    WHERE whatsapp = ANY($1) AND status = 'approved'
"""
_GROUP_SQL = """
    SELECT 1 FROM client_contacts c JOIN clients USING (client_id)
    WHERE c.kind = 'group' AND c.value = $1 AND clients.status LIMIT 1
"""


async def resolve_identity(engine: AsyncEngine, phone: str,
                           admin_phones: frozenset[str] = frozenset()) -> Identity:
    """`phone` is normalised digits (628…), as every stored number is."""
    return (await resolve_identities(engine, [phone], admin_phones))[phone]


async def resolve_identities(engine: AsyncEngine, phones: Iterable[str],
                             admin_phones: frozenset[str] = frozenset()) -> dict[str, Identity]:
    """The identity of each number, in one query."""
    phones = list(dict.fromkeys(phones))
    rows: dict[str, list[Any]] = {phone: [] for phone in phones}
    for row in await fetch_rows(engine, _IDENTITY_SQL, phones):
        rows[row["phone"]].append(row)
    return {phone: _identity(phone, found, admin_phones) for phone, found in rows.items()}


def _identity(phone: str, rows: list[Any], admin_phones: frozenset[str]) -> Identity:
    kinds: set[IdentityKind] = {IdentityKind.ADMIN} if phone in admin_phones else set()
    operator_of, super_admin_of = [], []
    user_id = dashboard_username = None
    active = None
    for row in rows:
        source, detail, ref = row["source"], row["detail"], row["ref"]
        if source == "contact" and detail == ContactKind.OPERATOR:
            kinds.add(IdentityKind.OPERATOR)
            operator_of.append(ref)
        elif source == "contact":
            kinds.add(IdentityKind.SUPER_ADMIN)
            super_admin_of.append(ref)
        elif source == "personnel":
            kinds.add(IdentityKind.PERSONNEL)
            user_id, active = ref, detail == "active"
        else:
            kinds.add(IdentityKind.DASHBOARD_USER)
            dashboard_username = ref
    return Identity(phone, frozenset(kinds or {IdentityKind.UNKNOWN}),
                    tuple(sorted(operator_of)), tuple(sorted(super_admin_of)), user_id, active,
                    dashboard_username)


async def is_registered_group(engine: AsyncEngine, jid: str) -> bool:
    """A group JID listed as the group of an active client."""
    return bool(await fetch_rows(engine, _GROUP_SQL, jid))
