"""Demo link reports and special tasks for `cicero seed demo` (issue 17), deterministic like
the rest of the demo (demo/seed.py).

Who amplifies what: a satker's own people its Instagram posts; DITBINMAS's posts, on the
small scale every member (everyone there is one), on the polda scale its own staff (the
directorate's thousands of members amplify their own satker's posts). Each person has an
amplification class: `all` (reports every task), `some` (some tasks), `none`; inactive and
exception people never report (exceptions count as done when evaluated). Each report names
1–5 platforms with links shaped like the real ones.

Special tasks: on the small scale one each for POLRES_LAMONGAN and DITBINMAS today (a post of
the Polda's account from yesterday), with reports from the `all` people; on the polda scale
one a day for DITBINMAS over the last week. The demo officer (DEMO_OFFICER_NRP) is `some`:
today he reported part of his tasks and none of the special ones, so `cicero chat` can
report one.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from cicero.clock import clock

SEGMENTS = ("all", "some", "none")
SEGMENT_WEIGHTS = (55, 30, 15)
PLATFORM_WEIGHTS = {"instagram": 30, "facebook": 30, "tiktok": 20, "twitter": 10, "youtube": 10}
_PLATFORM_COUNT_WEIGHTS = (20, 35, 25, 12, 8)  # 1..5 platforms per report
_CODE = string.ascii_letters + string.digits + "_-"
_ALNUM = string.ascii_letters + string.digits
LINK_COLUMNS = ("instagram_link", "facebook_link", "twitter_link", "tiktok_link",
                "youtube_link")
SPECIAL_ACCOUNT = "humaspoldajatim"


class Person(Protocol):
    user_id: str
    client_id: str
    instagram: str | None
    tiktok: str | None
    status: bool
    exception: bool


class Post(Protocol):
    id: int
    platform: str
    client_id: str
    uploaded_at: datetime


def segments_of(people: Iterable[Person], seed: int,
                fixed: dict[str, str] | None = None) -> dict[str, str]:
    """Each person's amplification class, from its own generator (the rest of the demo
    stays as it was)."""
    rng = random.Random(seed)
    chosen = {person.user_id: rng.choices(SEGMENTS, SEGMENT_WEIGHTS)[0] for person in people}
    chosen.update(fixed or {})
    return chosen


def _digits(rng: random.Random, count: int) -> str:
    return str(rng.randint(1, 9)) + "".join(rng.choices(string.digits, k=count - 1))


def share_url(rng: random.Random, platform: str, person: Person) -> str:
    handle = person.instagram or person.tiktok or f"user{person.user_id}"
    if platform == "instagram":
        return f"https://www.instagram.com/p/{''.join(rng.choices(_CODE, k=11))}"
    if platform == "facebook":
        return f"https://www.facebook.com/share/p/{''.join(rng.choices(_ALNUM, k=10))}"
    if platform == "twitter":
        return f"https://x.com/{handle.replace('.', '_')}/status/{_digits(rng, 19)}"
    if platform == "tiktok":
        return f"https://www.tiktok.com/@{person.tiktok or handle}/video/{_digits(rng, 19)}"
    return f"https://www.youtube.com/shorts/{''.join(rng.choices(_CODE, k=11))}"


def _links(rng: random.Random, person: Person) -> list[str | None]:
    count = rng.choices(range(1, 6), _PLATFORM_COUNT_WEIGHTS)[0]
    names, weights = list(PLATFORM_WEIGHTS), list(PLATFORM_WEIGHTS.values())
    chosen: set[str] = set()
    while len(chosen) < count:
        chosen.add(rng.choices(names, weights)[0])
    return [share_url(rng, column.removesuffix("_link"), person)
            if column.removesuffix("_link") in chosen else None for column in LINK_COLUMNS]


def _picked(rng: random.Random, segment: str, size: int, exact: bool) -> list[int]:
    """Which of `size` tasks a person reports: all, none, or some (on an exact day a
    non-empty proper subset, so every class shows; else each with probability 0.5)."""
    if segment == "all":
        return list(range(size))
    if segment == "none" or size == 0:
        return []
    if not exact:
        return [index for index in range(size) if rng.random() < 0.5]
    if size == 1:
        return [0] if rng.random() < 0.5 else []
    return sorted(rng.sample(range(size), rng.randint(1, size - 1)))


@dataclass(frozen=True)
class Amplifiers:
    """Who reports the tasks of each client, and how eagerly."""

    by_client: dict[str, list[Person]]
    segments: dict[str, str]

    def of(self, client_id: str) -> list[Person]:
        return [person for person in self.by_client.get(client_id, [])
                if person.status and not person.exception]


def report_rows(rng: random.Random, amplifiers: Amplifiers, tasks: Sequence[Any],
                at: Callable[[Any], datetime], exact: bool,
                segment_override: Callable[[Person], str | None] | None = None
                ) -> list[tuple[object, ...]]:
    """(task id, user id, 5 links, submitted_at, updated_at) rows for `tasks` of one client
    and day, in a stable order."""
    if not tasks:
        return []
    rows: list[tuple[object, ...]] = []
    day_end = clock.start_of(clock.business_date(at(tasks[0])) + timedelta(days=1))
    for person in amplifiers.of(tasks[0].client_id):
        segment = (segment_override(person) if segment_override else None) \
            or amplifiers.segments[person.user_id]
        for index in _picked(rng, segment, len(tasks), exact):
            task = tasks[index]
            submitted = min(at(task) + timedelta(minutes=rng.randint(15, 240)),
                            day_end - timedelta(minutes=1))
            rows.append((task.id, person.user_id, *_links(rng, person), submitted, submitted))
    return rows


@dataclass
class SpecialTaskRow:
    id: int
    client_id: str
    shortcode: str
    uploaded_at: datetime
    registered_at: datetime

    def record(self) -> tuple[object, ...]:
        return (self.id, self.client_id, self.shortcode, SPECIAL_ACCOUNT, self.uploaded_at,
                f"Konten pilihan {SPECIAL_ACCOUNT} untuk diamplifikasi", False, False,
                "demo", self.registered_at)


SPECIAL_TASK_COLUMNS = ("id", "client_id", "shortcode", "owner_username", "uploaded_at",
                        "caption", "is_video", "is_carousel", "registered_by", "registered_at")
REPORT_COLUMNS = ("post_id", "user_id", *LINK_COLUMNS, "submitted_at", "updated_at")
SPECIAL_REPORT_COLUMNS = ("task_id", *REPORT_COLUMNS[1:])


def special_tasks(rng: random.Random, clients: Sequence[str], days: Sequence[date],
                  taken: set[str]) -> list[SpecialTaskRow]:
    """One special task per client and day, registered at 08:00, of a post uploaded the day
    before by the Polda's account."""
    tasks = []
    for day in days:
        for client_id in clients:
            code = "D" + "".join(rng.choices(_CODE, k=10))
            while code in taken:
                code = "D" + "".join(rng.choices(_CODE, k=10))
            taken.add(code)
            start = clock.start_of(day)
            tasks.append(SpecialTaskRow(len(tasks) + 1, client_id, code,
                                        start - timedelta(hours=5),
                                        start + timedelta(hours=8)))
    return tasks
