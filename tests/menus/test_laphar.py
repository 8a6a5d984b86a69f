"""laphar: the narrative, both text files per platform, zero posts, and the storage view."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import openpyxl
from sqlalchemy import text

from cicero.clock import clock
from menus.excel.sheets import XLSX_MIMETYPE
from menus.format import WHATSAPP_TEXT_LIMIT
from menus.reports.base import ReportRequest
from menus.reports.laphar import (
    laphar_json,
    laphar_platform_json,
    laphar_workbook,
    render_laphar,
    render_laphar_platform,
)
from storage.attendance import (
    ALL,
    Attendance,
    ClientInfo,
    PersonResult,
    Policy,
    Population,
    PopulationKind,
    PostSummary,
)
from storage.engagement_summary import Laphar, build_laphar, laphar_platform
from storage.models import Platform
from tests.factories import insert_client, insert_engagements, insert_person, insert_post

JAKARTA = ZoneInfo("Asia/Jakarta")
DAY = date(2025, 12, 6)  # a Saturday
NOW = datetime(2025, 12, 6, 19, 5, tzinfo=JAKARTA)
DIRECTORATE = ClientInfo("DITBINMAS", "DIREKTORAT BINMAS", "directorate", "ditbinmas",
                         "ditbinmas.tt", None)


# --- hand-made attendance (shared by the report tests of this package) ----------------------


def person(user_id: str, name: str, satker: str = "DITBINMAS", *, engaged: int = 0,
           posts: int = 3, username: str | None = "auto", rank: str | None = "BRIPDA",
           satfung: str = "SAT BINMAS", policy: Policy = ALL,
           jabatan: str | None = None) -> PersonResult:
    username = f"u{user_id}" if username == "auto" else username
    satker_name = DIRECTORATE.name if satker == "DITBINMAS" else satker.replace("_", " ")
    return PersonResult(user_id=user_id, name=name, rank=rank, satfung=satfung, jabatan=jabatan,
                        satker_id=satker, satker_name=satker_name, username=username,
                        exception=False, engaged=engaged if username else 0, posts=posts,
                        status=policy.status(engaged, posts, username is not None))


def post_list(platform: str, count: int) -> list[PostSummary]:
    return [PostSummary(id=n + (100 if platform == "tiktok" else 0), platform=platform,
                        external_id=f"{platform[:2].upper()}{n}",
                        uploaded_at=datetime(2025, 12, 6, 8 + n, tzinfo=JAKARTA), caption=None,
                        engagers=10 + n) for n in range(1, count + 1)]


def attendance(people: list[PersonResult], *, platform: str = "instagram", posts: int = 3,
               kind: PopulationKind = PopulationKind.DIRECTORATE, policy: Policy = ALL,
               client: ClientInfo = DIRECTORATE, day: date = DAY,
               per_post: dict[str, frozenset[int]] | None = None) -> Attendance:
    return Attendance(client, Population(kind, client.client_id), Platform(platform),
                      clock.day(day), policy, post_list(platform, posts), people, per_post)


def request(client_id: str = "DITBINMAS", day: date = DAY) -> ReportRequest:
    return ReportRequest(client_id, clock.day(day), NOW)


def first_posts(people: list[PersonResult], posts: list[PostSummary]) -> dict[str, frozenset[int]]:
    """per_post as the engine gives it: each person engaged with their first `engaged` posts."""
    return {p.user_id: frozenset(post.id for post in posts[:p.engaged]) for p in people}


def with_per_post(result: Attendance) -> Attendance:
    result.per_post = first_posts(result.people, result.posts)
    return result


# --- the laphar renderer --------------------------------------------------------------------


def _small_laphar() -> Laphar:
    ig_people = [
        person("1", "ANDI", engaged=2, posts=2, rank="AKBP"),
        person("2", "BUDI", engaged=0, posts=2, username=None),
        person("3", "CICI", "POLRES_A", engaged=2, posts=2),
        person("4", "DODI", "POLRES_A", engaged=1, posts=2),
        person("5", "EKO", "POLRES_B", engaged=0, posts=2),
    ]
    tt_people = [
        person("1", "ANDI", engaged=1, posts=1, rank="AKBP", username=None),
        person("2", "BUDI", engaged=1, posts=1, username="budi.tt"),
        person("3", "CICI", "POLRES_A", engaged=1, posts=1),
        person("4", "DODI", "POLRES_A", engaged=0, posts=1),
        person("5", "EKO", "POLRES_B", engaged=1, posts=1),
    ]
    ig = with_per_post(attendance(ig_people, posts=2))
    tt = with_per_post(attendance(tt_people, platform="tiktok", posts=1))
    return Laphar(laphar_platform(ig), laphar_platform(tt))


NARRATIVE = """\
Mohon ijin Komandan,

