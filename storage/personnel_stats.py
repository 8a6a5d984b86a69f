"""Personnel data completeness and WhatsApp registration (reference §2.9, §3.7).

Not engagement attendance: these count which handles are filled in. Populations are those
of spec/attendance.md: a directorate's active members grouped by their home satker, or an
ORG satker's own active personnel.

Queries per build: one for the client, one per-satker aggregate over `personnel`, and for an
ORG satker one more for its people (the per-satfung lists). Never one per satker or person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.attendance import POPULATION_FILTERS, ClientInfo, PopulationKind, client_info
from storage.directorate_satkers import ORG_SATKERS_OF_DIRECTORATE_SQL
from storage.ordering import NO_SATFUNG, person_key, satfung_key, satker_key
from storage.sql import fetch_all


def _filled(column: str) -> str:
    return f"nullif(btrim(coalesce({column}, '')), '') IS NOT NULL"


@dataclass(frozen=True)
class UnitCounts:
    """Filled-in handles of one satker (or one satfung of an ORG satker)."""

    key: str
    name: str
    total: int
    instagram: int
    tiktok: int
    complete: int  # both Instagram and TikTok
    whatsapp: int
    is_directorate_itself: bool = False

    @property
    def instagram_missing(self) -> int:
        return self.total - self.instagram

    @property
    def tiktok_missing(self) -> int:
        return self.total - self.tiktok

    @property
    def incomplete(self) -> int:
        return self.total - self.complete

    @property
    def whatsapp_missing(self) -> int:
        return self.total - self.whatsapp

    @property
    def instagram_rate(self) -> float:
        return self.instagram / self.total if self.total else 0.0

    @property
    def tiktok_rate(self) -> float:
        return self.tiktok / self.total if self.total else 0.0

    @property
    def complete_rate(self) -> float:
        return self.complete / self.total if self.total else 0.0

    @property
    def whatsapp_rate(self) -> float:
        return self.whatsapp / self.total if self.total else 0.0

    @classmethod
    def summed(cls, key: str, name: str, units: Iterable[UnitCounts]) -> UnitCounts:
        units = list(units)
        return cls(key, name, sum(u.total for u in units), sum(u.instagram for u in units),
                   sum(u.tiktok for u in units), sum(u.complete for u in units),
                   sum(u.whatsapp for u in units))


@dataclass(frozen=True)
class PersonData:
    user_id: str
    name: str
    rank: str | None
    satfung: str
    satker_id: str
    has_instagram: bool
    has_tiktok: bool
    has_whatsapp: bool

    @property
    def complete(self) -> bool:
        return self.has_instagram and self.has_tiktok


SatfungGroup = tuple[str, list[PersonData]]


@dataclass
class PersonnelData:
    """Who has which handle filled in, for one client's population."""

    client: ClientInfo
    kind: PopulationKind
    satkers: list[UnitCounts]  # directorate: every satker, also those without personnel
    people: list[PersonData]  # ORG satker; a directorate's only when asked (with_people)

    @property
    def totals(self) -> UnitCounts:
        return UnitCounts.summed(self.client.client_id, self.client.name, self.satkers)

    @property
    def satkers_with_personnel(self) -> list[UnitCounts]:
        return [unit for unit in self.satkers if unit.total]

    @property
    def satkers_without_personnel(self) -> list[UnitCounts]:
        return [unit for unit in self.satkers if not unit.total]

    def by_satfung(self, people: list[PersonData] | None = None) -> list[SatfungGroup]:
        """(satfung, its people) in satfung order; people keep their rank order."""
        buckets: dict[str, list[PersonData]] = defaultdict(list)
        for person in self.people if people is None else people:
            buckets[person.satfung].append(person)
        return [(name, buckets[name]) for name in sorted(buckets, key=satfung_key)]

    def satfung_units(self) -> list[UnitCounts]:
        """The ORG satker's satfung as units (its counterpart of a directorate's satkers)."""
        return [UnitCounts(name, name, len(members),
                           sum(p.has_instagram for p in members),
                           sum(p.has_tiktok for p in members),
                           sum(p.complete for p in members),
                           sum(p.has_whatsapp for p in members))
                for name, members in self.by_satfung()]

    def units(self) -> list[UnitCounts]:
        """The rows of a per-unit view: satkers with personnel, or an ORG satker's satfung."""
        if self.kind == PopulationKind.DIRECTORATE:
            return self.satkers_with_personnel
        return self.satfung_units()


