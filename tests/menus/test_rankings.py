"""top-bottom (persons) and ranking (satker): texts, ties, zero posts, splitting, the workbook."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from cicero.clock import clock
from menus.excel.ranking_workbook import (
    FIRST_DATA_ROW,
    SHEET_NAME,
    period_slug,
    ranking_workbook,
    workbook_name,
)
from menus.format import WHATSAPP_TEXT_LIMIT
from menus.reports.base import ReportRequest
from menus.reports.rankings import (
    personnel_ranking_json,
    ranking_json,
    render_personnel_ranking,
    render_ranking,
    render_top_bottom,
    top_bottom_json,
)
from storage.attendance import MAJORITY, PopulationKind
from storage.engagement_summary import (
    PlatformPair,
    SatkerEngagement,
    TopBottom,
    build_personnel_ranking,
    build_ranking,
    build_top_bottom,
    person_ranking,
    personnel_totals,
    satker_scores,
    top_and_bottom,
)
from storage.report_periods import all_time_period
from tests.conftest import DEMO_DAY, DEMO_NOW
from tests.menus.test_laphar import DAY, NOW, SqlWorld, attendance, person, request

# --- top-bottom -----------------------------------------------------------------------------


def _staff_top_bottom() -> TopBottom:
    people = [
        person("11", "ANDI", engaged=3, rank="AKBP", satfung="BAG OPS"),
        person("12", "BAYU", engaged=3, rank="BRIPDA"),
        person("13", "CANDRA", engaged=3, rank="AKBP"),
        person("14", "DEDI", engaged=2),
        person("15", "EDI", engaged=1, rank="IPDA"),
        person("16", "FAJAR", engaged=1, rank="BRIPKA"),
        person("17", "GITA", engaged=0),
        person("18", "HADI", engaged=0, rank="AKP"),
        person("19", "IWAN", engaged=2, rank="AIPTU"),
        person("20", "JOKO", engaged=3, rank="KOMPOL"),
        person("21", "KIKI", engaged=0, username=None),
        person("22", "LALA", engaged=1),
    ]
    tiktok = [person("11", "ANDI", engaged=1, posts=1, rank="AKBP", satfung="BAG OPS"),
              person("12", "BAYU", engaged=0, posts=1)]
    own = PopulationKind.OWN_STAFF
    return TopBottom(person_ranking(attendance(people, kind=own)),
                     person_ranking(attendance(tiktok, platform="tiktok", posts=1, kind=own)))


TOP_BOTTOM = """\
📊 *Laporan Teratas dan Terbawah Instagram & TikTok*
Cakupan: personel DIREKTORAT BINMAS (staf sendiri)
🗓️ Periode: Sabtu, 06 Desember 2025
Data per pukul 19.05 WIB

📸 *Instagram* — 3 tugas (konten), 11 pers diperingkat
🔥 *5 Pelaksana Tertinggi*
1. AKBP ANDI (BAG OPS • DIREKTORAT BINMAS) — 3 likes
2. AKBP CANDRA (SAT BINMAS • DIREKTORAT BINMAS) — 3 likes
3. KOMPOL JOKO (SAT BINMAS • DIREKTORAT BINMAS) — 3 likes
4. BRIPDA BAYU (SAT BINMAS • DIREKTORAT BINMAS) — 3 likes
5. AIPTU IWAN (SAT BINMAS • DIREKTORAT BINMAS) — 2 likes
❄️ *5 Pelaksana Terendah*
1. AKP HADI (SAT BINMAS • DIREKTORAT BINMAS) — 0 likes
2. BRIPDA GITA (SAT BINMAS • DIREKTORAT BINMAS) — 0 likes
3. IPDA EDI (SAT BINMAS • DIREKTORAT BINMAS) — 1 likes
4. BRIPKA FAJAR (SAT BINMAS • DIREKTORAT BINMAS) — 1 likes
5. BRIPDA LALA (SAT BINMAS • DIREKTORAT BINMAS) — 1 likes
⚠️❌ Belum input username Instagram (tidak diperingkat): 1 pers

🎵 *TikTok* — 1 tugas (konten), 2 pers diperingkat
🔥 *1 Pelaksana Tertinggi*
1. AKBP ANDI (BAG OPS • DIREKTORAT BINMAS) — 1 komentar
❄️ *1 Pelaksana Terendah*
1. BRIPDA BAYU (SAT BINMAS • DIREKTORAT BINMAS) — 0 komentar