Berikut rekap singkat likes Instagram dan komentar TikTok personel DIREKTORAT BINMAS hari \
Sabtu, 06 Desember 2025 pukul 19.05 WIB.

📸 *Instagram (DIREKTORAT BINMAS)*
Konten: 2 · Personel: 5 pers
Lengkap = minimal 2 dari 2 konten
✅ Lengkap: 2 pers
⚠️ Kurang: 1 pers
❌ Belum: 1 pers
⚠️❌ Belum input username: 1 pers
✅ Sudah melaksanakan (lengkap + kurang): 3 pers
❤️ Total likes personel: 5 dari 10 (50,0%)
🎯 Target 95%: 10 likes, kurang 5 likes

🔥 *Top 1 Likes*
1. POLRES A – 3 likes (75,0%)
❄️ *Bottom 1 Likes*
1. POLRES B – 0 likes (0,0%)

🎵 *TikTok (DIREKTORAT BINMAS)*
Konten: 1 · Personel: 5 pers
Lengkap = minimal 1 dari 1 konten
✅ Lengkap: 3 pers
⚠️ Kurang: 0 pers
❌ Belum: 1 pers
⚠️❌ Belum input username: 1 pers
✅ Sudah melaksanakan (lengkap + kurang): 3 pers
💬 Total komentar personel: 3 dari 5 (60,0%)
🎯 Target 95%: 5 komentar, kurang 2 komentar

🔥 *Top 1 Komentar*
1. POLRES B – 1 komentar (100,0%)
❄️ *Bottom 1 Komentar*
1. POLRES A – 1 komentar (50,0%)

📎 Terlampir 4 berkas .txt (rekap lengkap dan daftar personel belum lengkap per platform) \
dan 1 berkas Excel rekap per satker.

Terima kasih."""

ALL_FILE_IG = """\
Mohon ijin Komandan,

📋 *Rekap Akumulasi Likes Instagram*
*DIREKTORAT BINMAS*
Hari: Sabtu, 06 Desember 2025
Jam: 19.05.00 WIB

Jumlah konten: 2 (Lengkap = minimal 2 dari 2 konten)
Daftar link konten:
- https://www.instagram.com/p/IN1
- https://www.instagram.com/p/IN2

👥 Jumlah personel: 5 pers
✅ Lengkap: 2 pers
⚠️ Kurang: 1 pers
❌ Belum: 1 pers
⚠️❌ Belum input username: 1 pers
✅ Sudah melaksanakan (lengkap + kurang): 3 pers
Total likes personel: 5 dari 10 (50,0%)

_Kesatuan : Jumlah personel / Lengkap / Kurang / Belum / Belum input username_

1. *DIREKTORAT BINMAS* : 2 / 1 / 0 / 0 / 1
Likes personel: 2 dari 4 (50,0%)
✅ *Lengkap (1 pers):*
- AKBP ANDI, 2/2 konten
⚠️ *Kurang (0 pers):*
-
❌ *Belum (0 pers):*
-
⚠️❌ *Belum input username (1 pers):*
- BRIPDA BUDI, IG Kosong, TikTok @budi.tt

2. *POLRES A* : 2 / 1 / 1 / 0 / 0
Likes personel: 3 dari 4 (75,0%)
✅ *Lengkap (1 pers):*
- BRIPDA CICI, 2/2 konten
⚠️ *Kurang (1 pers):*
- BRIPDA DODI, 1/2 konten
❌ *Belum (0 pers):*
-
⚠️❌ *Belum input username (0 pers):*
-

