"""The evening WhatsApp reminder (reference §6, scenario T17): recipients, stages, the exact
messages, merging by chat and idempotent re-runs."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import text

from bot.outbox import stream_key
from cicero.clock import clock
from cicero.settings import Settings
from jobs.context import JobContext
from jobs.reminders import REMINDER_TIMES, send_reminders, stage_at
from jobs.schedule import by_key
from tests.factories import insert_client, insert_engagements, insert_person, insert_post

JAKARTA = ZoneInfo("Asia/Jakarta")
DAY = date(2025, 12, 6)  # a Saturday
HEADER = "👋 Pengingat tugas sosial media hari Sabtu, 06 Desember 2025."
TIPS = ["💡 Tips:",
        "1️⃣ Buka setiap link lalu tekan like/suka memakai akun yang terdaftar di Cicero.",
        "2️⃣ Tulis komentar yang positif, sopan dan sesuai isi konten."]
OPT_OUT = "Balas *notifwa#off* untuk berhenti menerima pengingat."
THANKS = ("Terima kasih, semua tugas like dan komentar sosial media hari ini sudah "
          "Anda laksanakan. 🙏")


def at(hour_minute: str) -> datetime:
    hour, minute = hour_minute.split(":")
    return datetime(2025, 12, 6, int(hour), int(minute), tzinfo=JAKARTA)


def jid(phone: str) -> str:
    return f"{phone}@s.whatsapp.net"


def thank_you(name: str, greeting: str = "Selamat malam") -> str:
    return "\n".join([f"{greeting}, Bapak/Ibu {name}", "", THANKS, "", OPT_OUT])


def pending(name: str, *sections: list[str]) -> str:
    lines = [f"Selamat malam, Bapak/Ibu {name}", "", HEADER]
    for section in sections:
        lines += ["", *section]
    return "\n".join([*lines, "", *TIPS, "", OPT_OUT])


class World:
    """Clients, personnel, posts and likes written straight into the tables."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.posts: dict[str, int] = {}

    async def sql(self, statement: str, **params) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(text(statement), params)

    async def client(self, client_id: str, type_: str = "org", *, instagram: str | None = None,
                     tiktok: str | None = None, status: bool = True) -> None:
        await insert_client(self.engine, client_id, type_=type_, instagram=instagram,
                            tiktok=tiktok, status=status)

    async def person(self, user_id: str, name: str, *, whatsapp: str | None, opt_in: bool = True,
                     instagram: str | None = None, tiktok: str | None = None,
                     directorates: tuple[str, ...] = ("DITBINMAS",), home: str = "POLRES_A",
                     rank: str = "BRIPDA", exception: bool = False, active: bool = True) -> None:
        await insert_person(self.engine, user_id, name, home, directorates=directorates,
                            rank=rank, whatsapp=whatsapp, instagram=instagram, tiktok=tiktok,
                            status=active, exception=exception, wa_notification_opt_in=opt_in)

    async def post(self, client_id: str, external_id: str, uploaded: str,
                   platform: str = "instagram", day: int = 6) -> None:
        hour, minute = uploaded.split(":")
        self.posts[external_id] = await insert_post(
            self.engine, platform, external_id, client_id,
            datetime(2025, 12, day, int(hour), int(minute), tzinfo=JAKARTA))

    async def engage(self, username: str, *external_ids: str, kind: str = "like") -> None:
        for external_id in external_ids:
            await insert_engagements(self.engine, self.posts[external_id], kind, [username])


@pytest.fixture
async def world(engine) -> World:
    world = World(engine)
    await world.client("DITBINMAS", "directorate", instagram="ditbinmas",
                       tiktok="ditbinmas.jatim")
    await world.client("POLRES_A")
    return world


@pytest.fixture
async def context(engine, redis, database_url: str, tmp_path: Path):
    async with httpx.AsyncClient() as http:
        yield JobContext(Settings(cicero_home=tmp_path / "home"), database_url, engine, redis,
                         http)


class Run:
    """Runs the job at a business time and returns the counts and the new gateway messages."""

    def __init__(self, context: JobContext) -> None:
        self.context = context
        self.last_id = "0-0"

    async def __call__(self, hour_minute: str) -> tuple[dict, dict[str, str]]:
        with clock.frozen(at(hour_minute)):
            counts = await send_reminders(self.context)
        rows = await self.context.redis.xrange(stream_key("gateway"), min=f"({self.last_id}")
        if rows:
            self.last_id = rows[-1][0]
        messages: dict[str, str] = {}
        for _, fields in rows:
            assert fields["to"] not in messages, "two messages to one chat in one run"
            assert fields["key"].startswith(f"reminder:2025-12-06:{counts['stage']}:")
            messages[fields["to"]] = fields["body"]
        return counts, messages


@pytest.fixture
def run(context) -> Run:
    return Run(context)


