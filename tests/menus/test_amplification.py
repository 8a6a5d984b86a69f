"""amplify: exact text of a hand-built satker with link reports, the directorate variant,
zero posts, splitting, JSON statuses and the link workbook."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
from sqlalchemy import event, text

from cicero.clock import clock
from menus.excel.amplification_workbook import HEADERS, amplification_workbook
from menus.format import WHATSAPP_TEXT_LIMIT
from menus.reports.amplification import amplify_json, render_amplify
from menus.reports.base import REPORTS, ReportRequest
from storage.amplification import Amplification, AmplifiedPost, AmplifyPerson, amplification_for
from storage.attendance import ClientInfo, Population, PopulationKind, Status
from tests.factories import insert_client, insert_link_report, insert_person, insert_post

JAKARTA = ZoneInfo("Asia/Jakarta")
DAY = date(2025, 12, 6)
NOW = datetime(2025, 12, 6, 19, 5, tzinfo=JAKARTA)


def _at(hour: int, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=JAKARTA)


def _request(client_id: str, mode: str = "all", period: str = "day") -> ReportRequest:
    span = {"day": clock.day, "week": clock.week, "month": clock.month}[period](DAY)
    return ReportRequest(client_id, span, NOW, mode)


class Org:
    def __init__(self, engine) -> None:
        self.engine = engine
        self._next_user = 89000000

    async def sql(self, statement: str, **params):
        async with self.engine.begin() as connection:
            return await connection.execute(text(statement), params)

    async def client(self, client_id: str, type_: str = "org") -> None:
        await insert_client(self.engine, client_id, type_=type_)

    async def person(self, client_id: str, name: str, rank: str = "BRIPDA",
                     satfung: str = "SAT BINMAS", *, status: bool = True,
                     exception: bool = False, directorates: tuple[str, ...] = ()) -> str:
        self._next_user += 1
        user_id = str(self._next_user)
        await insert_person(self.engine, user_id, name, client_id, directorates=directorates,
                            rank=rank, satfung=satfung, status=status, exception=exception)
        return user_id

    async def post(self, client_id: str, external_id: str, uploaded_at: datetime,
                   platform: str = "instagram") -> int:
        return await insert_post(self.engine, platform, external_id, client_id, uploaded_at)

    async def report(self, post_id: int, user_id: str, *links: str | None) -> None:
        columns = ("instagram_link", "facebook_link", "twitter_link", "tiktok_link",
                   "youtube_link")
        values = [*links, None, None, None, None, None][:5]
        await insert_link_report(self.engine, post_id, user_id,
                                 **dict(zip(columns, values, strict=True)))


FIVE = ("https://instagram.com/a", "https://facebook.com/a", "https://x.com/a",
        "https://tiktok.com/@a/video/1", "https://youtube.com/watch?v=a")


async def _polres(engine) -> Org:
    org = Org(engine)
    await org.client("POLRES_X")
    await org.client("POLRES_Y")
    p0 = await org.post("POLRES_X", "P0", _at(9, DAY - timedelta(days=1)))  # yesterday
    p1 = await org.post("POLRES_X", "P1", _at(8))
    p2 = await org.post("POLRES_X", "P2", _at(10))
    await org.post("POLRES_X", "T1", _at(9), platform="tiktok")  # not amplified
    other_post = await org.post("POLRES_Y", "Y1", _at(9))
    ani = await org.person("POLRES_X", "ANI", satfung="BAG OPS")
    budi = await org.person("POLRES_X", "BUDI", rank="AKP")
    citra = await org.person("POLRES_X", "CITRA")
    dedi = await org.person("POLRES_X", "DEDI", rank="AIPDA", satfung="BAG OPS")
    await org.person("POLRES_X", "EKO", rank="BRIPTU", satfung="POLSEK UTARA", exception=True)
    gone = await org.person("POLRES_X", "GONE", status=False)
    other = await org.person("POLRES_Y", "LAIN")
    await org.report(p1, ani, *FIVE)
    await org.report(p2, ani, *FIVE)
    await org.report(p1, budi, *FIVE[:3])
    await org.report(p2, budi, *FIVE[:2])
    await org.report(p1, citra, FIVE[0], "   ")  # a blank link is no link
    await org.report(p0, dedi, *FIVE)  # yesterday's post: outside today's recap
    await org.report(p1, gone, *FIVE)  # inactive: not in the population
    await org.report(p1, other, *FIVE)  # another satker's person
    await org.report(other_post, budi, *FIVE)  # another satker's post
    return org


async def test_org_recap_sections_and_counts(engine) -> None:
    await _polres(engine)
    data = await amplification_for(engine, "POLRES_X", clock.day(DAY))
    assert render_amplify(data, _request("POLRES_X")).messages == ["""Selamat malam,

Mohon ijin melaporkan Pelaksanaan Tugas Amplifikasi *POLRES X* pada hari:

Hari: Sabtu
Tanggal: 06 Desember 2025
Pukul: 19.05 WIB

