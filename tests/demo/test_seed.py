"""The demo seed: shape of the small scale, today's engagement classes, determinism, CLI."""

from __future__ import annotations

import asyncio
import re
import time
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.clock import clock
from demo.seed import (
    DEMO_EXCEPTION_NRP,
    DEMO_OFFICER_NRP,
    DEMO_OFFICER_PHONE,
    DEMO_OPERATOR_PHONE,
    DEMO_SUPER_ADMIN_PHONE,
    DEMO_UNLINKED_NRP,
    DEMO_UNREGISTERED_PHONE,
    DatabaseNotEmpty,
    DemoSummary,
    seed_demo,
)
from storage.identifiers import normalize_group_jid, normalize_phone
from tests.conftest import run_cli

TODAY = date(2025, 12, 6)
USERNAME_RE = re.compile(r"[a-z0-9._]{1,30}")


async def _rows(engine: AsyncEngine, sql: str, **params: object) -> list:
    async with engine.connect() as connection:
        return list((await connection.execute(text(sql), params)).mappings())


async def _scalar(engine: AsyncEngine, sql: str, **params: object) -> object:
    async with engine.connect() as connection:
        return await connection.scalar(text(sql), params)


async def _fingerprint(engine: AsyncEngine) -> str:
    return await _scalar(engine, """
        SELECT md5(string_agg(line, '|' ORDER BY line)) FROM (
            SELECT concat_ws(',', client_id, name, type, parent_id, instagram, tiktok,
                             tiktok_secuid) AS line FROM clients
            UNION ALL SELECT concat_ws(',', id, client_id, kind, value) FROM client_contacts
            UNION ALL SELECT concat_ws(',', user_id, name, rank, satfung, jabatan, desa,
                             client_id, whatsapp, email, instagram, tiktok, status, exception,
                             wa_notification_opt_in) FROM personnel
            UNION ALL SELECT concat_ws(',', id, platform, external_id, client_id, uploaded_at,
                             caption, like_count, comment_count) FROM posts
            UNION ALL SELECT concat_ws(',', post_id, kind, username, first_seen_at,
                             last_seen_at) FROM engagements
            UNION ALL SELECT concat_ws(',', post_id, user_id, instagram_link, facebook_link,
                             twitter_link, tiktok_link, youtube_link, submitted_at)
                      FROM link_reports
            UNION ALL SELECT concat_ws(',', id, client_id, shortcode, registered_at)
                      FROM special_tasks
            UNION ALL SELECT concat_ws(',', task_id, user_id, facebook_link)
                      FROM special_link_reports
        ) AS everything""")