async def _states(engine) -> list[tuple]:
    async with engine.connect() as connection:
        rows = await connection.execute(text(
            "SELECT date_key, chat_id, client_id, last_stage, is_complete FROM reminder_states "
            "ORDER BY chat_id, client_id"))
        return [tuple(row) for row in rows]


def test_stage_follows_the_time_and_the_job_is_scheduled() -> None:
    assert [stage_at(t) for t in ("08:00", "19:05", "19:44", "19:45", "20:14", "20:15",
                                  "23:59")] == [1, 1, 1, 2, 2, 3, 3]
    job = by_key()["wa-reminder"]
    assert (job.display_name, job.run, job.times) == (
        "Pengingat WhatsApp malam", send_reminders, REMINDER_TIMES)
    assert REMINDER_TIMES == ("19:05", "19:45", "20:15")


async def test_t17_unliked_link_then_thank_you(world: World, run: Run, engine) -> None:
    await world.person("75020201", "BUDI SANTOSO", whatsapp="081234567890", instagram="u1")
    await world.person("75020202", "NON MEMBER", whatsapp="081234567891", instagram="u2",
                       directorates=())
    await world.person("75020203", "OPTED OUT", whatsapp="081234567892", instagram="u3",
                       opt_in=False)
    await world.person("75020204", "NO NUMBER", whatsapp=None, instagram="u4")
    await world.person("75020205", "INACTIVE", whatsapp="081234567893", instagram="u5",
                       active=False)
    await world.post("DITBINMAS", "C1", "08:00")
    await world.post("DITBINMAS", "C2", "10:00")
    await world.post("DITBINMAS", "C0", "10:00", day=5)  # yesterday: not today's task
    await world.post("POLRES_A", "X1", "09:00")  # another client's post: not this task
    await world.engage("u1", "C1")

    counts, messages = await run("19:05")
    assert counts == {"stage": 1, "recipients": 1, "sent": 1, "complete": 0}
    assert messages == {jid("6281234567890"): pending("BRIPDA BUDI SANTOSO", [
        "📸 *Instagram*: belum di-like (1 dari 2 konten):",
        "1. https://www.instagram.com/p/C2"])}
    assert await _states(engine) == [(DAY, "6281234567890", "DITBINMAS", "1", False)]

    counts, messages = await run("19:05")  # the same stage again: nothing new
    assert (counts["recipients"], counts["sent"], messages) == (0, 0, {})

    await world.engage("u1", "C2")
    counts, messages = await run("19:45")
    assert counts == {"stage": 2, "recipients": 1, "sent": 1, "complete": 1}
    assert messages == {jid("6281234567890"): thank_you("BRIPDA BUDI SANTOSO")}
    assert await _states(engine) == [(DAY, "6281234567890", "DITBINMAS", "2", True)]

    counts, messages = await run("20:15")
    assert counts == {"stage": 3, "recipients": 0, "sent": 0, "complete": 0}
    assert messages == {}


async def test_stages_narrow_to_the_incomplete(world: World, run: Run, engine) -> None:
    await world.person("1001", "ANDI", whatsapp="6281100000001", instagram="andi")  # never
    await world.person("1002", "CITRA", whatsapp="6281100000002", instagram="citra",
                       rank="BRIPTU")  # completes before stage 2
    await world.person("1003", "DEWI", whatsapp="6281100000003", instagram="dewi")  # done
    await world.person("1004", "EKO", whatsapp="6281100000004", instagram="eko",
                       exception=True)  # exception: done without a like
    await world.post("DITBINMAS", "C1", "08:00")
    await world.engage("dewi", "C1")
    link = ["📸 *Instagram*: belum di-like (1 dari 1 konten):",
            "1. https://www.instagram.com/p/C1"]

    counts, messages = await run("19:05")
    assert counts == {"stage": 1, "recipients": 4, "sent": 4, "complete": 2}
    assert messages == {
        jid("6281100000001"): pending("BRIPDA ANDI", link),
        jid("6281100000002"): pending("BRIPTU CITRA", link),
        jid("6281100000003"): thank_you("BRIPDA DEWI"),
        jid("6281100000004"): thank_you("BRIPDA EKO"),
    }

    await world.engage("citra", "C1")
    counts, messages = await run("19:45")
    assert counts == {"stage": 2, "recipients": 2, "sent": 2, "complete": 1}
    assert messages == {jid("6281100000001"): pending("BRIPDA ANDI", link),
                        jid("6281100000002"): thank_you("BRIPTU CITRA")}

    counts, messages = await run("20:15")
    assert counts == {"stage": 3, "recipients": 1, "sent": 1, "complete": 0}
    assert messages == {jid("6281100000001"): pending("BRIPDA ANDI", link)}
    counts, messages = await run("20:30")  # a late re-run of stage 3
    assert (counts["sent"], messages) == (0, {})
    assert [(chat, stage, complete) for _, chat, _, stage, complete in await _states(engine)] == [
        ("6281100000001", "3", False), ("6281100000002", "2", True),
        ("6281100000003", "1", True), ("6281100000004", "1", True)]


