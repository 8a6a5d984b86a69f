"""The attendance engine: every status boundary, population and date edge, table-driven."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from cicero.clock import clock
from storage.attendance import (
    ALL,
    MAJORITY,
    Population,
    PopulationKind,
    Status,
    Totals,
    UnknownClient,
    attendance_for,
)
from tests.factories import insert_client, insert_engagements, insert_person, insert_post

JAKARTA = ZoneInfo("Asia/Jakarta")
DAY = date(2025, 12, 6)
POSTS = 6  # ceil(6/2) = 3


class World:
    """A tiny organisation written straight into the tables."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self._next_user = 87000000
        self._next_post = 0

    async def sql(self, statement: str, **params) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(text(statement), params)

    async def client(self, client_id: str, type_: str = "org", policy: str | None = None) -> None:
        await insert_client(self.engine, client_id, type_=type_, attendance_policy=policy)

    async def person(self, client_id: str, *, instagram: str | None = "auto",
                     tiktok: str | None = None, status: bool = True, exception: bool = False,
                     rank: str = "BRIPDA", name: str | None = None, satfung: str = "SAT BINMAS",
                     jabatan: str | None = None, directorates: tuple[str, ...] = ()) -> str:
        self._next_user += 1
        user_id = str(self._next_user)
        if instagram == "auto":
            instagram = f"ig{user_id}"
        await insert_person(
            self.engine, user_id, name or f"PERSONIL {user_id}", client_id,
            directorates=directorates, rank=rank, satfung=satfung, jabatan=jabatan,
            instagram=instagram, tiktok=tiktok, status=status, exception=exception)
        return user_id

    async def post(self, client_id: str, uploaded_at: datetime,
                   platform: str = "instagram") -> int:
        self._next_post += 1
        return await insert_post(self.engine, platform, f"P{self._next_post}", client_id,
                                 uploaded_at)

    async def engage(self, post_ids: list[int], username: str, kind: str = "like") -> None:
        for post_id in post_ids:
            await insert_engagements(self.engine, post_id, kind, [username])


def _directorate(client_id: str) -> Population:
    return Population(PopulationKind.DIRECTORATE, client_id)


@pytest.fixture
async def world(engine) -> World:
    return World(engine)


async def _posts_on_day(world: World, client_id: str, count: int = POSTS) -> list[int]:
    return [await world.post(client_id, datetime(2025, 12, 6, 8 + n, tzinfo=JAKARTA))
            for n in range(count)]


@pytest.mark.parametrize(
    ("engaged", "majority", "all_"),
    [
        (0, Status.NONE, Status.NONE),
        (1, Status.PARTIAL, Status.PARTIAL),
        (math.ceil(POSTS / 2) - 1, Status.PARTIAL, Status.PARTIAL),
        (math.ceil(POSTS / 2), Status.DONE, Status.PARTIAL),
        (POSTS - 1, Status.DONE, Status.PARTIAL),
        (POSTS, Status.DONE, Status.DONE),
    ],
)
async def test_status_boundaries(world: World, engaged: int, majority: Status,
                                 all_: Status) -> None:
    await world.client("POLRES_A")
    user = await world.person("POLRES_A")
    posts = await _posts_on_day(world, "POLRES_A")
    await world.engage(posts[:engaged], f"ig{user}")
    population = Population(PopulationKind.SATKER, "POLRES_A")
    for policy, expected in ((MAJORITY, majority), (ALL, all_)):
        result = await attendance_for(world.engine, population, "instagram",
                                      clock.day(DAY), policy)
        (person,) = result.people
        assert (person.engaged, person.posts, person.status) == (engaged, POSTS, expected)


async def test_odd_post_count_majority_rounds_up(world: World) -> None:
    await world.client("POLRES_A")
    two_of_five = await world.person("POLRES_A")
    three_of_five = await world.person("POLRES_A")
    posts = await _posts_on_day(world, "POLRES_A", count=5)
    await world.engage(posts[:2], f"ig{two_of_five}")
    await world.engage(posts[:3], f"ig{three_of_five}")
    result = await attendance_for(world.engine, Population(PopulationKind.SATKER, "POLRES_A"),
                                  "instagram", clock.day(DAY), MAJORITY)
    assert {p.user_id: p.status for p in result.people} == {
        two_of_five: Status.PARTIAL, three_of_five: Status.DONE}


