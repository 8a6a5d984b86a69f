"""Link recaps of the operator console (oprrequest 6, 7, 8; reference §3.10 "rekapLink" and
"per post"): the client's Instagram posts of a period, the amplification links people
reported for them (`link_reports`, filled by the link amplification feature), and for the
per-post recap who of the client's population reported and who did not.

Queries per build: the client, the period's posts, the reports of those posts, and (per
post only) the population. Never one per post or person.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.clock import Period
from storage.amplification import LINK_PLATFORMS
from storage.attendance import POPULATION_FILTERS, ClientInfo, PopulationKind, client_info
from storage.ordering import NO_SATFUNG, person_key
from storage.sql import fetch_all

ALL_POSTS = "all"  # the per-post recap's mode for every post of the period


@dataclass(frozen=True)
class ReportedLinks:
    """One person's report for one post: the links per platform (only those given)."""

    post_id: int
    user_id: str
    links: dict[str, str]


@dataclass(frozen=True)
class RecapPost:
    id: int
    external_id: str
    uploaded_at: datetime
    reports: tuple[ReportedLinks, ...]

    @property
    def reporters(self) -> frozenset[str]:
        return frozenset(report.user_id for report in self.reports)

    @property
    def link_count(self) -> int:
        return sum(len(report.links) for report in self.reports)


@dataclass(frozen=True)
class RecapPerson:
    user_id: str
    name: str
    rank: str | None
    satfung: str


@dataclass
class LinkRecap:
    client: ClientInfo
    period: Period
    posts: list[RecapPost]
    people: list[RecapPerson] = field(default_factory=list)  # the population (per post only)

    @property
    def reports(self) -> list[ReportedLinks]:
        return [report for post in self.posts for report in post.reports]

    @property
    def reporters(self) -> frozenset[str]:
        return frozenset(report.user_id for report in self.reports)

    @property
    def link_count(self) -> int:
        return sum(post.link_count for post in self.posts)

    def links_by_platform(self) -> dict[str, list[str]]:
        """Every reported URL per platform (LINK_PLATFORMS order), in post then NRP order."""
        found: dict[str, list[str]] = {platform: [] for platform in LINK_PLATFORMS}
        for report in self.reports:
            for platform, url in report.links.items():
                found[platform].append(url)
        return found

    def split(self, post: RecapPost) -> tuple[list[RecapPerson], list[RecapPerson]]:
        """The population as (reported for `post`, did not), in list order."""
        reporters = post.reporters
        done = [person for person in self.people if person.user_id in reporters]
        return done, [person for person in self.people if person.user_id not in reporters]


_POSTS_SQL = """
    SELECT id, external_id, uploaded_at FROM posts
    WHERE client_id = :client_id AND platform = 'instagram'
      AND uploaded_at >= :since AND uploaded_at < :until
    ORDER BY uploaded_at, external_id
"""
_REPORTS_SQL = """
    SELECT post_id, user_id, instagram_link, facebook_link, twitter_link, tiktok_link,
           youtube_link
    FROM link_reports WHERE post_id = ANY(:post_ids)
    ORDER BY post_id, user_id
"""
_PEOPLE_SQL = """
    SELECT p.user_id, p.name, p.rank, p.satfung FROM personnel p
    WHERE p.status AND {population}
"""


def _links(row: Any) -> dict[str, str]:
    found = {}
    for platform in LINK_PLATFORMS:
        value = row[f"{platform}_link"]
        if value and value.strip():
            found[platform] = value.strip()
    return found


async def link_recap(engine: AsyncEngine, client_id: str, period: Period, *,
                     post: str | None = None, with_people: bool = False) -> LinkRecap:
    """The client's Instagram posts of `period` (only `post`, a shortcode, when given) with
    the links reported for them; `with_people` adds the client's population."""
    async with engine.connect() as connection:
        client = await client_info(connection, client_id)
    params = {"client_id": client.client_id, "since": period.since, "until": period.until}
    rows = await fetch_all(engine, _POSTS_SQL, **params)
    if post is not None:
        rows = [row for row in rows if row["external_id"] == post]
    reports: dict[int, list[ReportedLinks]] = defaultdict(list)
    for row in await fetch_all(engine, _REPORTS_SQL, post_ids=[row["id"] for row in rows]):
        reports[row["post_id"]].append(ReportedLinks(row["post_id"], row["user_id"],
                                                     _links(row)))
    posts = [RecapPost(row["id"], row["external_id"], row["uploaded_at"],
                       tuple(reports[row["id"]])) for row in rows]
    recap = LinkRecap(client, period, posts)
    if with_people:
        kind = PopulationKind.DIRECTORATE if client.is_directorate else PopulationKind.SATKER
        people = await fetch_all(engine, _PEOPLE_SQL.format(population=POPULATION_FILTERS[kind]),
                                 client_id=client.client_id)
        recap.people = sorted(
            (RecapPerson(p["user_id"], p["name"], p["rank"], p["satfung"] or NO_SATFUNG)
             for p in people),
            key=lambda p: (*person_key(p.rank, p.name), p.user_id))
    return recap


async def build_link_recap(engine: AsyncEngine, request: Any) -> LinkRecap:
    """The build step of the `link-recap` report."""
    return await link_recap(engine, request.client_id, request.period)


async def build_post_recap(engine: AsyncEngine, request: Any) -> LinkRecap:
    """The build step of `link-recap-post`: its mode is a post's shortcode, or "all"."""
    post = None if request.mode == ALL_POSTS else request.mode
    return await link_recap(engine, request.client_id, request.period, post=post,
                            with_people=True)


async def todays_posts(engine: AsyncEngine, client_id: str, period: Period) -> list[str]:
    """The shortcodes of the client's Instagram posts of `period`, in upload order."""
    rows = await fetch_all(engine, _POSTS_SQL, client_id=client_id, since=period.since,
                           until=period.until)
    return [row["external_id"] for row in rows]