async def test_one_message_per_chat_over_directorates_and_platforms(
        world: World, run: Run, engine) -> None:
    await world.client("DITLANTAS", "directorate", instagram="ditlantas", tiktok="ditlantas.tt")
    await world.client("DITSAMAPTA", "directorate", instagram="ditsamapta")  # no posts today
    await world.client("DITLAMA", "directorate", status=False)  # inactive directorate
    await world.person("2001", "SITI", whatsapp="+62 812-2000-0001", instagram="siti",
                       directorates=("DITBINMAS", "DITLANTAS", "DITSAMAPTA", "DITLAMA"),
                       rank="AIPTU")
    await world.person("2002", "ONLY SAMAPTA", whatsapp="6281220000002", instagram="samapta",
                       directorates=("DITSAMAPTA",))
    await world.person("2003", "ONLY LAMA", whatsapp="6281220000003", instagram="lama",
                       directorates=("DITLAMA",))
    await world.person("2004", "BAD NUMBER", whatsapp="12345", instagram="bad")
    await world.post("DITBINMAS", "B1", "08:00")
    await world.post("DITBINMAS", "B2", "09:00")
    await world.post("DITBINMAS", "7001", "09:30", platform="tiktok")
    await world.post("DITLANTAS", "L1", "11:00")
    await world.post("DITLANTAS", "7002", "12:00", platform="tiktok")
    await world.post("DITLAMA", "Z1", "12:00")
    await world.engage("siti", "B1", "L1")

    counts, messages = await run("19:05")
    assert counts == {"stage": 1, "recipients": 1, "sent": 1, "complete": 0,
                      "invalid_numbers": 1}
    assert messages == {jid("6281220000001"): pending("AIPTU SITI", [
        "📸 *Instagram*: belum di-like (1 dari 3 konten):",
        "1. https://www.instagram.com/p/B2",
    ], [
        "🎵 *TikTok*: username TikTok Anda belum terdata, jadi komentar Anda belum bisa "
        "dihitung.",
        "Kirim *userrequest* untuk mendaftarkan username TikTok Anda.",
        "Konten TikTok hari ini (2):",
        "1. https://www.tiktok.com/@ditbinmas.jatim/video/7001",
        "2. https://www.tiktok.com/@ditlantas.tt/video/7002",
    ])}
    assert await _states(engine) == [(DAY, "6281220000001", "DITBINMAS", "1", False),
                                     (DAY, "6281220000001", "DITLANTAS", "1", False)]

    await world.sql("UPDATE personnel SET tiktok = 'siti.tt' WHERE user_id = '2001'")
    await world.engage("siti", "B2")
    await world.engage("siti.tt", "7001", kind="comment")
    counts, messages = await run("19:45")
    assert messages == {jid("6281220000001"): pending("AIPTU SITI", [
        "📸 *Instagram*: semua konten sudah di-like ✅",
    ], [
        "🎵 *TikTok*: belum dikomentari (1 dari 2 konten):",
        "1. https://www.tiktok.com/@ditlantas.tt/video/7002",
    ])}
    # Done in DITBINMAS, not in DITLANTAS: the chat stays due for stage 3.
    assert await _states(engine) == [(DAY, "6281220000001", "DITBINMAS", "2", True),
                                     (DAY, "6281220000001", "DITLANTAS", "2", False)]

    await world.engage("siti.tt", "7002", kind="comment")
    counts, messages = await run("20:15")
    assert counts == {"stage": 3, "recipients": 1, "sent": 1, "complete": 1,
                      "invalid_numbers": 1}
    assert messages == {jid("6281220000001"): thank_you("AIPTU SITI")}


async def test_two_people_on_one_number_get_one_message(world: World, run: Run) -> None:
    await world.person("3001", "AYU", whatsapp="081230000001", instagram="ayu", rank="BRIPTU")
    await world.person("3002", "BAYU", whatsapp="6281230000001", instagram="bayu")
    await world.post("DITBINMAS", "C1", "08:00")
    await world.post("DITBINMAS", "C2", "09:00")
    await world.engage("ayu", "C1")
    await world.engage("bayu", "C1", "C2")

    counts, messages = await run("19:05")
    assert counts == {"stage": 1, "recipients": 1, "sent": 1, "complete": 0}
    assert messages == {jid("6281230000001"): pending("BRIPTU AYU dan BRIPDA BAYU", [
        "📸 *Instagram*: belum di-like (1 dari 2 konten):",
        "1. https://www.instagram.com/p/C2"])}


async def test_nothing_on_a_day_without_posts(world: World, run: Run, engine) -> None:
    await world.person("4001", "ANDI", whatsapp="6281140000001", instagram="andi")
    await world.post("DITBINMAS", "C0", "10:00", day=5)
    counts, messages = await run("19:05")
    assert (counts, messages) == ({"stage": 1, "recipients": 0, "sent": 0, "complete": 0}, {})
    assert await _states(engine) == []
