"""Kasatker attendance (reference §3.11, dirrequest 33): every detected Kasat Binmas of a
directorate with their Instagram and TikTok status, and the directorate's ORG satkers where
no Kasat Binmas is detected.

Kasat Binmas: the directorate members whose jabatan says so (`PopulationKind.KASAT_BINMAS`),
policy `kasat-attendance` (all posts). Queries: the two attendance calls and one for the
satkers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.attendance import REPORT_POLICIES, PersonResult, Population, PopulationKind
from storage.directorate_satkers import ORG_SATKERS_OF_DIRECTORATE_SQL
from storage.engagement_summary import PeriodRequest, PlatformPair, platform_pair
from storage.sql import fetch_all

_ORG_SATKERS_SQL = f"""
    SELECT client_id, name FROM clients WHERE client_id IN ({ORG_SATKERS_OF_DIRECTORATE_SQL})
"""


@dataclass(frozen=True)
class KasatStatus:
    instagram: PersonResult
    tiktok: PersonResult

    @property
    def engaged(self) -> int:
        return self.instagram.engaged + self.tiktok.engaged


@dataclass
class KasatAttendance:
    pair: PlatformPair
    kasat: list[KasatStatus]  # in the population's list order (rank, name)
    satkers_without_kasat: list[tuple[str, str]]  # (client_id, name) by name


async def build_kasat_attendance(engine: AsyncEngine, request: PeriodRequest) -> KasatAttendance:
    pair = await platform_pair(engine, Population(PopulationKind.KASAT_BINMAS,
                                                  request.client_id.upper()),
                               request.period, REPORT_POLICIES["kasat-attendance"])
    comments = {person.user_id: person for person in pair.tiktok.people}
    kasat = [KasatStatus(person, comments[person.user_id]) for person in pair.instagram.people
             if person.user_id in comments]
    with_kasat = {status.instagram.satker_id for status in kasat}
    rows = await fetch_all(engine, _ORG_SATKERS_SQL, client_id=pair.instagram.client.client_id)
    missing = sorted(((row["client_id"], row["name"]) for row in rows
                      if row["client_id"] not in with_kasat), key=lambda s: s[1].upper())
    return KasatAttendance(pair, kasat, missing)