3. *POLRES B* : 1 / 0 / 0 / 1 / 0
Likes personel: 0 dari 2 (0,0%)
✅ *Lengkap (0 pers):*
-
⚠️ *Kurang (0 pers):*
-
❌ *Belum (1 pers):*
- BRIPDA EKO, @u5
⚠️❌ *Belum input username (0 pers):*
-

📊 *Distribusi likes per konten:*
1. https://www.instagram.com/p/IN1 — 3 personel, 11 akun total
2. https://www.instagram.com/p/IN2 — 2 personel, 12 akun total
Jumlah: 5 likes personel

Terima kasih."""

NOT_DONE_FILE_TT = """\
Mohon ijin Komandan,

📋 *Personel Belum Lengkap Komentar TikTok*
*DIREKTORAT BINMAS*
Hari: Sabtu, 06 Desember 2025
Jam: 19.05.00 WIB

Jumlah konten: 1 (Lengkap = minimal 1 dari 1 konten)
Daftar link konten:
- https://www.tiktok.com/@ditbinmas.tt/video/TI1

Belum lengkap: 2 dari 5 pers

_Kesatuan : Kurang / Belum / Belum input username_

1. *DIREKTORAT BINMAS* : 0 / 0 / 1
⚠️ *Kurang (0 pers):*
-
❌ *Belum (0 pers):*
-
⚠️❌ *Belum input username (1 pers):*
- AKBP ANDI, IG @u1, TikTok Kosong

2. *POLRES A* : 0 / 1 / 0
⚠️ *Kurang (0 pers):*
-
❌ *Belum (1 pers):*
- BRIPDA DODI, @u4
⚠️❌ *Belum input username (0 pers):*
-

