"""Which clients each kind of console serves a sender, from their grants only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.grants import ClientRef, Grants, clients, grants_of
from storage.models import ClientType

if TYPE_CHECKING:
    from conversations.flow import Turn


async def sender_grants(turn: Turn) -> Grants:
    """The sender's grants, read once per message."""
    if "grants" not in turn.memo:
        turn.memo["grants"] = await grants_of(turn.services.engine, turn.identity)
    return turn.memo["grants"]


async def directorates_of(engine: AsyncEngine, grants: Grants) -> list[ClientRef]:
    """Admins: every active directorate. Dashboard users with the directorate role: the
    directorates granted to them. Super admins: the directorates they are super admin of."""
    if grants.admin:
        return await clients(engine, None, [ClientType.DIRECTORATE])
    ids = set(grants.super_admin_of)
    if grants.directorate_user:
        ids |= grants.dashboard_clients
    return await clients(engine, ids, [ClientType.DIRECTORATE]) if ids else []


async def dashboard_clients_of(engine: AsyncEngine, grants: Grants) -> list[ClientRef]:
    """Admins: every active client; dashboard users: the clients granted to them."""
    if grants.admin:
        return await clients(engine, None)
    if not grants.dashboard_user or not grants.dashboard_clients:
        return []
    return await clients(engine, grants.dashboard_clients)


async def contact_clients_of(engine: AsyncEngine, grants: Grants) -> list[ClientRef]:
    """Admins: every active client; operators and super admins: their own clients."""
    if grants.admin:
        return await clients(engine, None)
    return await clients(engine, grants.contact_of) if grants.contact_of else []


async def satbinmas_satkers_of(engine: AsyncEngine, grants: Grants) -> list[ClientRef]:
    """The active ORG satkers whose official Satbinmas accounts the sender may register: the
    satkers granted to their dashboard accounts and those they are operator or super admin
    of. Admins register through the client console, for any satker."""
    ids = grants.dashboard_clients | grants.contact_of
    return await clients(engine, ids, [ClientType.ORG]) if ids else []