async def test_small_scale_has_the_documented_shape(engine: AsyncEngine) -> None:
    summary = await seed_demo(engine, today=TODAY)

    clients = {r["client_id"]: r for r in await _rows(engine, "SELECT * FROM clients")}
    assert clients["POLDA_JATIM"]["type"] == "polda"
    assert clients["POLDA_JATIM"]["parent_id"] is None
    assert clients["DITBINMAS"]["type"] == "directorate"
    assert clients["DITBINMAS"]["name"] == "DIREKTORAT BINMAS"
    assert clients["DITBINMAS"]["parent_id"] == "POLDA_JATIM"
    orgs = [c for c in clients.values() if c["type"] == "org"]
    assert len(orgs) >= 3
    assert {"POLRES_LAMONGAN", "POLRES_BOJONEGORO", "POLRES_NGAWI"} <= clients.keys()
    assert clients["POLRES_LAMONGAN"]["name"] == "POLRES LAMONGAN"
    assert all(c["parent_id"] == "POLDA_JATIM" for c in orgs)
    assert all(c["instagram"] and c["tiktok"] and c["tiktok_secuid"] for c in clients.values())

    contacts = await _rows(engine, "SELECT client_id, kind, value FROM client_contacts")
    for client_id in clients:
        kinds = {c["kind"] for c in contacts if c["client_id"] == client_id}
        assert kinds == {"operator", "super_admin", "group"}, client_id
    for contact in contacts:
        if contact["kind"] == "group":
            assert contact["value"].startswith("1203630")
            assert normalize_group_jid(contact["value"]) == contact["value"]
        else:
            assert normalize_phone(contact["value"]) == contact["value"]

    people = await _rows(engine, "SELECT * FROM personnel")
    assert 75 <= len(people) <= 90
    assert summary.clients == len(clients) and summary.personnel == len(people)
    assert sum(p["exception"] for p in people) == 1
    assert 1 <= sum(not p["status"] for p in people) <= 2
    assert all(re.fullmatch(r"[0-9]{8}", p["user_id"]) for p in people)
    assert 8 <= sum(p["client_id"] == "DITBINMAS" for p in people) <= 12
    for platform in ("instagram", "tiktok"):
        usernames = [p[platform] for p in people if p[platform]]
        assert len(usernames) == len(set(usernames))
        assert all(USERNAME_RE.fullmatch(u) for u in usernames)
        assert any(p[platform] is None for p in people)
    assert any(p["instagram"] is None and p["tiktok"] is None for p in people)
    phones = [p["whatsapp"] for p in people if p["whatsapp"]]
    assert len(phones) == len(set(phones)) and len(phones) >= 0.7 * len(people)
    assert all(normalize_phone(phone) == phone for phone in phones)
    assert sum(phone.startswith("62812") for phone in phones) > len(phones) / 2
    opted = sum(p["wa_notification_opt_in"] for p in people)
    assert 0.3 * len(phones) <= opted <= 0.7 * len(phones)
    assert {p["rank"] for p in people} <= {
        "KOMISARIS BESAR POLISI", "AKBP", "KOMPOL", "AKP", "IPTU", "IPDA", "AIPTU", "AIPDA",
        "BRIPKA", "BRIGADIR", "BRIGPOL", "BRIGADIR POLISI", "BRIPTU", "BRIPDA"}
    assert any(p["desa"] for p in people)
    assert any(p["satfung"].startswith("POLSEK ") for p in people)
    for org in orgs:
        kasat = [p for p in people if p["jabatan"].startswith("KASAT BINMAS")
                 and p["client_id"] == org["client_id"]]
        assert [k["jabatan"] for k in kasat] == [f"KASAT BINMAS {org['name']}"]
    assert sum(p["jabatan"].startswith("KASAT") for p in people) == len(orgs)

    members = await _scalar(engine, """
        SELECT count(*) FROM directorate_memberships m JOIN personnel p USING (user_id)
        WHERE m.directorate_id = 'DITBINMAS'""")
    assert members == len(people)

    today = clock.day(TODAY)
    posts = await _rows(engine, """
        SELECT client_id, platform, count(*) AS n FROM posts
        WHERE uploaded_at >= :since AND uploaded_at < :until GROUP BY client_id, platform""",
                        since=today.since, until=today.until)
    counts = {(r["client_id"], r["platform"]): r["n"] for r in posts}
    assert counts[("DITBINMAS", "instagram")] == 3 and counts[("DITBINMAS", "tiktok")] == 2
    for org in orgs:
        assert counts[(org["client_id"], "instagram")] == 2
        assert counts[(org["client_id"], "tiktok")] == 1
    days = await _scalar(engine, f"""
        SELECT count(DISTINCT (uploaded_at AT TIME ZONE '{clock.tz.key}')::date) FROM posts""")
    assert days == 8  # today and the week before
    ids = await _rows(engine, "SELECT platform, external_id FROM posts")
    for row in ids:
        pattern = r"[CD][A-Za-z0-9_-]{10}" if row["platform"] == "instagram" else r"[0-9]{19}"
        assert re.fullmatch(pattern, row["external_id"]), row


async def test_fixed_demo_identities_resolve_as_documented(engine: AsyncEngine) -> None:
    await seed_demo(engine, today=TODAY)

    officer = await _rows(engine, "SELECT * FROM personnel WHERE whatsapp = :phone",
                          phone=DEMO_OFFICER_PHONE)
    assert len(officer) == 1
    assert officer[0]["user_id"] == DEMO_OFFICER_NRP
    assert officer[0]["status"] and not officer[0]["exception"]
    assert officer[0]["instagram"] and officer[0]["tiktok"]
    assert officer[0]["client_id"] == "POLRES_LAMONGAN"

    operator = await _rows(engine, "SELECT client_id, kind FROM client_contacts "
                                   "WHERE value = :phone", phone=DEMO_OPERATOR_PHONE)
    assert [(r["client_id"], r["kind"]) for r in operator] == [("POLRES_LAMONGAN", "operator")]
    admin = await _rows(engine, "SELECT client_id, kind FROM client_contacts "
                                "WHERE value = :phone", phone=DEMO_SUPER_ADMIN_PHONE)
    assert [(r["client_id"], r["kind"]) for r in admin] == [("DITBINMAS", "super_admin")]
    for phone in (DEMO_OPERATOR_PHONE, DEMO_SUPER_ADMIN_PHONE, DEMO_UNREGISTERED_PHONE):
        assert await _scalar(engine, "SELECT count(*) FROM personnel WHERE whatsapp = :p",
                             p=phone) == 0
    assert await _scalar(engine, "SELECT count(*) FROM client_contacts WHERE value = :p",
                         p=DEMO_UNREGISTERED_PHONE) == 0

    unlinked = await _rows(engine, "SELECT * FROM personnel WHERE user_id = :nrp",
                           nrp=DEMO_UNLINKED_NRP)
    assert len(unlinked) == 1
    assert unlinked[0]["status"] and unlinked[0]["whatsapp"] is None

    exception = await _rows(engine, "SELECT * FROM personnel WHERE exception")
    assert [p["user_id"] for p in exception] == [DEMO_EXCEPTION_NRP]


