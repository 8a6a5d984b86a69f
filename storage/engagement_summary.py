"""Views over several attendance calls: both platforms of one population, per-satker sums and
scores (reference §2.11), and person rankings.

Every number here is derived from `Attendance` objects computed by the one engine
(`storage.attendance`); nothing in this module counts engagement rows itself. Each builder
makes a fixed number of `attendance_for` calls (two: Instagram and TikTok), whatever the
period, the number of satker or the number of people.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from cicero.clock import Period
from storage.attendance import (
    REPORT_POLICIES,
    Attendance,
    PersonResult,
    Policy,
    Population,
    PopulationKind,
    Totals,
    attendance_for,
    client_info,
    find_client,
)
from storage.models import ClientType, Platform
from storage.ordering import rank_position
from storage.personnel_stats import population_kind

RANKING_SIZE = 5
LAPHAR_TARGET_SHARE = 0.95  # reference §2.11: target = ceil(95% x people x posts)
# Directorates whose Top/Bottom 5 of persons covers only their own staff (reference §3.8).
OWN_STAFF_TOP_BOTTOM = frozenset({"DITBINMAS"})

T = TypeVar("T")


class PeriodRequest(Protocol):
    """What a builder needs from a report request."""

    client_id: str
    period: Period


@dataclass
class PlatformPair:
    """The Instagram and TikTok attendance of one population for one period and policy."""

    instagram: Attendance
    tiktok: Attendance

    def __iter__(self) -> Iterator[Attendance]:
        return iter((self.instagram, self.tiktok))


async def platform_pair(engine: AsyncEngine | AsyncConnection, population: Population,
                        period: Period, policy: Policy, *, per_post: bool = False,
                        per_day: bool = False) -> PlatformPair:
    async def both(connection: AsyncConnection) -> PlatformPair:
        ig, tt = [await attendance_for(connection, population, platform, period, policy,
                                       per_post=per_post, per_day=per_day)
                  for platform in (Platform.INSTAGRAM, Platform.TIKTOK)]
        return PlatformPair(ig, tt)

    if isinstance(engine, AsyncConnection):
        return await both(engine)
    ig, tt = await asyncio.gather(*(attendance_for(engine, population, platform, period,
                                                   policy, per_post=per_post, per_day=per_day)
                                    for platform in (Platform.INSTAGRAM, Platform.TIKTOK)))
    return PlatformPair(ig, tt)


def top_and_bottom(items: Sequence[T], best_first: Callable[[T], Any],
                   worst_first: Callable[[T], Any], *, can_top: Callable[[T], bool],
                   can_bottom: Callable[[T], bool],
                   size: int = RANKING_SIZE) -> tuple[list[T], list[T]]:
    """The best `size` and, among the others, the worst `size` (worst first).

    Nobody is both top and bottom: with fewer than 2 x size items the list is split in two
    halves. Only items that did something can be top (`can_top`), and only items that left
    something undone can be bottom (`can_bottom`)."""
    top_count = min(size, math.ceil(len(items) / 2))
    top = sorted((item for item in items if can_top(item)), key=best_first)[:top_count]
    chosen = {id(item) for item in top}
    rest = [item for item in items if id(item) not in chosen and can_bottom(item)]
    return top, sorted(rest, key=worst_first)[:size]


# --- per satker ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SatkerTally:
    """One satker's people on one platform: the four classes and the Σ of posts engaged."""

    satker_id: str
    name: str
    totals: Totals
    engaged: int  # Σ over its people of the posts they engaged with (reference §2.11 "likes")
    posts: int

    @property
    def possible(self) -> int:
        return self.totals.total * self.posts

    @property
    def engaged_rate(self) -> float:
        return self.engaged / self.possible if self.possible else 0.0

    @property
    def acted_rate(self) -> float:
        """Share of the satker's people who engaged with at least one post."""
        return self.totals.acted / self.totals.total if self.totals.total else 0.0


def satker_tallies(attendance: Attendance) -> list[SatkerTally]:
    """One tally per home satker, in the shared satker order (directorate first)."""
    return [SatkerTally(group.key, group.name, group.totals,
                        sum(person.engaged for person in group.people), len(attendance.posts))
            for group in attendance.by_satker()]