📸 Jumlah konten Instagram: 2

https://www.instagram.com/p/P1

https://www.instagram.com/p/P2

👥 Jumlah personil: 5 pers
✅ Lengkap (semua tugas): 3 pers
⚠️ Sebagian: 1 pers
❌ Belum melaksanakan: 1 pers
✅ Sudah melaksanakan (lengkap + sebagian): 4 pers
🔗 Jumlah link amplifikasi (5 platform): 16 link

✅ *Sudah Melaksanakan Lengkap (3 pers)*
_urut dari link terbanyak_
- BAG OPS – BRIPDA ANI (Sudah: 2 Tugas / Belum: 0 Tugas / Total Link: 10 Link)
- SAT BINMAS – AKP BUDI (Sudah: 2 Tugas / Belum: 0 Tugas / Total Link: 5 Link)
- POLSEK UTARA – BRIPTU EKO (Sudah: 2 Tugas / Belum: 0 Tugas / Total Link: 0 Link) · pengecualian

⚠️ *Belum Lengkap (1 pers)*
- SAT BINMAS – BRIPDA CITRA (Sudah: 1 Tugas / Belum: 1 Tugas / Total Link: 1 Link)

❌ *Belum Melaksanakan (1 pers)*
- BAG OPS – AIPDA DEDI (Sudah: 0 Tugas / Belum: 2 Tugas / Total Link: 0 Link)

Terima kasih."""]
    done = render_amplify(data, _request("POLRES_X", "done")).text
    assert "Sudah Melaksanakan Lengkap (3 pers)" in done and "AIPDA DEDI" not in done
    not_done = render_amplify(data, _request("POLRES_X", "not-done")).text
    assert "BRIPDA ANI" not in not_done and "CITRA" in not_done and "DEDI" in not_done
    assert [(post.external_id, post.reporters, post.links) for post in data.posts] == [
        ("P1", 3, 9), ("P2", 2, 7)]


async def test_json_keeps_amplify_statuses_apart_from_attendance(engine) -> None:
    await _polres(engine)
    data = await amplification_for(engine, "POLRES_X", clock.day(DAY))
    document = amplify_json(data, _request("POLRES_X"))
    assert (document["report"], document["policy"], document["platform"]) == (
        "amplify", "amplify", "links")
    statuses = {person["name"]: person["status"] for person in document["people"]}
    assert statuses == {"ANI": "done", "BUDI": "done", "CITRA": "partial", "DEDI": "none",
                        "EKO": "done"}
    eko = next(p for p in document["people"] if p["name"] == "EKO")
    assert (eko["engaged"], eko["links"], eko["exception"]) == (2, 0, True)
    assert document["rows"] == [{"satker": "POLRES_X", "name": "POLRES X", "personnel": 5,
                                 "done": 3, "partial": 1, "none": 1, "no_posts": 0,
                                 "acted": 4, "links": 16}]
    assert document["totals"]["links"] == sum(p["links"] for p in document["people"])


async def test_zero_posts_is_one_sentence(engine) -> None:
    org = Org(engine)
    await org.client("POLRES_SEPI")
    await org.person("POLRES_SEPI", "ADA")
    data = await amplification_for(engine, "POLRES_SEPI", clock.day(DAY))
    assert data.people[0].status == Status.NO_POSTS
    assert render_amplify(data, _request("POLRES_SEPI")).messages == [
        "Belum ada konten Instagram POLRES SEPI pada Sabtu, 06 Desember 2025."]
    week = await amplification_for(engine, "POLRES_SEPI", clock.week(DAY))
    assert render_amplify(week, _request("POLRES_SEPI", period="week")).messages == [
        "Belum ada konten Instagram POLRES SEPI pada periode 01 Desember 2025 - "
        "07 Desember 2025."]


async def test_directorate_variant_per_satker(engine) -> None:
    org = Org(engine)
    await org.client("DIT_X", "directorate")
    await org.client("POLRES_A")
    post = await org.post("DIT_X", "D1", _at(7))
    member = ("DIT_X",)
    staff = await org.person("DIT_X", "STAF", rank="KOMPOL", directorates=member)
    a1 = await org.person("POLRES_A", "A SATU", directorates=member)
    await org.person("POLRES_A", "A DUA", directorates=member)
    outsider = await org.person("POLRES_A", "BUKAN ANGGOTA")
    await org.report(post, staff, *FIVE[:2])
    await org.report(post, a1, FIVE[0])
    await org.report(post, outsider, *FIVE)
    data = await amplification_for(engine, "DIT_X", clock.day(DAY))
    message = render_amplify(data, _request("DIT_X")).text
    assert """👥 Jumlah personil: 3 pers
✅ Lengkap (semua tugas): 2 pers
⚠️ Sebagian: 0 pers
❌ Belum melaksanakan: 1 pers
✅ Sudah melaksanakan (lengkap + sebagian): 2 pers
🔗 Jumlah link amplifikasi (5 platform): 3 link