Terima kasih."""


def test_narrative_and_files_of_a_small_directorate() -> None:
    rendered = render_laphar(_small_laphar(), request())
    assert rendered.messages == [NARRATIVE]
    names = [f.filename for f in rendered.files]
    assert names == [
        "Absensi_All_Engagement_Instagram_Sabtu_6-12-2025_19-05-00.txt",
        "Absensi_Belum_Engagement_Instagram_Sabtu_6-12-2025_19-05-00.txt",
        "Absensi_All_Engagement_Tiktok_Sabtu_6-12-2025_19-05-00.txt",
        "Absensi_Belum_Engagement_Tiktok_Sabtu_6-12-2025_19-05-00.txt",
        "Rekap_Engagement_Instagram_Tiktok_DITBINMAS_Sabtu_2025-12-06_1905.xlsx",
    ]
    assert rendered.files[0].content.decode() == ALL_FILE_IG
    assert rendered.files[3].content.decode() == NOT_DONE_FILE_TT
    workbook = rendered.files[4]
    assert workbook.mimetype == XLSX_MIMETYPE
    assert workbook.filename == laphar_workbook(_small_laphar(), request()).filename
    book = openpyxl.load_workbook(io.BytesIO(workbook.content))
    # Per platform in the shared satker order (directorate, then completion rate).
    assert book.sheetnames == ["IG DIREKTORAT BINMAS", "IG POLRES A", "IG POLRES B",
                               "TikTok DIREKTORAT BINMAS", "TikTok POLRES B", "TikTok POLRES A"]
    assert book["IG POLRES A"]["A1"].value == "POLRES A – Rekap Engagement Instagram"
    assert [row[1] for row in book["TikTok POLRES A"].iter_rows(min_row=4, max_row=5,
                                                               values_only=True)] == [
        "BRIPDA CICI", "BRIPDA DODI"]


def test_one_platform_laphar_has_its_narrative_rosters_and_workbook() -> None:
    section = _small_laphar().instagram
    rendered = render_laphar_platform(section, request())
    narrative = rendered.messages[0]
    assert narrative.startswith(
        "Mohon ijin Komandan,\n\nBerikut rekap singkat likes Instagram personel DIREKTORAT "
        "BINMAS hari Sabtu, 06 Desember 2025 pukul 19.05 WIB.\n\n📸 *Instagram (DIREKTORAT "
        "BINMAS)*")
    assert "🎵" not in narrative
    assert "📎 Terlampir 2 berkas .txt (rekap lengkap dan daftar personel belum lengkap) " \
           "dan 1 berkas Excel rekap per satker." in narrative
    assert [f.filename for f in rendered.files] == [
        "Absensi_All_Engagement_Instagram_Sabtu_6-12-2025_19-05-00.txt",
        "Absensi_Belum_Engagement_Instagram_Sabtu_6-12-2025_19-05-00.txt",
        "Rekap_Engagement_Instagram_DITBINMAS_Sabtu_2025-12-06_1905.xlsx",
    ]
    roster = rendered.files[0].content.decode()
    # Only Instagram is known here: the roster never guesses a TikTok username.
    assert "- BRIPDA BUDI, IG Kosong\n" in roster
    assert roster == ALL_FILE_IG.replace("- BRIPDA BUDI, IG Kosong, TikTok @budi.tt",
                                         "- BRIPDA BUDI, IG Kosong")
    book = openpyxl.load_workbook(io.BytesIO(rendered.files[2].content))
    assert book.sheetnames == ["DIREKTORAT BINMAS", "POLRES A", "POLRES B"]
    document = laphar_platform_json("laphar-ig")(section, request())
    assert document["report"] == "laphar-ig"
    assert [s["platform"] for s in document["sections"]] == ["instagram"]


def test_satker_figures_are_sums_of_posts_engaged_and_exclude_the_directorate() -> None:
    data = _small_laphar()
    ig = data.instagram
    assert [(t.satker_id, t.engaged, t.possible) for t in ig.satkers] == [
        ("DITBINMAS", 2, 4), ("POLRES_A", 3, 4), ("POLRES_B", 0, 2)]
    assert [t.satker_id for t in ig.top + ig.bottom] == ["POLRES_A", "POLRES_B"]
    assert (ig.engaged, ig.possible, ig.target, ig.deficit) == (5, 10, 10, 5)
    assert sum(ig.post_personnel.values()) == ig.engaged


def test_top_and_bottom_five_of_many_satker_never_overlap() -> None:
    people = [person(str(n), f"P{n}", f"POLRES_{n:02d}", engaged=n % 4, posts=3)
              for n in range(1, 15)]
    section = laphar_platform(attendance(people))
    assert [t.engaged for t in section.top] == [3, 3, 3, 2, 2]
    assert [t.engaged for t in section.bottom] == [0, 0, 0, 1, 1]
    assert not {t.satker_id for t in section.top} & {t.satker_id for t in section.bottom}


def test_no_posts_on_either_platform_is_one_sentence() -> None:
    people = [person("1", "ANDI", engaged=0, posts=0)]
    data = Laphar(laphar_platform(attendance(people, posts=0)),
                  laphar_platform(attendance(people, platform="tiktok", posts=0)))
    rendered = render_laphar(data, request())
    assert rendered.messages == [
        "Belum ada konten Instagram maupun TikTok DIREKTORAT BINMAS pada Sabtu, "
        "06 Desember 2025."]
    assert rendered.files == []


def test_a_platform_without_posts_says_so_and_gets_no_files() -> None:
    data = _small_laphar()
    data.tiktok = laphar_platform(attendance(
        [person("1", "ANDI", engaged=0, posts=0)], platform="tiktok", posts=0))
    rendered = render_laphar(data, request())
    assert "🎵 *TikTok (DIREKTORAT BINMAS)*\nBelum ada konten TikTok DIREKTORAT BINMAS pada " \
           "Sabtu, 06 Desember 2025." in rendered.messages[0]
    assert "Terlampir 2 berkas" in rendered.messages[0]
    assert [f.filename.split("_")[3] for f in rendered.files[:2]] == ["Instagram", "Instagram"]
    assert rendered.files[2].filename.startswith("Rekap_Engagement_Instagram_DITBINMAS_")
    assert len(rendered.files) == 3


def test_a_large_directorate_keeps_the_narrative_within_one_message() -> None:
    people = [person(str(n), f"PERSONIL {n}", f"POLRES_{n % 40:02d}", engaged=n % 4)
              for n in range(1, 2001)]
    ig = with_per_post(attendance(people))
    tt = with_per_post(attendance(people, platform="tiktok"))
    rendered = render_laphar(Laphar(laphar_platform(ig), laphar_platform(tt)), request())
    assert len(rendered.messages) == 1
    assert len(rendered.messages[0]) <= WHATSAPP_TEXT_LIMIT
    assert rendered.files[0].content.decode().count("\n- BRIPDA PERSONIL ") == 2000


def test_json_has_both_platforms_as_sections_and_satker_rows() -> None:
    document = laphar_json(_small_laphar(), request())
    assert [s["platform"] for s in document["sections"]] == ["instagram", "tiktok"]
    assert document["policy"] == "all"
    rows = {(r["platform"], r["satker"]): r for r in document["rows"]}
    assert rows[("instagram", "POLRES_A")]["engaged"] == 3
    assert rows[("tiktok", "DITBINMAS")]["no_username"] == 1
    assert document["ranking"]["instagram"]["top"] == ["POLRES_A"]


# --- the storage view on a real database ----------------------------------------------------


class SqlWorld:
    """A tiny organisation written straight into the tables."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self._next_user = 87000000
        self._next_post = 0

    async def sql(self, statement: str, **params) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(text(statement), params)

    async def client(self, client_id: str, type_: str = "org", name: str | None = None, *,
                     parent: str | None = None, status: bool = True) -> None:
        await insert_client(self.engine, client_id, name or None, type_,
                            instagram=client_id.lower(), tiktok=client_id.lower(),
                            parent_id=parent, status=status)

    async def person(self, client_id: str, *, directorates: tuple[str, ...] = ("DITBINMAS",),
                     instagram: str | None = "auto", tiktok: str | None = "auto",
                     rank: str = "BRIPDA", name: str | None = None,
                     jabatan: str | None = None) -> str:
        self._next_user += 1
        user_id = str(self._next_user)
        await insert_person(
            self.engine, user_id, name or f"PERSONIL {user_id}", client_id,
            directorates=directorates, rank=rank, satfung="SAT BINMAS", jabatan=jabatan,
            instagram=f"ig{user_id}" if instagram == "auto" else instagram,
            tiktok=f"tt{user_id}" if tiktok == "auto" else tiktok)
        return user_id

    async def posts(self, client_id: str, platform: str, count: int,
                    day: date = DAY) -> list[int]:
        ids = []
        for n in range(count):
            self._next_post += 1
            ids.append(await insert_post(
                self.engine, platform, f"P{self._next_post}", client_id,
                datetime.combine(day, datetime.min.time(), JAKARTA).replace(hour=8 + n)))
        return ids

    async def engage(self, post_ids: list[int], username: str, kind: str = "like") -> None:
        for post_id in post_ids:
            await insert_engagements(self.engine, post_id, kind, [username])