Terima kasih."""


def test_top_bottom_text_breaks_ties_by_rank_then_name() -> None:
    rendered = render_top_bottom(_staff_top_bottom(), request())
    assert rendered.messages == [TOP_BOTTOM]


def test_top_bottom_json_lists_rows_and_both_sections() -> None:
    document = top_bottom_json(_staff_top_bottom(), request())
    assert document["population"] == "own_staff"
    assert [s["platform"] for s in document["sections"]] == ["instagram", "tiktok"]
    top = [r["user_id"] for r in document["rows"]
           if r["platform"] == "instagram" and r["list"] == "top"]
    assert top == ["11", "13", "20", "12", "19"]


def test_top_bottom_without_posts_is_one_sentence() -> None:
    people = [person("1", "ANDI", posts=0)]
    data = TopBottom(person_ranking(attendance(people, posts=0)),
                     person_ranking(attendance(people, platform="tiktok", posts=0)))
    assert render_top_bottom(data, request()).messages == [
        "Belum ada konten Instagram maupun TikTok DIREKTORAT BINMAS pada Sabtu, "
        "06 Desember 2025."]


@pytest.mark.parametrize(("values", "complete", "top", "bottom"), [
    ([3, 2, 1], 3, [3, 2], [1]),
    ([3, 3, 3, 3], 3, [3, 3], []),  # everyone complete: nobody is "lowest"
    ([0, 0, 0], 3, [], [0, 0, 0]),  # nobody did anything: nobody is "highest"
    (list(range(12)), 12, [11, 10, 9, 8, 7], [0, 1, 2, 3, 4]),
])
def test_top_and_bottom_never_overlap(values: list[int], complete: int, top: list[int],
                                      bottom: list[int]) -> None:
    best, worst = top_and_bottom(values, lambda v: -v, lambda v: v, can_top=lambda v: v > 0,
                                 can_bottom=lambda v: v < complete)
    assert (best, worst) == (top, bottom)


async def test_top_bottom_population_follows_the_client(engine) -> None:
    world = SqlWorld(engine)
    for client_id, type_ in (("DITBINMAS", "directorate"), ("DITLANTAS", "directorate"),
                             ("POLRES_A", "org")):
        await world.client(client_id, type_)
    staff = await world.person("DITBINMAS", directorates=("DITBINMAS",))
    member = await world.person("POLRES_A", directorates=("DITBINMAS", "DITLANTAS"))
    for client_id in ("DITBINMAS", "DITLANTAS", "POLRES_A"):
        await world.posts(client_id, "instagram", 1)

    def ids(data: TopBottom) -> set[str]:
        return {p.user_id for p in data.instagram.attendance.people}

    assert ids(await build_top_bottom(engine, request("DITBINMAS"))) == {staff}
    assert ids(await build_top_bottom(engine, request("DITLANTAS"))) == {member}
    assert ids(await build_top_bottom(engine, request("POLRES_A"))) == {member}


# --- ranking ---------------------------------------------------------------------------------


def _ranking(ig_posts: int = 3, tt_posts: int = 2) -> SatkerEngagement:
    m = MAJORITY
    ig_people = [person("1", "ANDI", engaged=3, rank="AKBP", policy=m, posts=ig_posts),
                 person("2", "BUDI", "POLRES_A", engaged=2, policy=m, posts=ig_posts),
                 person("3", "CICI", "POLRES_A", engaged=0, policy=m, posts=ig_posts),
                 person("4", "DODI", "POLRES_B", engaged=1, policy=m, posts=ig_posts),
                 person("5", "EKO", "POLRES_B", username=None, policy=m, posts=ig_posts)]
    tt_people = [person("1", "ANDI", engaged=1, posts=tt_posts, rank="AKBP", policy=m),
                 person("2", "BUDI", "POLRES_A", engaged=2, posts=tt_posts, policy=m),
                 person("3", "CICI", "POLRES_A", engaged=2, posts=tt_posts, policy=m),
                 person("4", "DODI", "POLRES_B", engaged=0, posts=tt_posts, policy=m),
                 person("5", "EKO", "POLRES_B", engaged=0, posts=tt_posts, policy=m)]
    pair = PlatformPair(attendance(ig_people, policy=m, posts=ig_posts),
                        attendance(tt_people, platform="tiktok", posts=tt_posts, policy=m))
    return SatkerEngagement(pair, satker_scores(pair))


RANKING = """\
📊 *Ranking Engagement Satker DIREKTORAT BINMAS*
🗓️ Periode: Sabtu, 06 Desember 2025
Data per pukul 19.05 WIB
📸 Konten Instagram: 3 · 🎵 Konten TikTok: 2
👥 Personel: 5 pers
Skor = rata-rata persentase personel yang sudah melaksanakan (lengkap + kurang) di Instagram \
dan TikTok; platform tanpa konten tidak dihitung.