*Rekap per satker:*
1. *DIT X* — 1 pers
   ✅ Lengkap: 1 · ⚠️ Sebagian: 0 · ❌ Belum: 0 · 🔗 2 link
2. *POLRES A* — 2 pers
   ✅ Lengkap: 1 · ⚠️ Sebagian: 0 · ❌ Belum: 1 · 🔗 1 link

Terima kasih.""" in message
    assert "BUKAN ANGGOTA" not in message


async def test_period_recap_counts_every_post_of_the_period(engine) -> None:
    await _polres(engine)
    data = await amplification_for(engine, "POLRES_X", clock.week(DAY))
    message = render_amplify(data, _request("POLRES_X", period="week")).text
    assert "pada periode:\n\nPeriode: 01 Desember 2025 - 07 Desember 2025\n" in message
    assert "📸 Jumlah konten Instagram: 3" in message
    assert "https://www.instagram.com/p/" not in message  # links belong to the daily recaps
    assert "AIPDA DEDI (Sudah: 1 Tugas / Belum: 2 Tugas / Total Link: 5 Link)" in message


def _crowd(count: int) -> Amplification:
    client = ClientInfo("POLRES_BESAR", "POLRES BESAR", "org", None, None, None)
    posts = [AmplifiedPost(1, "C1", _at(8), 0, 0), AmplifiedPost(2, "C2", _at(9), 0, 0)]
    status = (Status.DONE, Status.PARTIAL, Status.NONE)
    people = [AmplifyPerson(str(80000000 + n), f"PERSONIL NOMOR {n:04d}", "BRIPDA",
                            f"POLSEK {n % 9}", "POLRES_BESAR", "POLRES BESAR", False,
                            2 - n % 3, 2 - n % 3, 3 * (2 - n % 3), 2, status[n % 3])
              for n in range(count)]
    return Amplification(client, Population(PopulationKind.SATKER, "POLRES_BESAR"),
                         clock.day(DAY), posts, people, [])


def test_long_lists_are_split_under_the_whatsapp_limit() -> None:
    data = _crowd(300)
    messages = render_amplify(data, _request("POLRES_BESAR")).messages
    assert len(messages) > 2
    assert all(len(message) <= WHATSAPP_TEXT_LIMIT for message in messages)
    joined = "\n".join(messages)
    assert all(f"PERSONIL NOMOR {n:04d}" in joined for n in range(300))
    assert messages[0].startswith("Selamat malam,")
    assert messages[-1].endswith("Terima kasih.")


async def test_link_workbook_has_one_row_per_report(engine) -> None:
    await _polres(engine)
    data = await amplification_for(engine, "POLRES_X", clock.month(DAY))
    file = amplification_workbook(data, _request("POLRES_X", period="month"))
    assert file.filename == "POLRES_X_Desember_2025.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(file.content)).active
    assert [cell.value for cell in sheet[1]] == list(HEADERS)
    assert list(HEADERS[:9]) == ["Tanggal", "Pangkat Nama", "NRP", "Satfung", "Link Instagram",
                                 "Link Facebook", "Link Twitter", "Link Tiktok",
                                 "Link Youtube"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == len(data.reports) == 6
    assert sum(1 for row in rows for value in row[4:9] if value) == data.links == 21
    first = rows[0]
    assert first[0].date() == date(2025, 12, 5)  # the post's date
    dedi = next(person for person in data.people if person.name == "DEDI")
    assert first[1:4] == ["AIPDA DEDI", dedi.user_id, "BAG OPS"]
    assert first[9] == "https://www.instagram.com/p/P0"
    # by post, then satfung order (BAG before SAT), then rank and name
    assert [row[1] for row in rows[1:]] == ["BRIPDA ANI", "AKP BUDI", "BRIPDA CITRA",
                                            "BRIPDA ANI", "AKP BUDI"]
    assert (dedi.tasks_done, dedi.posts, dedi.status) == (1, 3, Status.PARTIAL)


async def test_empty_workbook_keeps_its_header(engine) -> None:
    org = Org(engine)
    await org.client("POLRES_SEPI")
    data = await amplification_for(engine, "POLRES_SEPI", clock.day(DAY))
    file = amplification_workbook(data, _request("POLRES_SEPI"))
    assert file.filename == "POLRES_SEPI_Amplifikasi_2025-12-06.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(file.content)).active
    assert sheet.max_row == 1 and sheet["A1"].value == "Tanggal"


async def test_queries_do_not_grow_with_people_or_posts(engine) -> None:
    await _polres(engine)
    statements: list[str] = []

    def count(*args) -> None:
        statements.append(args[2])

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        await amplification_for(engine, "POLRES_X", clock.month(DAY))
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert len(statements) == 3  # the client, the posts, the people with their reports


def test_report_is_registered() -> None:
    spec = REPORTS["amplify"]
    assert spec.workbook is amplification_workbook
    assert spec.modes == ("all", "done", "not-done")