async def test_build_laphar_sums_posts_engaged_per_satker(engine) -> None:
    world = SqlWorld(engine)
    await world.client("DITBINMAS", "directorate", "DIREKTORAT BINMAS")
    await world.client("POLRES_A")
    await world.client("POLRES_B")
    staff = await world.person("DITBINMAS")
    a1, a2 = await world.person("POLRES_A"), await world.person("POLRES_A")
    b1 = await world.person("POLRES_B")
    await world.person("POLRES_B", directorates=())  # not a member: not counted
    ig = await world.posts("DITBINMAS", "instagram", 3)
    tt = await world.posts("DITBINMAS", "tiktok", 1)
    await world.engage(ig, f"ig{staff}")
    await world.engage(ig[:2], f"ig{a1}")
    await world.engage(ig[:1], f"ig{a2}")
    await world.engage(ig, "someone.else")
    await world.engage(tt, f"tt{b1}", "comment")

    data = await build_laphar(engine, request())

    section = data.instagram
    assert {t.satker_id: t.engaged for t in section.satkers} == {
        "DITBINMAS": 3, "POLRES_A": 3, "POLRES_B": 0}
    assert [t.satker_id for t in section.top] == ["POLRES_A"]
    assert [t.satker_id for t in section.bottom] == ["POLRES_B"]
    assert [section.post_personnel[post_id] for post_id in ig] == [3, 2, 1]
    assert [post.engagers for post in section.attendance.posts] == [4, 3, 2]
    assert section.attendance.totals.total == 4
    assert data.tiktok.engaged == 1
    rendered = render_laphar(data, request())
    assert "1. POLRES A – 3 likes (50,0%)" in rendered.messages[0]