🏛️ *Satker induk*
*DIREKTORAT BINMAS* — skor 100,0%
   IG 100,0% (1/1) · TikTok 100,0% (1/1)
   Like 3 | Komentar 1 | Total 4

🔥 *Peringkat Satker*
1. *POLRES A* — skor 75,0%
   IG 50,0% (1/2) · TikTok 100,0% (2/2)
   Like 2 | Komentar 4 | Total 6
2. *POLRES B* — skor 25,0%
   IG 50,0% (1/2) · TikTok 0,0% (0/2)
   Like 1 | Komentar 0 | Total 1

📸 *Instagram* (Lengkap = minimal 2 dari 3 konten)
✅ Lengkap: 2 pers
⚠️ Kurang: 1 pers
❌ Belum: 1 pers
⚠️❌ Belum input username: 1 pers
✅ Sudah melaksanakan (lengkap + kurang): 3 pers

🎵 *TikTok* (Lengkap = minimal 1 dari 2 konten)
✅ Lengkap: 3 pers
⚠️ Kurang: 0 pers
❌ Belum: 2 pers
⚠️❌ Belum input username: 0 pers
✅ Sudah melaksanakan (lengkap + kurang): 3 pers

Terima kasih."""


def test_ranking_text_puts_the_directorate_first_then_satker_by_score() -> None:
    assert render_ranking(_ranking(), request()).messages == [RANKING]


def test_ranking_without_posts_is_one_sentence() -> None:
    assert render_ranking(_ranking(0, 0), request()).messages == [
        "Belum ada konten Instagram maupun TikTok DIREKTORAT BINMAS pada Sabtu, "
        "06 Desember 2025."]


def test_a_platform_without_posts_is_left_out_of_the_score() -> None:
    data = _ranking(tt_posts=0)
    polres_a = next(s for s in data.satkers if s.satker_id == "POLRES_A")
    assert polres_a.score == pytest.approx(0.5)  # Instagram only: 1 of 2 acted
    text = render_ranking(data, request()).messages[0]
    assert "   IG 50,0% (1/2) · TikTok tidak ada konten" in text
    assert "🎵 *TikTok*: tidak ada konten pada periode ini." in text


def test_ranking_of_many_satker_is_split_under_the_limit() -> None:
    people = [person(str(n), f"P{n}", f"POLRES_NOMOR_{n:03d}", engaged=n % 4, policy=MAJORITY)
              for n in range(1, 151)]
    tiktok = [person(str(n), f"P{n}", f"POLRES_NOMOR_{n:03d}", engaged=n % 2, posts=2,
                     policy=MAJORITY) for n in range(1, 151)]
    pair = PlatformPair(attendance(people, policy=MAJORITY),
                        attendance(tiktok, platform="tiktok", posts=2, policy=MAJORITY))
    rendered = render_ranking(SatkerEngagement(pair, satker_scores(pair)), request())
    assert len(rendered.messages) > 1
    assert all(len(message) <= WHATSAPP_TEXT_LIMIT for message in rendered.messages)
    assert "150. *POLRES NOMOR" in rendered.text
    assert rendered.messages[-1].endswith("Terima kasih.")


def test_ranking_json_rows_and_sections() -> None:
    document = ranking_json(_ranking(), request())
    assert document["policy"] == "majority"
    assert [r["satker"] for r in document["rows"]] == ["DITBINMAS", "POLRES_A", "POLRES_B"]
    assert document["rows"][1]["instagram"]["acted"] == 1
    assert document["rows"][1]["score"] == 0.75
    assert len(document["sections"]) == 2


# --- the workbook ----------------------------------------------------------------------------


def _sheet(data: SatkerEngagement, req: ReportRequest):
    file = ranking_workbook(data, req)
    assert file.filename.endswith(".xlsx")
    return openpyxl.load_workbook(io.BytesIO(file.content))[SHEET_NAME]


def _assert_totals_match(sheet, data: SatkerEngagement) -> None:
    rows = list(sheet.iter_rows(min_row=FIRST_DATA_ROW + 1, values_only=True))
    total = rows[-1]
    assert total[0] == "TOTAL"
    ig, tt = data.pair.instagram.totals, data.pair.tiktok.totals
    assert total[1] == ig.total
    assert total[2:6] == (ig.done, ig.partial, ig.none, ig.no_username)
    assert total[8:12] == (tt.done, tt.partial, tt.none, tt.no_username)
    assert total[7] == sum(p.engaged for p in data.pair.instagram.people)
    assert total[13] == sum(p.engaged for p in data.pair.tiktok.people)
    assert sum(row[1] for row in rows[:-1]) == ig.total
    assert len(rows) - 1 == len(data.satkers)


def test_workbook_layout_and_totals() -> None:
    data = _ranking()
    sheet = _sheet(data, request())
    assert sheet["A1"].value == "DIREKTORAT BINMAS – Rekap Ranking Engagement"
    assert sheet["A2"].value == "Periode: Sabtu, 06 Desember 2025"
    assert sheet["A4"].value == "Jumlah konten Instagram: 3 (lengkap = minimal 2 dari 3 konten)"
    assert [sheet.cell(7, c).value for c in (1, 2, 3, 9, 15)] == [
        "NAMA SATKER", "JUMLAH PERSONIL", "INSTAGRAM", "TIKTOK", "SKOR"]
    assert [sheet.cell(8, c).value for c in range(3, 15)] == [
        "SUDAH (LENGKAP)", "KURANG", "BELUM", "USERNAME KOSONG", "% MELAKSANAKAN",
        "JUMLAH LIKES", "SUDAH (LENGKAP)", "KURANG", "BELUM", "USERNAME KOSONG",
        "% MELAKSANAKAN", "JUMLAH KOMENTAR"]
    assert [sheet.cell(r, 1).value for r in (9, 10, 11)] == [
        "DIREKTORAT BINMAS (satker induk)", "1. POLRES A", "2. POLRES B"]
    assert sheet.cell(10, 15).value == pytest.approx(0.75)
    assert sheet.cell(10, 7).number_format == "0.0%"
    assert sheet.freeze_panes == "B9"
    assert sheet.cell(7, 1).fill.fgColor.rgb.endswith("D9D9D9")
    assert sheet.cell(10, 1).fill.fgColor.rgb.endswith("F5F5F5")
    _assert_totals_match(sheet, data)


async def test_workbook_totals_equal_the_engine_on_the_demo_data(demo_engine) -> None:
    req = ReportRequest("DITBINMAS", clock.week(DEMO_DAY), DEMO_NOW)
    with clock.frozen(DEMO_NOW):
        data = await build_ranking(demo_engine, req)
    assert data.pair.instagram.totals.total > 0
    _assert_totals_match(_sheet(data, req), data)


@pytest.mark.parametrize(("period", "slug"), [
    (clock.day(date(2025, 12, 6)), "Harian-2025-12-06"),
    (clock.week(date(2025, 12, 6)), "Minggu-49-2025"),
    (clock.month(date(2025, 12, 6)), "Desember-2025"),
    (clock.period(date(2025, 12, 1), date(2025, 12, 10)), "2025-12-01-sd-2025-12-10"),
])
def test_workbook_name_says_the_period(period, slug: str) -> None:
    assert period_slug(period) == slug
    name = workbook_name("DITBINMAS", ReportRequest("DITBINMAS", period, NOW))
    assert name == f"DITBINMAS_Rekap_Ranking_Engagement_{slug}_2025-12-06_1905.xlsx"
    all_time = workbook_name("DITBINMAS", ReportRequest("DITBINMAS", period, NOW,
                                                        all_time=True))
    assert all_time == "DITBINMAS_Rekap_Ranking_Engagement_Semua_2025-12-06_1905.xlsx"


def test_all_time_workbook_says_semua() -> None:
    sheet = _sheet(_ranking(), _all_time_request())
    assert sheet["A2"].value == "Periode: semua (01 Desember 2025 - 06 Desember 2025)"


# --- personnel-ranking (dirrequest 31) -------------------------------------------------------


def _personnel_pair() -> PlatformPair:
    ig = [person("1", "ANDI", engaged=3, rank="AKBP"),
          person("2", "BUDI", "POLRES_A", engaged=1),
          person("3", "CICI", "POLRES_A", engaged=2, rank="BRIPKA"),
          person("4", "DODI", "POLRES_B", engaged=0),
          person("5", "EKO", "POLRES_B", engaged=0, username=None),
          person("6", "FAJAR", "POLRES_B", engaged=3, rank="KOMPOL")._replace(exception=True)]
    tt = [person("1", "ANDI", engaged=0, posts=2, rank="AKBP"),
          person("2", "BUDI", "POLRES_A", engaged=2, posts=2),
          person("3", "CICI", "POLRES_A", engaged=1, posts=2, rank="BRIPKA"),
          person("4", "DODI", "POLRES_B", engaged=0, posts=2),
          person("5", "EKO", "POLRES_B", engaged=1, posts=2),
          person("6", "FAJAR", "POLRES_B", engaged=2, posts=2,
                 rank="KOMPOL")._replace(exception=True)]
    return PlatformPair(attendance(ig), attendance(tt, platform="tiktok", posts=2))


PERSONNEL_RANKING = """\
📊 *Top Ranking Like & Komentar Personel*
*DIREKTORAT BINMAS*
🗓️ Periode: semua (01 Desember 2025 - 06 Desember 2025)
Data per Sabtu, 06 Desember 2025 pukul 19.05 WIB
📸 Konten Instagram: 3 · 🎵 Konten TikTok: 2
👥 Personel yang memberi like atau komentar: 4 dari 6 pers