async def test_no_username_exception_and_inactive(world: World) -> None:
    await world.client("POLRES_A")
    no_username = await world.person("POLRES_A", instagram=None)
    exception = await world.person("POLRES_A", exception=True)
    exception_without_username = await world.person("POLRES_A", instagram=None, exception=True)
    inactive = await world.person("POLRES_A", status=False)
    await _posts_on_day(world, "POLRES_A")
    result = await attendance_for(world.engine, Population(PopulationKind.SATKER, "POLRES_A"),
                                  "instagram", clock.day(DAY), ALL, per_post=True)
    statuses = {p.user_id: p.status for p in result.people}
    assert statuses == {no_username: Status.NO_USERNAME, exception: Status.DONE,
                        exception_without_username: Status.NO_USERNAME}
    assert inactive not in statuses
    assert result.per_post is not None and len(result.per_post[exception]) == POSTS
    # Exceptions are applied at evaluation only: no engagement row was written for them.
    async with world.engine.connect() as connection:
        rows = await connection.execute(text("SELECT count(*) FROM engagements"))
        assert rows.scalar_one() == 0


async def test_zero_posts_gives_no_posts_for_everyone(world: World) -> None:
    await world.client("POLRES_A")
    await world.person("POLRES_A")
    await world.person("POLRES_A", instagram=None)
    result = await attendance_for(world.engine, Population(PopulationKind.SATKER, "POLRES_A"),
                                  "instagram", clock.day(DAY))
    assert not result.has_posts
    assert [p.status for p in result.people] == [Status.NO_POSTS, Status.NO_POSTS]
    assert result.totals == Totals(total=2, no_posts=2)


async def test_post_exactly_at_midnight_belongs_to_the_new_day(world: World) -> None:
    await world.client("POLRES_A")
    user = await world.person("POLRES_A")
    midnight = datetime(2025, 12, 6, 0, 0, tzinfo=JAKARTA)
    post = await world.post("POLRES_A", midnight)
    last_second = await world.post("POLRES_A", midnight - timedelta(microseconds=1))
    await world.engage([post, last_second], f"ig{user}")
    population = Population(PopulationKind.SATKER, "POLRES_A")
    today = await attendance_for(world.engine, population, "instagram", clock.day(DAY))
    yesterday = await attendance_for(world.engine, population, "instagram",
                                     clock.day(DAY - timedelta(days=1)))
    assert [p.id for p in today.posts] == [post]
    assert [p.id for p in yesterday.posts] == [last_second]
    assert today.people[0].engaged == yesterday.people[0].engaged == 1


async def test_member_of_two_directorates_counts_in_both(world: World) -> None:
    for directorate in ("DITBINMAS", "DITLANTAS"):
        await world.client(directorate, "directorate")
    await world.client("POLRES_A")
    both = await world.person("POLRES_A", directorates=("DITBINMAS", "DITLANTAS"))
    only_binmas = await world.person("POLRES_A", directorates=("DITBINMAS",))
    not_member = await world.person("POLRES_A")
    binmas_posts = await _posts_on_day(world, "DITBINMAS", count=2)
    lantas_posts = await _posts_on_day(world, "DITLANTAS", count=2)
    await world.engage(binmas_posts, f"ig{both}")
    await world.engage(lantas_posts[:1], f"ig{both}")
    binmas = await attendance_for(world.engine, _directorate("DITBINMAS"), "instagram",
                                  clock.day(DAY))
    lantas = await attendance_for(world.engine, _directorate("DITLANTAS"), "instagram",
                                  clock.day(DAY))
    assert {p.user_id: p.status for p in binmas.people} == {both: Status.DONE,
                                                             only_binmas: Status.NONE}
    assert {p.user_id: p.status for p in lantas.people} == {both: Status.PARTIAL}
    assert not_member not in {p.user_id for p in binmas.people}


async def test_own_staff_and_kasat_binmas_populations(world: World) -> None:
    await world.client("DITBINMAS", "directorate")
    await world.client("POLRES_A")
    staff = await world.person("DITBINMAS", directorates=("DITBINMAS",))
    kasat = await world.person("POLRES_A", jabatan="KASAT BINMAS POLRES A",
                               directorates=("DITBINMAS",))
    kasat_variant = await world.person("POLRES_A", jabatan="Kasat. Binmas, Polres Kab. A",
                                       directorates=("DITBINMAS",))
    await world.person("POLRES_A", jabatan="KANIT BINMAS", directorates=("DITBINMAS",))
    own = await attendance_for(world.engine, Population(PopulationKind.OWN_STAFF, "DITBINMAS"),
                               "instagram", clock.day(DAY))
    kasats = await attendance_for(world.engine,
                                  Population(PopulationKind.KASAT_BINMAS, "DITBINMAS"),
                                  "instagram", clock.day(DAY))
    assert [p.user_id for p in own.people] == [staff]
    assert {p.user_id for p in kasats.people} == {kasat, kasat_variant}


async def test_tiktok_counts_comments_not_likes(world: World) -> None:
    await world.client("POLRES_A")
    user = await world.person("POLRES_A", tiktok="tt.user")
    video = await world.post("POLRES_A", datetime(2025, 12, 6, 9, tzinfo=JAKARTA), "tiktok")
    await world.engage([video], "tt.user", kind="like")  # wrong kind: not attendance
    population = Population(PopulationKind.SATKER, "POLRES_A")
    before = await attendance_for(world.engine, population, "tiktok", clock.day(DAY), ALL)
    await world.engage([video], "tt.user", kind="comment")
    after = await attendance_for(world.engine, population, "tiktok", clock.day(DAY), ALL)
    assert (before.people[0].status, after.people[0].status) == (Status.NONE, Status.DONE)
    assert after.people[0].user_id == user
    assert after.posts[0].engagers == 1


