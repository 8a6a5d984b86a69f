"""Bulk deactivation ("Permohonan Penghapusan Data Personil", reference §4.6): each listed
person is deactivated and their WhatsApp number cleared, with the line's reason in the audit
log, in one transaction (three statements whatever the number of lines).

Only people of `allowed` clients are touched (None: any client); anyone else is reported as
another client's, without their data.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.sql import execute, execute_many, fetch_all


class Outcome(StrEnum):
    DEACTIVATED = "deactivated"
    ALREADY_INACTIVE = "already_inactive"
    OTHER_CLIENT = "other_client"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Request:
    """One line of the template: who, and why."""

    line: int  # the line's own number ("1.", "2.")
    nrp: str
    name: str  # as written in the template
    reason: str


@dataclass(frozen=True)
class Result:
    request: Request
    outcome: Outcome
    name: str | None = None  # the stored name and rank (only of a person that was allowed)
    rank: str | None = None


_LOCK_SQL = """
    SELECT user_id, name, rank, client_id, status, whatsapp FROM personnel
    WHERE user_id = ANY(:ids) ORDER BY user_id FOR UPDATE
"""
_DEACTIVATE_SQL = """
    UPDATE personnel SET status = false, whatsapp = NULL, updated_at = now()
    WHERE user_id = ANY(:ids)
"""
_AUDIT_SQL = """
    INSERT INTO personnel_changes (user_id, field, old_value, new_value, changed_by, reason)
    VALUES (:user_id, :field, :old, :new, :by, :reason)
"""


async def deactivate(engine: AsyncEngine, requests: list[Request],
                     allowed: Collection[str] | None, *, changed_by: str) -> list[Result]:
    """Apply the requests in one transaction; one result per request, in order. A person
    listed twice is deactivated once (the second line reads "already inactive")."""
    results: list[Result] = []
    async with engine.begin() as connection:
        people = {row["user_id"]: dict(row) for row in await fetch_all(
            connection, _LOCK_SQL, ids=sorted({request.nrp for request in requests}))}
        audit: list[dict[str, str | None]] = []
        for request in requests:
            person = people.get(request.nrp)
            if person is None:
                results.append(Result(request, Outcome.NOT_FOUND))
                continue
            if allowed is not None and person["client_id"] not in allowed:
                results.append(Result(request, Outcome.OTHER_CLIENT))
                continue
            if not person["status"]:
                results.append(Result(request, Outcome.ALREADY_INACTIVE, person["name"],
                                      person["rank"]))
                continue
            entry = {"user_id": request.nrp, "by": changed_by, "reason": request.reason or None}
            audit.append({**entry, "field": "status", "old": "true", "new": "false"})
            if person["whatsapp"]:
                audit.append({**entry, "field": "whatsapp", "old": person["whatsapp"],
                              "new": None})
            person["status"] = False
            results.append(Result(request, Outcome.DEACTIVATED, person["name"], person["rank"]))
        deactivated = sorted({r.request.nrp for r in results if r.outcome is Outcome.DEACTIVATED})
        if deactivated:
            await execute(connection, _DEACTIVATE_SQL, ids=deactivated)
            await execute_many(connection, _AUDIT_SQL, audit)
    return results