@pytest.mark.parametrize("platform", ["instagram", "tiktok"])
async def test_today_has_members_with_all_some_none_and_no_username(
        engine: AsyncEngine, platform: str) -> None:
    await seed_demo(engine, today=TODAY)
    today = clock.day(TODAY)
    rows = await _rows(engine, f"""
        WITH todays AS (
            SELECT id FROM posts WHERE client_id = 'DITBINMAS' AND platform = :platform
              AND uploaded_at >= :since AND uploaded_at < :until)
        SELECT p.user_id, p.{platform} AS username,
               (SELECT count(*) FROM todays) AS posts,
               (SELECT count(*) FROM engagements e JOIN todays t ON t.id = e.post_id
                 WHERE e.username = p.{platform}) AS engaged
        FROM personnel p
        JOIN directorate_memberships m
          ON m.user_id = p.user_id AND m.directorate_id = 'DITBINMAS'
        WHERE p.status AND NOT p.exception""",
                       platform=platform, since=today.since, until=today.until)
    classes: dict[str, int] = {}
    for row in rows:
        if row["username"] is None:
            kind = "no_username"
        elif row["engaged"] == row["posts"]:
            kind = "all"
        elif row["engaged"] == 0:
            kind = "none"
        else:
            kind = "some"
        classes[kind] = classes.get(kind, 0) + 1
    assert set(classes) == {"all", "some", "none", "no_username"}, classes
    # Non-personnel public usernames on every post of the day.
    public = await _scalar(engine, """
        SELECT count(*) FROM posts po WHERE NOT EXISTS (
            SELECT 1 FROM engagements e WHERE e.post_id = po.id AND e.username NOT IN (
                SELECT instagram FROM personnel WHERE instagram IS NOT NULL
                UNION SELECT tiktok FROM personnel WHERE tiktok IS NOT NULL))""")
    assert public == 0


async def test_engagement_stays_within_the_post_day_and_kind(engine: AsyncEngine) -> None:
    await seed_demo(engine, today=TODAY)
    bad = await _scalar(engine, f"""
        SELECT count(*) FROM engagements e JOIN posts p ON p.id = e.post_id
        WHERE e.first_seen_at < p.uploaded_at OR e.last_seen_at < e.first_seen_at
           OR (e.last_seen_at AT TIME ZONE '{clock.tz.key}')::date
              <> (p.uploaded_at AT TIME ZONE '{clock.tz.key}')::date
           OR e.kind <> CASE p.platform WHEN 'instagram' THEN 'like' ELSE 'comment' END""")
    assert bad == 0


async def test_the_exception_person_has_no_engagement_rows(engine: AsyncEngine) -> None:
    await seed_demo(engine, today=TODAY)
    count = await _scalar(engine, """
        SELECT count(*) FROM engagements e JOIN personnel p
          ON e.username IN (p.instagram, p.tiktok) WHERE p.exception""")
    assert count == 0
    usernames = await _rows(engine, "SELECT instagram, tiktok FROM personnel WHERE exception")
    assert usernames[0]["instagram"] and usernames[0]["tiktok"]


async def test_seed_is_deterministic_and_replace_reseeds(engine: AsyncEngine) -> None:
    first = await seed_demo(engine, today=TODAY)
    before = await _fingerprint(engine)
    second = await seed_demo(engine, replace=True, today=TODAY)
    assert await _fingerprint(engine) == before
    assert first == second


