"""What a sender may open in the privileged consoles, decided from who they are.

The identity (storage/identities.py) says which hats a number wears; `grants_of` adds what
the consoles need on top: the clients of each hat and the dashboard accounts' roles and
granted clients. It is read at every console step, so a grant withdrawn in the dashboard
stops the console at once. Nothing the sender types widens it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.identities import Identity, IdentityKind
from storage.models import ClientType, DashboardRole
from storage.sql import fetch_all


@dataclass(frozen=True)
class ClientRef:
    client_id: str
    name: str
    type: ClientType
    active: bool


@dataclass(frozen=True)
class Grants:
    admin: bool  # ADMIN_WHATSAPP, or an approved dashboard account with the admin role
    operator_of: frozenset[str]
    super_admin_of: frozenset[str]
    dashboard_roles: frozenset[DashboardRole]
    dashboard_clients: frozenset[str]  # granted to the number's approved dashboard accounts

    @property
    def contact_of(self) -> frozenset[str]:
        """Clients where the number is an operator or a super admin."""
        return self.operator_of | self.super_admin_of

    @property
    def directorate_user(self) -> bool:
        return DashboardRole.DIRECTORATE in self.dashboard_roles

    @property
    def dashboard_user(self) -> bool:
        return bool(self.dashboard_roles)


_ACCOUNTS_SQL = """
    SELECT u.role, coalesce(array_agg(g.client_id) FILTER (WHERE g.client_id IS NOT NULL),
                            '{}') AS clients
    FROM dashboard_users u LEFT JOIN dashboard_user_clients g ON g.dashboard_user_id = u.id
    WHERE u.whatsapp = :phone AND u.status = 'approved'
    GROUP BY u.id, u.role
"""
_CLIENTS_SQL = """
    SELECT client_id, name, type, status AS active FROM clients
    WHERE (CAST(:every AS boolean) OR client_id = ANY(:ids))
      AND type = ANY(:types) AND (status OR NOT CAST(:active_only AS boolean))
    ORDER BY name, client_id
"""


async def grants_of(engine: AsyncEngine, identity: Identity) -> Grants:
    roles: set[DashboardRole] = set()
    clients: set[str] = set()
    if IdentityKind.DASHBOARD_USER in identity.kinds:
        for row in await fetch_all(engine, _ACCOUNTS_SQL, phone=identity.phone):
            roles.add(DashboardRole(row["role"]))
            clients.update(row["clients"])
    return Grants(admin=IdentityKind.ADMIN in identity.kinds or DashboardRole.ADMIN in roles,
                  operator_of=frozenset(identity.operator_of),
                  super_admin_of=frozenset(identity.super_admin_of),
                  dashboard_roles=frozenset(roles), dashboard_clients=frozenset(clients))


async def clients(engine: AsyncEngine, ids: Iterable[str] | None,
                  types: Iterable[ClientType] = tuple(ClientType), *,
                  active_only: bool = True) -> list[ClientRef]:
    """The clients among `ids` (None: every client) of the given types, by name."""
    rows = await fetch_all(engine, _CLIENTS_SQL, every=ids is None, ids=sorted(ids or ()),
                           types=[kind.value for kind in types], active_only=active_only)
    return [ClientRef(row["client_id"], row["name"], ClientType(row["type"]), row["active"])
            for row in rows]