1. *AKBP ANDI* (NRP 1)
   DIREKTORAT BINMAS — total 3 (like 3 | komentar 0)
2. *BRIPKA CICI* (NRP 3)
   POLRES A — total 3 (like 2 | komentar 1)
3. *BRIPDA BUDI* (NRP 2)
   POLRES A — total 3 (like 1 | komentar 2)
4. *BRIPDA EKO* (NRP 5)
   POLRES B — total 1 (like 0 | komentar 1)

⚠️ 1 personel pengecualian (selalu dihitung lengkap) tidak diperingkat.

Terima kasih."""


def _all_time_request() -> ReportRequest:
    return ReportRequest("DITBINMAS", clock.period(date(2025, 12, 1), date(2025, 12, 6)), NOW,
                         all_time=True)


def test_personnel_ranking_adds_likes_and_comments_and_skips_exceptions() -> None:
    data = personnel_totals(_personnel_pair())
    assert [(t.person.user_id, t.likes, t.comments) for t in data.ranked] == [
        ("1", 3, 0), ("3", 2, 1), ("2", 1, 2), ("5", 0, 1)]
    assert (data.population, data.exceptions) == (6, 1)
    rendered = render_personnel_ranking(data, _all_time_request())
    assert rendered.messages == [PERSONNEL_RANKING]
    rows = personnel_ranking_json(data, _all_time_request())["rows"]
    assert [(r["position"], r["user_id"], r["total"]) for r in rows] == [
        (1, "1", 3), (2, "3", 3), (3, "2", 3), (4, "5", 1)]


def test_personnel_ranking_shows_the_first_twenty() -> None:
    people = [person(str(n), f"P{n:02d}", engaged=n % 4) for n in range(1, 41)]
    tiktok = [person(str(n), f"P{n:02d}", engaged=0, posts=1) for n in range(1, 41)]
    data = personnel_totals(PlatformPair(attendance(people),
                                         attendance(tiktok, platform="tiktok", posts=1)))
    text = render_personnel_ranking(data, request()).text
    assert "20. *BRIPDA " in text and "21. " not in text
    assert "Ditampilkan 20 teratas dari 30 personel." in text


async def test_all_time_rankings_count_every_post_since_the_first(engine) -> None:
    world = SqlWorld(engine)
    await world.client("DITBINMAS", "directorate", "DIREKTORAT BINMAS")
    await world.client("POLRES_A")
    staff = await world.person("DITBINMAS", name="ANDI")
    member = await world.person("POLRES_A", name="BUDI")
    old = await world.posts("DITBINMAS", "instagram", 2, day=date(2025, 11, 3))
    new = await world.posts("DITBINMAS", "tiktok", 1)
    await world.engage(old, f"ig{staff}")
    await world.engage(old[:1], f"ig{member}")
    await world.engage(new, f"tt{member}", "comment")
    period = await all_time_period(engine, "DITBINMAS", DAY)
    assert (period.start, period.end) == (date(2025, 11, 3), DAY)
    req = ReportRequest("DITBINMAS", period, NOW, all_time=True)
    data = await build_personnel_ranking(engine, req)
    assert [(t.person.user_id, t.likes, t.comments) for t in data.ranked] == [
        (staff, 2, 0), (member, 1, 1)]
    satkers = await build_ranking(engine, req)
    assert [(s.satker_id, s.engagement_total) for s in satkers.satkers] == [
        ("DITBINMAS", 2), ("POLRES_A", 2)]
    assert "🗓️ Periode: semua (03 November 2025 - 06 Desember 2025)" in \
        render_ranking(satkers, req).text
    # An ORG satker ranks its own personnel on its own posts.
    await world.engage(await world.posts("POLRES_A", "instagram", 1), f"ig{member}")
    org = await build_personnel_ranking(engine, ReportRequest("POLRES_A", period, NOW))
    assert [(t.person.user_id, t.total) for t in org.ranked] == [(member, 1)]