def population_kind(client: ClientInfo) -> PopulationKind:
    return PopulationKind.DIRECTORATE if client.is_directorate else PopulationKind.SATKER


# The satkers of a directorate (storage.directorate_satkers) and the home satker of any
# member; an ORG satker is its own only unit.
_SATKER_COUNTS_SQL = f"""
    WITH population AS (
        SELECT p.user_id, p.client_id,
               {_filled('p.instagram')} AS has_instagram,
               {_filled('p.tiktok')} AS has_tiktok,
               {_filled('p.whatsapp')} AS has_whatsapp
        FROM personnel p
        WHERE p.status AND {{population}}
    ), satkers AS (
        SELECT c.client_id, c.name FROM clients c
        WHERE c.client_id = :client_id
           OR (:directorate AND c.client_id IN ({ORG_SATKERS_OF_DIRECTORATE_SQL}))
        UNION
        SELECT c.client_id, c.name FROM clients c
        WHERE c.client_id IN (SELECT client_id FROM population)
    )
    SELECT s.client_id, s.name,
           count(p.user_id) AS total,
           count(*) FILTER (WHERE p.has_instagram) AS instagram,
           count(*) FILTER (WHERE p.has_tiktok) AS tiktok,
           count(*) FILTER (WHERE p.has_instagram AND p.has_tiktok) AS complete,
           count(*) FILTER (WHERE p.has_whatsapp) AS whatsapp
    FROM satkers s LEFT JOIN population p ON p.client_id = s.client_id
    GROUP BY s.client_id, s.name
"""

_PEOPLE_SQL = f"""
    SELECT p.user_id, p.name, p.rank, p.satfung, p.client_id AS satker_id,
           {_filled('p.instagram')} AS has_instagram,
           {_filled('p.tiktok')} AS has_tiktok,
           {_filled('p.whatsapp')} AS has_whatsapp
    FROM personnel p
    WHERE p.status AND {{population}}
"""


async def personnel_data(engine: AsyncEngine | AsyncConnection, client_id: str, *,
                         with_people: bool = False) -> PersonnelData:
    """Completeness and registration counts of the client's population (see module doc); a
    directorate's people too when `with_people`."""
    if isinstance(engine, AsyncConnection):
        return await _compute(engine, client_id, with_people)
    async with engine.connect() as connection:
        return await _compute(connection, client_id, with_people)


async def _compute(connection: AsyncConnection, client_id: str,
                   with_people: bool) -> PersonnelData:
    client = await client_info(connection, client_id)
    kind = population_kind(client)
    population = POPULATION_FILTERS[kind]
    params: dict[str, Any] = {"client_id": client.client_id,
                              "directorate": kind == PopulationKind.DIRECTORATE}
    rows = await fetch_all(connection, _SATKER_COUNTS_SQL.format(population=population),
                           **params)
    satkers = [UnitCounts(row["client_id"], row["name"], row["total"], row["instagram"],
                          row["tiktok"], row["complete"], row["whatsapp"],
                          is_directorate_itself=(kind == PopulationKind.DIRECTORATE
                                                 and row["client_id"] == client.client_id))
               for row in rows]
    satkers.sort(key=lambda unit: satker_key(
        is_directorate_itself=unit.is_directorate_itself, completion_rate=unit.complete_rate,
        personnel=unit.total, name=unit.name))
    people: list[PersonData] = []
    if kind != PopulationKind.DIRECTORATE or with_people:
        rows = await fetch_all(connection, _PEOPLE_SQL.format(population=population), **params)
        people = sorted(
            (PersonData(row["user_id"], row["name"], row["rank"], row["satfung"] or NO_SATFUNG,
                        row["satker_id"], row["has_instagram"], row["has_tiktok"],
                        row["has_whatsapp"]) for row in rows),
            key=lambda p: (*person_key(p.rank, p.name), p.user_id))
    return PersonnelData(client, kind, satkers, people)


async def build_personnel_data(engine: AsyncEngine, request: Any) -> PersonnelData:
    """The build step shared by `completeness`, `completeness-summary` and `registration`."""
    return await personnel_data(engine, request.client_id)


async def build_personnel_lists(engine: AsyncEngine, request: Any) -> PersonnelData:
    """The counts and every person, also of a directorate (the incomplete-personnel list)."""
    return await personnel_data(engine, request.client_id, with_people=True)