async def test_client_policy_override_wins(world: World) -> None:
    await world.client("POLRES_STRICT", policy="all")
    user = await world.person("POLRES_STRICT")
    posts = await _posts_on_day(world, "POLRES_STRICT", count=2)
    await world.engage(posts[:1], f"ig{user}")
    result = await attendance_for(world.engine,
                                  Population(PopulationKind.SATKER, "POLRES_STRICT"),
                                  "instagram", clock.day(DAY), MAJORITY)
    assert result.policy is ALL
    assert result.people[0].status == Status.PARTIAL


async def test_week_per_day_breakdown_and_post_engager_counts(world: World) -> None:
    await world.client("POLRES_A")
    user = await world.person("POLRES_A")
    monday = await world.post("POLRES_A", datetime(2025, 12, 1, 10, tzinfo=JAKARTA))
    sunday = await world.post("POLRES_A", datetime(2025, 12, 7, 23, 59, tzinfo=JAKARTA))
    outside = await world.post("POLRES_A", datetime(2025, 12, 8, 0, 0, tzinfo=JAKARTA))
    await world.engage([monday, sunday, outside], f"ig{user}")
    await world.engage([monday], "public.liker")
    result = await attendance_for(world.engine, Population(PopulationKind.SATKER, "POLRES_A"),
                                  "instagram", clock.week(DAY), ALL, per_day=True)
    assert [(p.id, p.engagers) for p in result.posts] == [(monday, 2), (sunday, 1)]
    assert result.per_day == {user: {date(2025, 12, 1): 1, date(2025, 12, 7): 1}}
    assert result.people[0].status == Status.DONE


async def test_ordering_and_grouping(world: World) -> None:
    await world.client("DITBINMAS", "directorate")
    await world.client("POLRES_A")
    await world.client("POLRES_B")
    members = ("DITBINMAS",)
    bripda = await world.person("POLRES_A", rank="BRIPDA", name="ANDI", satfung="POLSEK X",
                                directorates=members)
    akp = await world.person("POLRES_A", rank="AKP", name="ZAINAL", satfung="SAT BINMAS",
                             directorates=members)
    unknown = await world.person("POLRES_B", rank="PENATA", name="BUDI", satfung="BAG OPS",
                                 directorates=members)
    staff = await world.person("DITBINMAS", rank="KOMPOL", name="CITRA", satfung="SUBBID PID",
                               directorates=members)
    result = await attendance_for(world.engine, _directorate("DITBINMAS"), "instagram",
                                  clock.day(DAY))
    assert [p.user_id for p in result.people] == [staff, akp, bripda, unknown]
    assert result.by_satker()[0].key == "DITBINMAS"
    assert [g.key for g in result.by_satfung()] == ["BAG OPS", "SAT BINMAS", "POLSEK X",
                                                     "SUBBID PID"]


async def test_unknown_client_is_an_error(world: World) -> None:
    with pytest.raises(UnknownClient):
        await attendance_for(world.engine, Population(PopulationKind.SATKER, "NOPE"),
                             "instagram", clock.day(DAY))


async def test_a_cached_population_follows_every_change_to_people(world: World) -> None:
    """The population is cached between reports; any write to personnel, memberships or
    clients (in any process: the version lives in the database) makes the next report fresh."""
    await world.client("POLRES_A")
    await world.client("DITBINMAS", "directorate")
    posts = await _posts_on_day(world, "DITBINMAS", 2)
    member = await world.person("POLRES_A", directorates=("DITBINMAS",))
    await world.engage(posts, f"ig{member}")
    day = clock.day(date(2025, 12, 6))

    async def statuses() -> dict[str, Status]:
        result = await attendance_for(world.engine, _directorate("DITBINMAS"), "instagram", day)
        return {person.user_id: person.status for person in result.people}

    assert await statuses() == {member: Status.DONE}
    assert await statuses() == {member: Status.DONE}  # served from the cache
    await world.sql("UPDATE personnel SET instagram = NULL WHERE user_id = :u", u=member)
    assert await statuses() == {member: Status.NO_USERNAME}
    newcomer = await world.person("POLRES_A", directorates=("DITBINMAS",))
    assert await statuses() == {member: Status.NO_USERNAME, newcomer: Status.NONE}
    await world.sql("DELETE FROM directorate_memberships WHERE user_id = :u", u=member)
    assert await statuses() == {newcomer: Status.NONE}
    await world.sql("UPDATE personnel SET status = false WHERE user_id = :u", u=newcomer)
    assert await statuses() == {}
