"""Who the scheduled deliveries go to (data_and_reports.md §4.2): the clients each job covers
and their contact rows, never hard-coded chats."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import ClientType, ContactKind
from storage.sql import fetch_all

_ACTIVE_DIRECTORATES = ("SELECT client_id FROM clients WHERE status AND type = :directorate "
                        "ORDER BY client_id")
_AMPLIFYING = ("SELECT client_id FROM clients WHERE status AND amplify_status "
               "AND (CAST(:type AS text) IS NULL OR type = :type) ORDER BY client_id")
_CONTACTS = ("SELECT client_id, kind, value FROM client_contacts "
             "WHERE client_id = ANY(:clients) ORDER BY id")


async def active_directorates(engine: AsyncEngine) -> list[str]:
    rows = await fetch_all(engine, _ACTIVE_DIRECTORATES,
                           directorate=ClientType.DIRECTORATE.value)
    return [row["client_id"] for row in rows]


async def amplifying_clients(engine: AsyncEngine, client_type: ClientType | None = None
                             ) -> list[str]:
    """Active clients with amplification on (of `client_type` when given)."""
    rows = await fetch_all(engine, _AMPLIFYING,
                           type=client_type.value if client_type else None)
    return [row["client_id"] for row in rows]


ContactBook = dict[str, dict[ContactKind, list[str]]]


async def contact_book(engine: AsyncEngine, clients: list[str]) -> ContactBook:
    """Each client's contacts by kind, in one query."""
    book: ContactBook = defaultdict(lambda: defaultdict(list))
    for row in await fetch_all(engine, _CONTACTS, clients=clients):
        book[row["client_id"]][ContactKind(row["kind"])].append(row["value"])
    return book