# --- laphar ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LapharPlatform:
    attendance: Attendance
    satkers: list[SatkerTally]  # every satker, shared order (directorate first)
    top: list[SatkerTally]  # directorate excluded, most engagement first
    bottom: list[SatkerTally]  # directorate excluded, least engagement first
    post_personnel: dict[int, int]  # post id -> personnel of the population who engaged

    @property
    def engaged(self) -> int:
        return sum(tally.engaged for tally in self.satkers)

    @property
    def possible(self) -> int:
        return self.attendance.totals.total * len(self.attendance.posts)

    @property
    def target(self) -> int:
        return math.ceil(LAPHAR_TARGET_SHARE * self.possible)

    @property
    def deficit(self) -> int:
        return max(0, self.target - self.engaged)


@dataclass
class Laphar:
    instagram: LapharPlatform
    tiktok: LapharPlatform

    def __iter__(self) -> Iterator[LapharPlatform]:
        return iter((self.instagram, self.tiktok))


def laphar_platform(attendance: Attendance) -> LapharPlatform:
    tallies = satker_tallies(attendance)
    others = [t for t in tallies if t.satker_id != attendance.client.client_id]
    top, bottom = top_and_bottom(others, lambda t: (-t.engaged, -t.engaged_rate, t.name),
                                 lambda t: (t.engaged, t.engaged_rate, t.name),
                                 can_top=lambda t: t.engaged > 0,
                                 can_bottom=lambda t: t.engaged < t.possible)
    per_post = attendance.per_post or {}
    counts = {post.id: sum(1 for ids in per_post.values() if post.id in ids)
              for post in attendance.posts}
    return LapharPlatform(attendance, tallies, top, bottom, counts)


async def build_laphar(engine: AsyncEngine, request: PeriodRequest) -> Laphar:
    """Both platforms; per day too, for the workbook of a longer period."""
    pair = await platform_pair(engine, Population(PopulationKind.DIRECTORATE, request.client_id),
                               request.period, REPORT_POLICIES["laphar"], per_post=True,
                               per_day=True)
    return Laphar(laphar_platform(pair.instagram), laphar_platform(pair.tiktok))


def laphar_builder(platform: Platform) -> Callable[..., Any]:
    """The build step of the one-platform laphar (dirrequest 17, 18)."""

    async def build(engine: AsyncEngine, request: PeriodRequest) -> LapharPlatform:
        attendance = await attendance_for(
            engine, Population(PopulationKind.DIRECTORATE, request.client_id), platform,
            request.period, REPORT_POLICIES["laphar"], per_post=True, per_day=True)
        return laphar_platform(attendance)

    build.__name__ = f"build_laphar_{platform.value}"
    return build


# --- Top / Bottom 5 persons ------------------------------------------------------------------


def _tie_break(person: PersonResult) -> tuple[int, str, str, str]:
    return rank_position(person.rank), person.name.upper(), person.satker_id, person.user_id


@dataclass(frozen=True)
class PersonRanking:
    attendance: Attendance
    top: list[PersonResult]  # most posts engaged first
    bottom: list[PersonResult]  # fewest posts engaged first
    unranked: list[PersonResult]  # no username: nothing to measure


def person_ranking(attendance: Attendance) -> PersonRanking:
    ranked = [p for p in attendance.people if p.username]
    top, bottom = top_and_bottom(ranked, lambda p: (-p.engaged, *_tie_break(p)),
                                 lambda p: (p.engaged, *_tie_break(p)),
                                 can_top=lambda p: p.engaged > 0,
                                 can_bottom=lambda p: p.engaged < p.posts)
    unranked = [p for p in attendance.people if not p.username]
    return PersonRanking(attendance, top, bottom, unranked)


@dataclass
class TopBottom:
    instagram: PersonRanking
    tiktok: PersonRanking

    def __iter__(self) -> Iterator[PersonRanking]:
        return iter((self.instagram, self.tiktok))


async def build_top_bottom(engine: AsyncEngine, request: PeriodRequest) -> TopBottom:
    async with engine.connect() as connection:
        client = await client_info(connection, request.client_id)
        if client.type != ClientType.DIRECTORATE:
            kind = PopulationKind.SATKER
        elif client.client_id in OWN_STAFF_TOP_BOTTOM:
            kind = PopulationKind.OWN_STAFF
        else:
            kind = PopulationKind.DIRECTORATE
    pair = await platform_pair(engine, Population(kind, client.client_id), request.period,
                               REPORT_POLICIES["top-bottom"])
    return TopBottom(person_ranking(pair.instagram), person_ranking(pair.tiktok))


# --- ranking of persons by likes + comments -------------------------------------------------


@dataclass(frozen=True)
class PersonTotal:
    """One person's posts engaged on both platforms (reference §3.8, dirrequest 31)."""

    person: PersonResult  # identity (either platform's row of the person)
    likes: int
    comments: int

    @property
    def total(self) -> int:
        return self.likes + self.comments


