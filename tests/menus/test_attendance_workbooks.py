"""The attendance workbooks, re-opened with openpyxl and compared with the engine's numbers."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import text

from cicero.clock import Period, clock
from menus.excel.attendance_workbooks import Layout, attendance_workbook, layout_for
from menus.excel.sheets import XLSX_MIMETYPE, SheetNames
from menus.reports.base import ReportFile, ReportRequest
from menus.status_words import STATUS_NAMES
from storage.attendance import (
    MAJORITY,
    Attendance,
    ClientInfo,
    Group,
    PersonResult,
    Population,
    PopulationKind,
    PostSummary,
    Status,
    attendance_for,
)
from storage.models import Platform
from tests.conftest import DEMO_DAY, DEMO_NOW
from tests.factories import insert_client, insert_person

JAKARTA = ZoneInfo("Asia/Jakarta")
DAY = date(2025, 12, 6)  # Saturday
NOW = datetime(2025, 12, 6, 19, 5, tzinfo=JAKARTA)
AWKWARD = "POLRES A/B: [KOTA]*? YANG NAMANYA SANGAT PANJANG"
AWKWARD_TOO = "POLRES A/B: [KOTA]*? YANG NAMANYA SANGAT PANJANG JUGA"


# --- a small organisation written straight into the tables ------------------------------------


async def _sql(engine, statement: str, **params) -> None:
    async with engine.begin() as connection:
        await connection.execute(text(statement), params)


async def _seed(engine) -> dict[str, str]:
    """DIT_X (directorate) posts on Mon 1, Wed 3 and Sat 6 Dec; its members live in three
    satker, two of them with names Excel refuses as sheet names."""
    for client_id, name, type_ in (("DIT_X", "DIREKTORAT X", "directorate"),
                                   ("POLRES_A", "POLRES A", "org"),
                                   ("POLRES_B", AWKWARD, "org"),
                                   ("POLRES_C", AWKWARD_TOO, "org")):
        await insert_client(engine, client_id, name, type_, instagram="ditx", tiktok="ditx.tt")
    people = {  # key: (user_id, client, rank, name, instagram, exception)
        "all": ("87000001", "POLRES_A", "AKP", "ANDI", "andi", False),
        "some": ("87000002", "POLRES_A", "BRIPDA", "BUDI", "budi", False),
        "none": ("87000003", "POLRES_A", "BRIPKA", "CITRA", "citra", False),
        "nouser": ("87000004", "POLRES_A", "BRIPTU", "DEDI", None, False),
        "exception": ("87000005", "POLRES_A", "IPDA", "EKO", "eko", True),
        "dit": ("87000006", "DIT_X", "KOMPOL", "FAJAR", "fajar", False),
        "b1": ("87000007", "POLRES_B", "AIPTU", "GITA", "gita", False),
        "c1": ("87000008", "POLRES_C", "AIPDA", "HADI", "hadi", False),
    }
    for user_id, client_id, rank, name, instagram, exception in people.values():
        await insert_person(engine, user_id, name, client_id, directorates=("DIT_X",),
                            rank=rank, satfung="SAT BINMAS", instagram=instagram,
                            tiktok=f"{instagram}.tt" if instagram else None, exception=exception)
    posts: dict[str, int] = {}
    for external, day, hour in (("C1a", 1, 8), ("C1b", 1, 23), ("C3a", 3, 10),
                                ("C6a", 6, 7), ("C6b", 6, 9)):
        async with engine.begin() as connection:
            posts[external] = (await connection.execute(text(
                "INSERT INTO posts (platform, external_id, client_id, uploaded_at) "
                "VALUES ('instagram', :e, 'DIT_X', :at) RETURNING id"),
                {"e": external, "at": datetime(2025, 12, day, hour, 30, tzinfo=JAKARTA)},
            )).scalar_one()
    likes = {"andi": list(posts), "budi": ["C1a", "C6b"], "fajar": ["C1b", "C3a", "C6a"],
             "gita": ["C6a"], "stranger": ["C6a", "C6b"]}
    for username, externals in likes.items():
        for external in externals:
            await _sql(engine, "INSERT INTO engagements (post_id, kind, username) "
                               "VALUES (:p, 'like', :u)", p=posts[external], u=username)
    return {key: value[0] for key, value in people.items()}


async def _attendance(engine, period: Period) -> Attendance:
    return await attendance_for(engine, Population(PopulationKind.DIRECTORATE, "DIT_X"),
                                "instagram", period, MAJORITY, per_post=True, per_day=True)


def _open(file: ReportFile, *, cached: bool = False) -> openpyxl.Workbook:
    assert file.mimetype == XLSX_MIMETYPE
    assert file.filename.endswith(".xlsx")
    return openpyxl.load_workbook(io.BytesIO(file.content), data_only=cached)


def _body(ws: Worksheet, first_row: int) -> tuple[list[tuple], int]:
    """The person rows (1-based `first_row` onwards, up to TOTAL) and the TOTAL row number."""
    rows = []
    for number, row in enumerate(ws.iter_rows(min_row=first_row, values_only=True),
                                 start=first_row):
        if row[0] == "TOTAL":
            return rows, number
        rows.append(row)
    raise AssertionError(f"no TOTAL row in {ws.title}")


def _column_sums(ws: Worksheet, cached: Worksheet, first_row: int, total_row: int,
                 columns: range) -> list[int]:
    """Check each TOTAL cell is SUM over exactly the person rows; return the cached sums."""
    sums = []
    for col in columns:
        letter = openpyxl.utils.get_column_letter(col)
        assert ws.cell(total_row, col).value == (
            f"=SUM({letter}{first_row}:{letter}{total_row - 1})")
        sums.append(cached.cell(total_row, col).value)
    return sums


def _summary(ws: Worksheet, total_row: int) -> dict[str, int]:
    return {ws.cell(row, 2).value: ws.cell(row, 4).value
            for row in range(total_row + 3, total_row + 9)}


def _check_summary(ws: Worksheet, total_row: int, group: Group) -> None:
    assert _summary(ws, total_row) == {
        "Lengkap": group.totals.done, "Kurang": group.totals.partial,
        "Belum": group.totals.none, "Belum input username": group.totals.no_username,
        "Sudah melaksanakan (lengkap + kurang)": group.totals.acted,
        "Jumlah personil": group.totals.total,
    }


def _fill(ws: Worksheet, row: int, col: int) -> str:
    return str(ws.cell(row, col).fill.fgColor.rgb)[-6:]


def _expected_sheet_names(attendance: Attendance) -> list[str]:
    names = SheetNames()
    return [names.claim(group.name) for group in attendance.by_satker()]


# --- the checks every workbook of a kind must pass (hand-made and demo data alike) -------------


def check_matrix(file: ReportFile, attendance: Attendance, days: list[date]) -> None:
    book, cached_book = _open(file), _open(file, cached=True)
    groups = attendance.by_satker()
    assert book.sheetnames == _expected_sheet_names(attendance)
    posts_on = {day: len(attendance.posts_on(day)) for day in days}
    assert sum(posts_on.values()) == len(attendance.posts)
    assert attendance.per_day is not None
    for group, ws in zip(groups, book.worksheets, strict=True):
        cached = cached_book[ws.title]
        assert ws["A1"].value == f"{group.name} – Rekap Engagement Instagram"
        assert ws.freeze_panes == "E5"
        assert [ws.cell(3, col).value for col in range(1, 5)] == [
            "No", "Pangkat", "Nama", "Divisi / Satfung"]
        assert [ws.cell(3, 5 + 3 * n).value for n in range(len(days))] == [
            f"{['Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu', 'Minggu'][d.weekday()]}, "
            f"{d.day}/{d.month}/{d.year}" for d in days]
        rows, total_row = _body(ws, 5)
        assert ws.auto_filter.ref.startswith("A4:") and ws.auto_filter.ref.endswith(
            str(total_row - 1))
        assert [(row[1], row[2]) for row in rows] == [(p.rank, p.name) for p in group.people]
        status_col = 5 + 3 * (len(days) + 1)
        for row, person in zip(rows, group.people, strict=True):
            by_day = attendance.per_day[person.user_id]
            for n, day in enumerate(days):
                jumlah, sudah, belum = row[4 + 3 * n: 7 + 3 * n]
                assert (jumlah, sudah, belum) == (
                    posts_on[day], by_day.get(day, 0), posts_on[day] - by_day.get(day, 0))
            period = row[4 + 3 * len(days): 7 + 3 * len(days)]
            assert period == (person.posts, person.engaged, person.posts - person.engaged)
            assert row[status_col - 1] == STATUS_NAMES[person.status]
        sums = _column_sums(ws, cached, 5, total_row, range(5, status_col))
        for n, day in enumerate(days):
            done = sum(attendance.per_day[p.user_id].get(day, 0) for p in group.people)
            people = len(group.people)
            assert sums[3 * n: 3 * n + 3] == [people * posts_on[day], done,
                                              people * posts_on[day] - done]
        assert sums[-2] == sum(p.engaged for p in group.people)
        assert _fill(ws, 5, 6) == "C6EFCE" and _fill(ws, 5, 7) == "F8CBAD"
        assert _fill(ws, 4, 6) == "C6EFCE" and _fill(ws, 4, 7) == "F8CBAD"
        assert ws.cell(5, 5).number_format == "#,##0"
        assert all(ws.column_dimensions[letter].width for letter in "ABCD")
        _check_summary(ws, total_row, group)


DAY_ABBREVIATIONS = ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")


def check_monthly(file: ReportFile, attendance: Attendance, days: list[date]) -> None:
    """One column per day (the day's posts in the header), then the period's three counts."""
    book, cached_book = _open(file), _open(file, cached=True)
    assert book.sheetnames == _expected_sheet_names(attendance)
    posts_on = {day: len(attendance.posts_on(day)) for day in days}
    assert sum(posts_on.values()) == len(attendance.posts)
    assert attendance.per_day is not None
    period_col = 5 + len(days)
    status_col = period_col + 3
    for group, ws in zip(attendance.by_satker(), book.worksheets, strict=True):
        cached = cached_book[ws.title]
        assert ws["A1"].value == f"{group.name} – Rekap Engagement Instagram"
        assert ws.freeze_panes == "E5"
        assert [ws.cell(3, col).value for col in range(1, 5)] == [
            "No", "Pangkat", "Nama", "Divisi / Satfung"]
        assert [ws.cell(3, 5 + n).value for n in range(len(days))] == [
            f"{DAY_ABBREVIATIONS[d.weekday()]} {d.day}/{d.month}/{d.year}" for d in days]
        assert [ws.cell(4, 5 + n).value for n in range(len(days))] == [
            f"{posts_on[d]} konten" for d in days]
        assert [ws.cell(3, period_col).value, ws.cell(3, status_col).value] == [
            "Total Periode", "Status"]
        assert [ws.cell(4, period_col + n).value for n in range(3)] == [
            "Jumlah Post", "Sudah Likes", "Belum Likes"]
        rows, total_row = _body(ws, 5)
        assert ws.auto_filter.ref.startswith("A4:") and ws.auto_filter.ref.endswith(
            str(total_row - 1))
        assert [(row[1], row[2]) for row in rows] == [(p.rank, p.name) for p in group.people]
        for row, person in zip(rows, group.people, strict=True):
            by_day = attendance.per_day[person.user_id]
            assert list(row[4:4 + len(days)]) == [
                by_day.get(day, 0) if posts_on[day] else None for day in days]
            assert row[period_col - 1:period_col + 2] == (
                person.posts, person.engaged, person.posts - person.engaged)
            assert row[status_col - 1] == STATUS_NAMES[person.status]
        sums = _column_sums(ws, cached, 5, total_row, range(5, status_col))
        assert sums[:len(days)] == [
            sum(attendance.per_day[p.user_id].get(day, 0) for p in group.people)
            for day in days]
        assert sums[len(days):] == [len(group.people) * len(attendance.posts),
                                    sum(p.engaged for p in group.people),
                                    sum(p.posts - p.engaged for p in group.people)]
        _check_summary(ws, total_row, group)


def check_daily(file: ReportFile, attendance: Attendance) -> None:
    book, cached_book = _open(file), _open(file, cached=True)
    assert book.sheetnames == _expected_sheet_names(attendance)
    day = attendance.period.start
    stamp = f"{day.day}/{day.month}/{day.year}"
    for group, ws in zip(attendance.by_satker(), book.worksheets, strict=True):
        assert [c.value for c in ws[3]] == [
            "No", "Pangkat Nama", "Divisi / Satfung", f"{stamp} Jumlah Post",
            f"{stamp} Sudah Likes", f"{stamp} Belum Likes", "Status"]
        assert ws.freeze_panes == "D4"
        rows, total_row = _body(ws, 4)
        assert ws.auto_filter.ref == f"A3:G{total_row - 1}"
        assert [row[1:] for row in rows] == [
            (f"{p.rank} {p.name}", p.satfung, p.posts, p.engaged, p.posts - p.engaged,
             STATUS_NAMES[p.status]) for p in group.people]
        sums = _column_sums(ws, cached_book[ws.title], 4, total_row, range(4, 7))
        engaged = sum(p.engaged for p in group.people)
        obligations = len(group.people) * len(attendance.posts)
        assert sums == [obligations, engaged, obligations - engaged]
        _check_summary(ws, total_row, group)


def check_per_content(file: ReportFile, attendance: Attendance) -> None:
    book, cached_book = _open(file), _open(file, cached=True)
    assert book.sheetnames == _expected_sheet_names(attendance)
    assert attendance.per_post is not None
    posts = attendance.posts
    for group, ws in zip(attendance.by_satker(), book.worksheets, strict=True):
        header = [c.value for c in ws[3]]
        assert header == ["No", "Pangkat Nama", "Divisi / Satfung",
                          *(post.external_id for post in posts), "Jumlah Likes", "Status"]
        assert ws.cell(3, 4).hyperlink.target == (
            f"https://www.instagram.com/p/{posts[0].external_id}")
        assert ws.freeze_panes == "D4"
        rows, total_row = _body(ws, 4)
        for row, person in zip(rows, group.people, strict=True):
            engaged = attendance.per_post[person.user_id]
            assert list(row[3: 3 + len(posts)]) == [int(p.id in engaged) for p in posts]
            assert row[3 + len(posts):] == (person.engaged, STATUS_NAMES[person.status])
        assert len(rows) == len(group.people)
        sums = _column_sums(ws, cached_book[ws.title], 4, total_row,
                            range(4, 5 + len(posts)))
        assert sums == [*(sum(post.id in attendance.per_post[p.user_id] for p in group.people)
                          for post in posts), sum(p.engaged for p in group.people)]
        _check_summary(ws, total_row, group)


# --- hand-made organisation --------------------------------------------------------------------


async def test_weekly_matrix_one_sheet_per_satker(engine) -> None:
    ids = await _seed(engine)
    attendance = await _attendance(engine, clock.week(DAY))
    request = ReportRequest("DIT_X", clock.week(DAY), NOW)
    file = attendance_workbook(attendance, request)
    assert file.filename == "Rekap_Mingguan_Instagram_DIT_X_Sabtu_2025-12-06_1905.xlsx"
    days = [date(2025, 12, d) for d in range(1, 7)]  # Sunday 7 is still to come
    check_matrix(file, attendance, days)
    book = _open(file)
    assert book.sheetnames == ["DIREKTORAT X", "POLRES A", "POLRES A B KOTA YANG NAMANYA SA",
                               "POLRES A B KOTA YANG NAMANY (2)"]
    ws = book["POLRES A"]
    assert ws["A2"].value == (
        "Rekap Likes Instagram Periode 01 Desember 2025 - 06 Desember 2025")
    rows, _ = _body(ws, 5)
    by_name = {row[2]: row for row in rows}
    # Mon 1: 2 posts, Tue 2: none, Wed 3: 1, Thu 4 and Fri 5: none, Sat 6: 2.
    assert by_name["ANDI"][4:22] == (2, 2, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 2, 2, 0)
    assert by_name["BUDI"][4:25] == (2, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 2, 1, 1,
                                     5, 2, 3)
    assert by_name["EKO"][22:26] == (5, 5, 0, "Lengkap")  # the exception counts as done
    assert by_name["DEDI"][22:26] == (5, 0, 5, "Belum input username")
    assert by_name["CITRA"][25] == "Belum" and by_name["BUDI"][25] == "Kurang"
    assert ids["all"] in attendance.per_day


async def test_daily_recap(engine) -> None:
    await _seed(engine)
    attendance = await _attendance(engine, clock.day(DAY))
    file = attendance_workbook(attendance, ReportRequest("DIT_X", clock.day(DAY), NOW))
    assert file.filename == "Rekap_Engagement_Instagram_DIT_X_Sabtu_2025-12-06_1905.xlsx"
    check_daily(file, attendance)
    ws = _open(file)["POLRES A"]
    assert ws["A1"].value == "POLRES A – Rekap Engagement Instagram"
    assert ws["A2"].value == "Rekap Likes Instagram Sabtu, 06 Desember 2025"
    rows, total_row = _body(ws, 4)
    assert [row[1:] for row in rows] == [
        ("AKP ANDI", "SAT BINMAS", 2, 2, 0, "Lengkap"),
        ("IPDA EKO", "SAT BINMAS", 2, 2, 0, "Lengkap"),
        ("BRIPKA CITRA", "SAT BINMAS", 2, 0, 2, "Belum"),
        ("BRIPTU DEDI", "SAT BINMAS", 2, 0, 2, "Belum input username"),
        ("BRIPDA BUDI", "SAT BINMAS", 2, 1, 1, "Lengkap"),
    ]
    assert ws.cell(total_row + 2, 2).value == (
        "Status personil (kebijakan mayoritas: lengkap = minimal 1 dari 2 konten)")
    assert ws.cell(total_row + 9, 2).value == "Data per Sabtu, 6/12/2025 Jam 19.05.00"


async def test_per_content(engine) -> None:
    await _seed(engine)
    attendance = await _attendance(engine, clock.week(DAY))
    request = ReportRequest("DIT_X", clock.week(DAY), NOW, mode="per-content")
    file = attendance_workbook(attendance, request)
    assert file.filename == "Rekap_Likes_Per_Konten_Instagram_DIT_X_Sabtu_2025-12-06_1905.xlsx"
    check_per_content(file, attendance)
    rows, _ = _body(_open(file)["POLRES A"], 4)
    assert {row[1]: row[3:] for row in rows} == {
        "AKP ANDI": (1, 1, 1, 1, 1, 5, "Lengkap"),
        "IPDA EKO": (1, 1, 1, 1, 1, 5, "Lengkap"),
        "BRIPKA CITRA": (0, 0, 0, 0, 0, 0, "Belum"),
        "BRIPTU DEDI": (0, 0, 0, 0, 0, 0, "Belum input username"),
        "BRIPDA BUDI": (1, 0, 0, 0, 1, 2, "Kurang"),
    }


async def test_monthly_sheet_has_a_column_per_day_and_stops_at_the_report_day(engine) -> None:
    await _seed(engine)
    attendance = await _attendance(engine, clock.month(DAY))
    file = attendance_workbook(attendance, ReportRequest("DIT_X", clock.month(DAY), NOW))
    assert file.filename.startswith("Rekap_Bulanan_Instagram_DIT_X_")
    check_monthly(file, attendance, [date(2025, 12, d) for d in range(1, 7)])
    ws = _open(file)["POLRES A"]
    rows, total_row = _body(ws, 5)
    by_name = {row[2]: (number, row) for number, row in enumerate(rows, start=5)}
    # Mon 1: 2 posts, Tue 2: none, Wed 3: 1, Thu 4 and Fri 5: none, Sat 6: 2.
    assert by_name["ANDI"][1][4:13] == (2, None, 1, None, None, 2, 5, 5, 0)
    assert by_name["BUDI"][1][4:14] == (1, None, 0, None, None, 1, 5, 2, 3, "Kurang")
    assert by_name["DEDI"][1][4:14] == (0, None, 0, None, None, 0, 5, 0, 5,
                                        "Belum input username")
    # Each day shaded by how many of its posts were liked: all, some, none, no username.
    assert [_fill(ws, by_name[name][0], 5) for name in ("ANDI", "BUDI", "CITRA", "DEDI")] == [
        "C6EFCE", "FFEB9C", "F8CBAD", "E7E6E6"]
    assert ws.cell(total_row + 10, 2).value.startswith(
        "Angka harian = jumlah konten hari itu yang sudah di-like; hijau = semua")


async def test_zero_posts_is_one_sentence(engine) -> None:
    await _seed(engine)
    quiet = date(2025, 12, 2)
    attendance = await _attendance(engine, clock.day(quiet))
    file = attendance_workbook(attendance, ReportRequest("DIT_X", clock.day(quiet), NOW))
    book = _open(file)
    assert book.sheetnames == ["DIREKTORAT X"]
    values = [row[0] for row in book.active.iter_rows(values_only=True)]
    assert values == ["DIREKTORAT X – Rekap Engagement Instagram",
                      "Rekap Likes Instagram Selasa, 02 Desember 2025", None,
                      "Belum ada konten Instagram DIREKTORAT X pada Selasa, 02 Desember 2025.",
                      "Data per Sabtu, 6/12/2025 Jam 19.05.00"]


def _hand_made(people: list[PersonResult], posts: list[PostSummary]) -> Attendance:
    client = ClientInfo("POLRES_Z", "POLRES Z", "org", "polresz", None, None)
    return Attendance(client, Population(PopulationKind.SATKER, "POLRES_Z"), Platform.INSTAGRAM,
                      clock.week(DAY), MAJORITY, posts, people)


def test_nobody_to_list_is_one_sentence() -> None:
    post = PostSummary(1, "instagram", "Cz1", NOW, None, 7)
    file = attendance_workbook(_hand_made([], [post]), ReportRequest("POLRES_Z", clock.week(DAY),
                                                                     NOW))
    assert [row[0] for row in _open(file).active.iter_rows(values_only=True)] == [
        "POLRES Z – Rekap Engagement Instagram",
        "Rekap Likes Instagram Periode 01 Desember 2025 - 06 Desember 2025", None,
        "Belum ada personil aktif POLRES Z yang wajib melaksanakan.",
        "Data per Sabtu, 6/12/2025 Jam 19.05.00"]


def test_period_layouts_need_the_breakdowns() -> None:
    post = PostSummary(1, "instagram", "Cz1", NOW, None, 7)
    person = PersonResult("1", "ZAKI", "BRIPDA", "SAT BINMAS", None, "POLRES_Z", "POLRES Z",
                          "zaki", False, 1, 1, Status.DONE)
    attendance = _hand_made([person], [post])  # built without per_post / per_day
    with pytest.raises(ValueError, match="per_day"):
        attendance_workbook(attendance, ReportRequest("POLRES_Z", clock.week(DAY), NOW))
    with pytest.raises(ValueError, match="per_post"):
        attendance_workbook(attendance, ReportRequest("POLRES_Z", clock.week(DAY), NOW,
                                                      mode="per-content"))


# --- pure pieces --------------------------------------------------------------------------


def test_sheet_names_are_sanitised_and_unique() -> None:
    names = SheetNames()
    claimed = [names.claim(name) for name in (
        AWKWARD, AWKWARD_TOO, "polres a/b: [kota]*? yang namanya sangat", "'QUOTED'", "[]:*?/\\",
        "History", "POLRES A", "polres a")]
    assert claimed == ["POLRES A B KOTA YANG NAMANYA SA", "POLRES A B KOTA YANG NAMANY (2)",
                       "polres a b kota yang namany (3)", "QUOTED", "Sheet 1", "History 1",
                       "POLRES A", "polres a (2)"]
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in claimed)


@pytest.mark.parametrize(("mode", "period", "layout"), [
    ("all", clock.day(DAY), Layout.DAILY),
    ("per-content", clock.day(DAY), Layout.PER_CONTENT),
    ("per-content", clock.month(DAY), Layout.PER_CONTENT),
    ("all", clock.week(DAY), Layout.WEEKLY),
    ("all", clock.month(DAY), Layout.MONTHLY),
])
def test_layout_follows_the_request(mode: str, period: Period, layout: Layout) -> None:
    assert layout_for(ReportRequest("X", period, NOW, mode)) == layout


# --- demo data: a whole month --------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "client_id"), [(PopulationKind.DIRECTORATE, "DITBINMAS"),
                                                 (PopulationKind.SATKER, "POLRES_LAMONGAN")])
async def test_demo_month(demo_engine, kind: PopulationKind, client_id: str) -> None:
    month = clock.month(DEMO_DAY)
    attendance = await attendance_for(demo_engine, Population(kind, client_id), "instagram",
                                      month, MAJORITY, per_post=True, per_day=True)
    assert attendance.posts and attendance.with_status(Status.DONE, Status.PARTIAL)
    request = ReportRequest(client_id, month, DEMO_NOW)
    check_monthly(attendance_workbook(attendance, request), attendance,
                  [date(2025, 12, d) for d in range(1, 7)])
    week = await attendance_for(demo_engine, Population(kind, client_id), "instagram",
                                clock.week(DEMO_DAY), MAJORITY, per_day=True)
    check_matrix(attendance_workbook(week, ReportRequest(client_id, clock.week(DEMO_DAY),
                                                         DEMO_NOW)),
                 week, [date(2025, 12, d) for d in range(1, 7)])
    check_per_content(attendance_workbook(attendance, ReportRequest(
        client_id, month, DEMO_NOW, mode="per-content")), attendance)
    if kind is PopulationKind.DIRECTORATE:
        assert len(_open(attendance_workbook(attendance, request)).sheetnames) == 4


async def test_demo_day_tiktok(demo_engine) -> None:
    day = clock.day(DEMO_DAY)
    attendance = await attendance_for(
        demo_engine, Population(PopulationKind.SATKER, "POLRES_LAMONGAN"), "tiktok", day,
        MAJORITY, per_post=True, per_day=True)
    file = attendance_workbook(attendance, ReportRequest("POLRES_LAMONGAN", day, DEMO_NOW))
    assert file.filename == "Rekap_Engagement_Tiktok_POLRES_LAMONGAN_Sabtu_2025-12-06_1905.xlsx"
    ws = _open(file).active
    assert ws["A1"].value == "POLRES LAMONGAN – Rekap Engagement TikTok"
    assert ws["F3"].value == "6/12/2025 Belum Komentar"
    rows, _ = _body(ws, 4)
    assert [row[4] for row in rows] == [p.engaged for p in attendance.people]
    per_content = attendance_workbook(attendance, ReportRequest(
        "POLRES_LAMONGAN", day, DEMO_NOW, mode="per-content"))
    assert per_content.filename.startswith("Rekap_Komentar_Per_Konten_Tiktok_POLRES_LAMONGAN_")
    ws = _open(per_content).active
    video = attendance.posts[0]
    assert ws["D3"].value == video.external_id
    assert ws["D3"].hyperlink.target == (
        f"https://www.tiktok.com/@{attendance.client.tiktok}/video/{video.external_id}")
    assert ws["E3"].value == "Jumlah Komentar"



# --- the directorate recaps' workbooks (dirrequest 19, 20, 23, 24, 27) ---------------------------


@pytest.mark.parametrize(("name", "period", "prefix"), [
    ("directorate-ig", "day", "Rekap_Engagement_Instagram_DITBINMAS_"),
    ("directorate-tiktok", "day", "Rekap_Engagement_Tiktok_DITBINMAS_"),
    ("directorate-ig", "week", "Rekap_Mingguan_Instagram_DITBINMAS_"),
    ("directorate-tiktok", "week", "Rekap_Mingguan_Tiktok_DITBINMAS_"),
    ("directorate-ig", "month", "Rekap_Bulanan_Instagram_DITBINMAS_"),
])
async def test_directorate_workbooks_have_a_sheet_per_satker(demo_engine, name: str,
                                                              period: str, prefix: str) -> None:
    from menus.reports import catalog

    spec = catalog.load()[name]
    assert spec.workbook is not None
    span = {"day": clock.day, "week": clock.week, "month": clock.month}[period](DEMO_DAY)
    request = ReportRequest("DITBINMAS", span, DEMO_NOW)
    data = await spec.build(demo_engine, request)
    file = spec.workbook(data, request)
    assert file.filename.startswith(prefix)
    assert _open(file).sheetnames == ["DIREKTORAT BINMAS", *(
        group.name for group in data.by_satker()[1:])]
    if period == "day" and name == "directorate-ig":
        check_daily(file, data)
    elif period == "week" and name == "directorate-ig":
        check_matrix(file, data, [date(2025, 12, d) for d in range(1, 7)])
    elif period == "month":
        check_monthly(file, data, [date(2025, 12, d) for d in range(1, 7)])
