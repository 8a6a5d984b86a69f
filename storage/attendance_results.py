"""What the attendance engine (storage/attendance.py) returns, and the policies that turn
counts into statuses: the vocabulary every report reads. No SQL here."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from fractions import Fraction
from typing import Any, NamedTuple, Protocol

from cicero.clock import Period, clock
from storage.models import ClientType, Platform
from storage.ordering import satfung_key, satker_key


class Status(StrEnum):
    DONE = "done"
    PARTIAL = "partial"
    NONE = "none"
    NO_USERNAME = "no_username"
    NO_POSTS = "no_posts"


@dataclass(frozen=True)
class Policy:
    """How many of the period's posts make a person "done"."""

    name: str
    share: Fraction
    apply_exceptions: bool = True

    def required(self, posts: int) -> int:
        return math.ceil(posts * self.share)

    def status(self, engaged: int, posts: int, has_username: bool,
               required: int | None = None) -> Status:
        if posts == 0:
            return Status.NO_POSTS
        if not has_username:
            return Status.NO_USERNAME
        if engaged >= (self.required(posts) if required is None else required):
            return Status.DONE
        return Status.PARTIAL if engaged > 0 else Status.NONE


MAJORITY = Policy("majority", Fraction(1, 2))
ALL = Policy("all", Fraction(1))
POLICIES: dict[str, Policy] = {policy.name: policy for policy in (MAJORITY, ALL)}


class PopulationKind(StrEnum):
    SATKER = "satker"  # active personnel whose home is the client
    DIRECTORATE = "directorate"  # active members of the directorate, any home satker
    OWN_STAFF = "own_staff"  # members whose home satker is the directorate itself
    KASAT_BINMAS = "kasat_binmas"  # members whose jabatan starts with KASAT BINMAS


@dataclass(frozen=True)
class Population:
    kind: PopulationKind
    client_id: str


@dataclass(frozen=True)
class ClientInfo:
    client_id: str
    name: str
    type: str
    instagram: str | None
    tiktok: str | None
    attendance_policy: str | None

    @property
    def is_directorate(self) -> bool:
        return self.type == ClientType.DIRECTORATE


@dataclass(frozen=True)
class PostSummary:
    id: int
    platform: str
    external_id: str
    uploaded_at: datetime
    caption: str | None
    engagers: int  # every username seen, personnel or not

    @property
    def business_date(self) -> date:
        return clock.business_date(self.uploaded_at)


class PersonResult(NamedTuple):
    """One person's attendance (a tuple: thousands are built per report)."""

    user_id: str
    name: str
    rank: str | None
    satfung: str
    jabatan: str | None
    satker_id: str
    satker_name: str
    username: str | None
    exception: bool
    engaged: int
    posts: int
    status: Status


class HasStatus(Protocol):
    @property
    def status(self) -> Status: ...


@dataclass(frozen=True)
class Totals:
    total: int = 0
    done: int = 0
    partial: int = 0
    none: int = 0
    no_username: int = 0
    no_posts: int = 0

    @classmethod
    def of(cls, people: Iterable[HasStatus]) -> Totals:
        statuses = [person.status for person in people]
        # Counted by identity: hashing enum members is slow for thousands of people.
        return cls(len(statuses), *(sum(1 for status in statuses if status is member)
                                    for member in (Status.DONE, Status.PARTIAL, Status.NONE,
                                                   Status.NO_USERNAME, Status.NO_POSTS)))

    def count(self, status: Status) -> int:
        return int(getattr(self, status.value))

    @property
    def acted(self) -> int:
        """done + partial: "sudah melaksanakan" where a report says so."""
        return self.done + self.partial

    @property
    def completion_rate(self) -> float:
        return self.done / self.total if self.total else 0.0


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    people: list[PersonResult]
    totals: Totals


@dataclass
class Attendance:
    client: ClientInfo
    population: Population
    platform: Platform
    period: Period
    policy: Policy
    posts: list[PostSummary]
    people: list[PersonResult]
    per_post: dict[str, frozenset[int]] | None = None  # user_id -> post ids engaged
    per_day: dict[str, dict[date, int]] | None = None  # user_id -> day -> posts engaged
    posts_of: str = ""  # whose posts were counted; the population's client unless told otherwise
    totals: Totals = field(init=False)

    def __post_init__(self) -> None:
        self.totals = Totals.of(self.people)
        self.posts_of = self.posts_of or self.client.client_id

    @property
    def has_posts(self) -> bool:
        return bool(self.posts)

    def with_status(self, *statuses: Status) -> list[PersonResult]:
        return [person for person in self.people if person.status in statuses]

    def by_satfung(self, people: list[PersonResult] | None = None) -> list[Group]:
        return _group(self.people if people is None else people, lambda p: p.satfung,
                      lambda p: p.satfung, lambda g: satfung_key(g.key))

    def by_satker(self) -> list[Group]:
        def order(group: Group) -> tuple[Any, ...]:
            return satker_key(is_directorate_itself=group.key == self.client.client_id,
                              completion_rate=group.totals.completion_rate,
                              personnel=group.totals.total, name=group.name)

        return _group(self.people, lambda p: p.satker_id, lambda p: p.satker_name, order)

    def posts_on(self, day: date) -> list[PostSummary]:
        return [post for post in self.posts if post.business_date == day]


def _group(people: list[PersonResult], key: Callable[[PersonResult], str],
           name: Callable[[PersonResult], str], order: Callable[[Group], Any]) -> list[Group]:
    buckets: dict[str, list[PersonResult]] = defaultdict(list)
    names: dict[str, str] = {}
    for person in people:
        buckets[key(person)].append(person)
        names[key(person)] = name(person)
    groups = [Group(k, names[k], members, Totals.of(members)) for k, members in buckets.items()]
    return sorted(groups, key=order)