async def test_default_today_is_the_business_date(engine: AsyncEngine) -> None:
    clock.set_now(datetime(2025, 3, 10, 23, 30, tzinfo=clock.tz))
    await seed_demo(engine)
    latest = await _scalar(engine, "SELECT max(uploaded_at) FROM posts")
    assert clock.business_date(latest) == date(2025, 3, 10)
    earliest = await _scalar(engine, "SELECT min(uploaded_at) FROM posts")
    assert clock.business_date(earliest) == date(2025, 3, 10) - timedelta(days=7)


async def test_a_database_with_clients_is_not_overwritten(engine: AsyncEngine) -> None:
    await seed_demo(engine, today=TODAY)
    with pytest.raises(DatabaseNotEmpty, match="--replace"):
        await seed_demo(engine, today=TODAY)


async def test_progress_reaches_its_total(engine: AsyncEngine) -> None:
    calls: list[tuple[int, int]] = []
    await seed_demo(engine, progress=lambda done, total: calls.append((done, total)),
                    today=TODAY)
    assert calls[-1][0] == calls[-1][1]
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_summary_reads_as_one_indonesian_line() -> None:
    assert str(DemoSummary(5, 82, 24, 1234)) == \
        "5 satker, 82 personil, 24 konten, 1.234 engagement"


async def test_cli_seed_demo(engine: AsyncEngine, cli_env: dict[str, str]) -> None:
    result = await asyncio.to_thread(run_cli, "seed", "demo", env=cli_env)
    assert result.returncode == 0, result.stderr
    assert "Data demo siap" in result.stdout
    assert re.search(r"5 satker, \d+ personil, \d+ konten, [\d.]+ engagement", result.stdout)
    assert await _scalar(engine, "SELECT count(*) FROM clients") == 5


@pytest.mark.slow
async def test_polda_scale(engine: AsyncEngine) -> None:
    started = time.perf_counter()
    summary = await seed_demo(engine, "polda", today=TODAY)
    elapsed = time.perf_counter() - started
    assert elapsed < 60
    satkers = await _scalar(engine, "SELECT count(*) FROM clients WHERE type <> 'polda'")
    assert 38 <= satkers <= 40
    assert 6000 <= summary.personnel <= 6600
    assert await _scalar(engine, "SELECT count(*) FROM personnel") == summary.personnel
    assert await _scalar(engine, "SELECT count(*) FROM directorate_memberships") == \
        summary.personnel
    month = clock.period(TODAY - timedelta(days=30), TODAY)
    directorate_posts = await _scalar(engine, """
        SELECT count(*) FROM posts WHERE client_id = 'DITBINMAS'
          AND uploaded_at >= :since AND uploaded_at < :until""",
                                      since=month.since, until=month.until)
    assert directorate_posts == 248
    assert 800_000 <= summary.engagements <= 1_500_000


async def test_link_reports_give_every_amplification_status(engine: AsyncEngine) -> None:
    """Today on the small scale: in each satker and in DITBINMAS some people reported every
    task, some part, some none; links look real; special tasks exist; the demo officer still
    has open tasks, special ones included, to report in `cicero chat`."""
    from storage.amplification import SPECIAL, amplification_for
    from storage.attendance import Status
    from storage.link_reports import officer_tasks
    from storage.share_links import classify

    with clock.frozen(datetime(2025, 12, 6, 19, 5, tzinfo=clock.tz)):
        await seed_demo(engine, today=TODAY)
        for client_id in ("POLRES_LAMONGAN", "POLRES_NGAWI", "DITBINMAS"):
            data = await amplification_for(engine, client_id, clock.day(TODAY))
            statuses = {person.status for person in data.people if not person.exception}
            assert {Status.DONE, Status.PARTIAL, Status.NONE} <= statuses, client_id
        special = await amplification_for(engine, "POLRES_LAMONGAN", clock.day(TODAY), SPECIAL)
        assert len(special.posts) == 1 and special.reports
        officer, tasks = await officer_tasks(engine, DEMO_OFFICER_NRP, clock.day(TODAY))
        assert officer is not None and officer.active
    assert any(task.reported for task in tasks)
    assert any(not task.reported and task.kind == "regular" for task in tasks)
    assert [task.reported for task in tasks if task.kind == "special"] == [False, False]
    links = await _rows(engine, "SELECT * FROM link_reports LIMIT 200")
    for row in links:
        urls = [row[f"{p}_link"] for p in ("instagram", "facebook", "twitter", "tiktok",
                                           "youtube") if row[f"{p}_link"]]
        assert urls and all(classify(url).url == url for url in urls)