@dataclass
class PersonnelRanking:
    pair: PlatformPair
    ranked: list[PersonTotal]  # everyone who engaged at least once by deed, most first
    population: int  # people in the population
    exceptions: int  # exception people: counted done by rule, not ranked by deed


def personnel_totals(pair: PlatformPair) -> PersonnelRanking:
    likes = {person.user_id: person for person in pair.instagram.people}
    comments = {person.user_id: person for person in pair.tiktok.people}
    people = {**comments, **likes}  # both platforms share the population
    ranked = []
    for user_id, person in people.items():
        if person.exception:
            continue
        total = PersonTotal(person, likes[user_id].engaged if user_id in likes else 0,
                            comments[user_id].engaged if user_id in comments else 0)
        if total.total:
            ranked.append(total)
    ranked.sort(key=lambda t: (-t.total, *_tie_break(t.person)))
    return PersonnelRanking(pair, ranked, len(people),
                            sum(1 for person in people.values() if person.exception))


async def build_personnel_ranking(engine: AsyncEngine,
                                  request: PeriodRequest) -> PersonnelRanking:
    client = await find_client(engine, request.client_id)
    pair = await platform_pair(engine, Population(population_kind(client), client.client_id),
                               request.period, REPORT_POLICIES["personnel-ranking"])
    return personnel_totals(pair)


# --- satker scores: engagement ranking and Kasatker compliance -------------------------------


@dataclass(frozen=True)
class SatkerScore:
    satker_id: str
    name: str
    is_directorate: bool  # the requested directorate's own staff
    instagram: SatkerTally
    tiktok: SatkerTally

    @property
    def personnel(self) -> int:
        return max(self.instagram.totals.total, self.tiktok.totals.total)

    @property
    def ratios(self) -> list[float]:
        """acted / total per platform, for the platforms that had posts in the period."""
        return [tally.acted_rate for tally in (self.instagram, self.tiktok) if tally.posts]

    @property
    def score(self) -> float:
        """Mean of the platforms' acted rates (reference §2.11); a platform without posts in
        the period carries no obligation and is left out of the mean."""
        ratios = self.ratios
        return sum(ratios) / len(ratios) if ratios else 0.0

    @property
    def engagement_total(self) -> int:
        return self.instagram.engaged + self.tiktok.engaged


@dataclass
class SatkerEngagement:
    pair: PlatformPair
    satkers: list[SatkerScore]  # directorate first, then score, engagement, personnel, name

    @property
    def ranked(self) -> list[SatkerScore]:
        return [satker for satker in self.satkers if not satker.is_directorate]

    @property
    def directorate(self) -> SatkerScore | None:
        return next((satker for satker in self.satkers if satker.is_directorate), None)


def satker_scores(pair: PlatformPair) -> list[SatkerScore]:
    client_id = pair.instagram.client.client_id
    ig = {t.satker_id: t for t in satker_tallies(pair.instagram)}
    tt = {t.satker_id: t for t in satker_tallies(pair.tiktok)}

    def tally(tallies: dict[str, SatkerTally], satker_id: str, name: str,
              attendance: Attendance) -> SatkerTally:
        # Both calls share one population; a satker is missing on one side only when the
        # personnel changed between the two queries.
        return tallies.get(satker_id) or SatkerTally(satker_id, name, Totals(), 0,
                                                     len(attendance.posts))

    scores = []
    for satker_id in ig.keys() | tt.keys():
        name = (ig.get(satker_id) or tt[satker_id]).name
        scores.append(SatkerScore(satker_id, name, satker_id == client_id,
                                  tally(ig, satker_id, name, pair.instagram),
                                  tally(tt, satker_id, name, pair.tiktok)))
    return sorted(scores, key=lambda s: (not s.is_directorate, -s.score, -s.engagement_total,
                                         -s.personnel, s.name.upper()))


async def build_satker_engagement(engine: AsyncEngine, request: PeriodRequest,
                                  report: str) -> SatkerEngagement:
    pair = await platform_pair(engine, Population(PopulationKind.DIRECTORATE, request.client_id),
                               request.period, REPORT_POLICIES[report])
    return SatkerEngagement(pair, satker_scores(pair))


async def build_ranking(engine: AsyncEngine, request: PeriodRequest) -> SatkerEngagement:
    return await build_satker_engagement(engine, request, "ranking")


async def build_kasatker(engine: AsyncEngine, request: PeriodRequest) -> SatkerEngagement:
    return await build_satker_engagement(engine, request, "kasatker")
