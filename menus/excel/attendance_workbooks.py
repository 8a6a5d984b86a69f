"""The attendance workbooks (reference §3.9, dirrequest 19, 20, 23, 24, 27, 28, 29), one
sheet per satker:

* one day: the daily recap (Jumlah Post / Sudah / Belum per person);
* mode `per-content`: one 1/0 column per post;
* a week: the matrix of days × (Jumlah Post / Sudah / Belum), as the reference;
* a longer period (a month): one column per day holding the posts the person engaged with
  that day, coloured by how many of the day's posts that is (all, some, none), the day's
  post count in the header, then the period's Jumlah Post / Sudah / Belum. The reference
  used the weekly layout for a month too: 93 number columns per person, ~600,000 cells for
  a Polda, too many to read and ~5 s to write; this one has a third of the cells.

Several attendances (laphar: Instagram and TikTok) make one workbook whose sheet names say
the platform. Every number comes from the `Attendance` (its people, `per_post`, `per_day`
and posts); this module only lays them out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, datetime
from enum import StrEnum

from cicero.clock import clock
from menus.excel.sheets import (
    XLSX_MIMETYPE,
    Book,
    Sheet,
    Words,
    write_summary,
)
from menus.format import clock_time, day_name, period_label, person_label, post_url, short_date
from menus.reports.base import ReportFile, ReportRequest
from menus.status_words import STATUS_NAMES
from storage.attendance import Attendance, Group, PersonResult, Status

PER_CONTENT_MODE = "per-content"
TITLE_ROW, SUBTITLE_ROW, HEADER_ROW = 0, 1, 2


class Layout(StrEnum):
    DAILY = "daily"
    PER_CONTENT = "per-content"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


def layout_for(request: ReportRequest) -> Layout:
    if request.mode == PER_CONTENT_MODE:
        return Layout.PER_CONTENT
    days = len(request.period.days)
    if days == 1:
        return Layout.DAILY
    return Layout.WEEKLY if days <= 7 else Layout.MONTHLY


def attendance_workbook(attendance: Attendance, request: ReportRequest) -> ReportFile:
    """The .xlsx of one attendance, laid out for the request."""
    return attendances_workbook([attendance], request)


SHEET_PREFIXES = {"instagram": "IG", "tiktok": "TikTok"}


def attendances_workbook(attendances: Sequence[Attendance],
                         request: ReportRequest) -> ReportFile:
    """One workbook for one or more attendances (platforms) of the same request."""
    layout = layout_for(request)
    book = Book()
    named = len(attendances) > 1
    for attendance in attendances:
        words = Words.of(attendance.platform.value)
        days = shown_days(attendance, request)
        prefix = f"{SHEET_PREFIXES[attendance.platform.value]} " if named else ""
        if not attendance.posts or not attendance.people:
            _nothing_to_list(book, attendance, request, words, days, prefix)
            continue
        write = _WRITERS[layout]
        for group in attendance.by_satker():
            sheet = book.sheet(prefix + group.name)
            write(sheet, group, attendance, request, words, days)
            sheet.fit_columns()
    return ReportFile(file_name(layout, attendances, request), book.content(), XLSX_MIMETYPE)


def shown_days(attendance: Attendance, request: ReportRequest) -> list[date]:
    """The period's days up to the day the report is made (a month so far, like the
    reference), never dropping a day that has posts."""
    last = max([_local(request.generated_at).date(),
                *(post.business_date for post in attendance.posts)])
    days = [day for day in request.period.days if day <= last]
    return days or request.period.days


def file_name(layout: Layout, attendances: Sequence[Attendance], request: ReportRequest) -> str:
    words = Words.of(attendances[0].platform.value)
    platforms = "_".join(Words.of(a.platform.value).file_platform for a in attendances)
    prefix = {
        Layout.DAILY: "Rekap_Engagement",
        Layout.PER_CONTENT: f"Rekap_{words.action}_Per_Konten",
        Layout.WEEKLY: "Rekap_Mingguan",
        Layout.MONTHLY: "Rekap_Bulanan",
    }[layout]
    moment = _local(request.generated_at)
    client = re.sub(r"[^A-Za-z0-9]+", "_", attendances[0].client.client_id).strip("_")
    return (f"{prefix}_{platforms}_{client}_{day_name(moment.date())}_"
            f"{moment.date().isoformat()}_{moment.strftime('%H%M')}.xlsx")


def _local(moment: datetime) -> datetime:
    return moment.astimezone(clock.tz) if moment.tzinfo else moment


def _span(days: list[date]) -> str:
    if len(days) == 1:
        return period_label(days[0], days[0])
    return f"Periode {period_label(days[0], days[-1])}"


def _stamp(request: ReportRequest) -> str:
    moment = _local(request.generated_at)
    return (f"Data per {day_name(moment.date())}, {short_date(moment.date())} "
            f"Jam {clock_time(moment)}")


def _titles(sheet: Sheet, satker: str, subtitle: str, words: Words) -> None:
    sheet.ws.write_string(TITLE_ROW, 0, f"{satker} – Rekap Engagement {words.platform}",
                          sheet.styles.title)
    sheet.ws.write_string(SUBTITLE_ROW, 0, subtitle, sheet.styles.subtitle)


def _nothing_to_list(book: Book, attendance: Attendance, request: ReportRequest,
                     words: Words, days: list[date], prefix: str = "") -> None:
    """Zero posts (or nobody who owes engagement): one sheet with one sentence."""
    client = attendance.client.name
    sheet = book.sheet(prefix + client)
    _titles(sheet, client, f"Rekap {words.action} {words.platform} {_span(days)}", words)
    when = period_label(days[0], days[-1])
    if not attendance.posts:
        sentence = (f"Belum ada konten {words.platform} {client} pada "
                    f"{when if len(days) == 1 else f'periode {when}'}.")
    else:
        sentence = f"Belum ada personil aktif {client} yang wajib melaksanakan."
    sheet.ws.write_string(HEADER_ROW + 1, 0, sentence)
    sheet.ws.write_string(HEADER_ROW + 2, 0, _stamp(request), sheet.styles.note)


def _posts_per_day(attendance: Attendance, days: list[date]) -> list[int]:
    counts = Counter(post.business_date for post in attendance.posts)
    return [counts[day] for day in days]


def _status_cell(sheet: Sheet, row: int, col: int, person: PersonResult) -> None:
    sheet.text(row, col, STATUS_NAMES[person.status], sheet.styles.status[person.status])


def _total_row(sheet: Sheet, row: int, label_cols: int, first: int,
               columns: list[tuple[int, list[int], object]], last_col: int) -> None:
    """TOTAL over the first `label_cols` columns, then a SUM formula per counted column."""
    styles = sheet.styles
    if label_cols > 1:
        sheet.ws.merge_range(row, 0, row, label_cols - 1, "TOTAL", styles.total_label)
    else:
        sheet.ws.write_string(row, 0, "TOTAL", styles.total_label)
    counted = {col for col, _, _ in columns}
    for col, values, fmt in columns:
        sheet.column_sum(row, col, first, row - 1, sum(values), fmt)
    for col in range(label_cols, last_col + 1):
        if col not in counted:
            sheet.ws.write_blank(row, col, None, styles.total)


# --- one day ---------------------------------------------------------------------------------


def _daily(sheet: Sheet, group: Group, attendance: Attendance, request: ReportRequest,
           words: Words, days: list[date]) -> None:
    styles, day = sheet.styles, days[0]
    _titles(sheet, group.name, f"Rekap {words.action} {words.platform} {_span(days)}", words)
    stamp = short_date(day)
    headers = [("No", styles.header), ("Pangkat Nama", styles.header),
               ("Divisi / Satfung", styles.header), (f"{stamp} Jumlah Post", styles.header),
               (f"{stamp} Sudah {words.action}", styles.header_done),
               (f"{stamp} Belum {words.action}", styles.header_missing),
               ("Status", styles.header)]
    for col, (title, fmt) in enumerate(headers):
        sheet.header(HEADER_ROW, col, title, fmt)
    sheet.ws.set_row(HEADER_ROW, 30)
    first = HEADER_ROW + 1
    posts, done, missing = [], [], []
    for index, person in enumerate(group.people):
        row = first + index
        posts.append(person.posts)
        done.append(person.engaged)
        missing.append(person.posts - person.engaged)
        sheet.number(row, 0, index + 1, styles.number)
        sheet.text(row, 1, person_label(person.rank, person.name))
        sheet.text(row, 2, person.satfung)
        sheet.number(row, 3, posts[-1])
        sheet.number(row, 4, done[-1], styles.count_done)
        sheet.number(row, 5, missing[-1], styles.count_missing)
        _status_cell(sheet, row, 6, person)
    total = first + len(group.people)
    _total_row(sheet, total, 3, first, [(3, posts, styles.total), (4, done, styles.total_done),
                                        (5, missing, styles.total_missing)], 6)
    sheet.ws.freeze_panes(first, 3)
    sheet.ws.autofilter(HEADER_ROW, 0, total - 1, 6)
    write_summary(sheet, total + 2, group.totals, attendance.policy, len(attendance.posts),
                  _stamp(request))


# --- one column per post ---------------------------------------------------------------------


def _per_content(sheet: Sheet, group: Group, attendance: Attendance, request: ReportRequest,
                 words: Words, days: list[date]) -> None:
    if attendance.per_post is None:
        raise ValueError("the per-content workbook needs an attendance built with per_post=True")
    styles = sheet.styles
    subtitle = f"Rekap {words.action} per Konten {words.platform} {_span(days)}"
    _titles(sheet, group.name, subtitle, words)
    account = (attendance.client.instagram if attendance.platform == "instagram"
               else attendance.client.tiktok)
    for col, title in enumerate(("No", "Pangkat Nama", "Divisi / Satfung")):
        sheet.header(HEADER_ROW, col, title)
    first_post = 3
    for offset, post in enumerate(attendance.posts):
        col = first_post + offset
        url = post_url(post.platform, post.external_id, account)
        sheet.ws.write_url(HEADER_ROW, col, url, styles.header_link, post.external_id)
        sheet.measure(col, post.external_id)
    count_col = first_post + len(attendance.posts)
    status_col = count_col + 1
    sheet.header(HEADER_ROW, count_col, f"Jumlah {words.action}", styles.header_done)
    sheet.header(HEADER_ROW, status_col, "Status")
    first = HEADER_ROW + 1
    columns: list[list[int]] = [[] for _ in range(len(attendance.posts) + 1)]
    for index, person in enumerate(group.people):
        row = first + index
        engaged = attendance.per_post.get(person.user_id, frozenset())
        sheet.number(row, 0, index + 1, styles.number)
        sheet.text(row, 1, person_label(person.rank, person.name))
        sheet.text(row, 2, person.satfung)
        for offset, post in enumerate(attendance.posts):
            mark = 1 if post.id in engaged else 0
            columns[offset].append(mark)
            sheet.number(row, first_post + offset, mark,
                         styles.count_done if mark else styles.count_missing)
        columns[-1].append(person.engaged)
        sheet.number(row, count_col, person.engaged)
        _status_cell(sheet, row, status_col, person)
    total = first + len(group.people)
    sums = [(first_post + offset, values, styles.total) for offset, values in enumerate(columns)]
    _total_row(sheet, total, 3, first, sums, status_col)
    sheet.ws.freeze_panes(first, 3)
    sheet.ws.autofilter(HEADER_ROW, 0, total - 1, status_col)
    write_summary(sheet, total + 2, group.totals, attendance.policy, len(attendance.posts),
                  _stamp(request))


# --- a week: days × (Jumlah Post, Sudah, Belum) -------------------------------------------------

MATRIX_FIXED = ("No", "Pangkat", "Nama", "Divisi / Satfung")


def _matrix(sheet: Sheet, group: Group, attendance: Attendance, request: ReportRequest,
            words: Words, days: list[date]) -> None:
    if attendance.per_day is None:
        raise ValueError("the weekly / monthly workbook needs an attendance built with "
                         "per_day=True")
    styles = sheet.styles
    subtitle = f"Rekap {words.action} {words.platform} {_span(days)}"
    _titles(sheet, group.name, subtitle, words)
    top, sub = HEADER_ROW, HEADER_ROW + 1
    blocks = [f"{day_name(day)}, {short_date(day)}" for day in days] + ["Total Periode"]
    status_col = len(MATRIX_FIXED) + 3 * len(blocks)
    for col, title in enumerate(MATRIX_FIXED):
        sheet.tall_header(top, col, title)
    for block, title in enumerate(blocks):
        sheet.header(top, len(MATRIX_FIXED) + 3 * block, title, cols=3)
    sheet.tall_header(top, status_col, "Status")
    for col in (*range(len(MATRIX_FIXED)), status_col):
        sheet.tall_header_end(sub, col)
    for block in range(len(blocks)):
        col = len(MATRIX_FIXED) + 3 * block
        sheet.header(sub, col, "Jumlah Post")
        sheet.header(sub, col + 1, f"Sudah {words.action}", styles.header_done)
        sheet.header(sub, col + 2, f"Belum {words.action}", styles.header_missing)
    sheet.ws.set_row(sub, 30)
    posts_per_day = _posts_per_day(attendance, days)
    first = sub + 1
    # The hot loop of a Polda month (~600,000 cells): formats chosen once per column, cells
    # written straight to the worksheet; their widths follow from the TOTAL row (a sum is
    # never narrower than its parts).
    formats = [_matrix_format(sheet, offset) for offset in range(3 * len(blocks))]
    sums = [0] * len(formats)
    write_number = sheet.ws.write_number
    for index, person in enumerate(group.people):
        row = first + index
        by_day = attendance.per_day.get(person.user_id, {})
        cells: list[int] = []
        for day, posts in zip(days, posts_per_day, strict=True):
            done = by_day.get(day, 0)
            cells += (posts, done, posts - done)
        cells += (person.posts, person.engaged, person.posts - person.engaged)
        sheet.number(row, 0, index + 1, styles.number)
        sheet.text(row, 1, person.rank or "-")
        sheet.text(row, 2, person.name)
        sheet.text(row, 3, person.satfung)
        for offset, value in enumerate(cells):
            write_number(row, len(MATRIX_FIXED) + offset, value, formats[offset])
            sums[offset] += value
        _status_cell(sheet, row, status_col, person)
    total = first + len(group.people)
    totals = [(len(MATRIX_FIXED) + offset, [value], _matrix_format(sheet, offset, total=True))
              for offset, value in enumerate(sums)]
    _total_row(sheet, total, len(MATRIX_FIXED), first, totals, status_col)
    sheet.ws.freeze_panes(first, len(MATRIX_FIXED))
    sheet.ws.autofilter(sub, 0, total - 1, status_col)
    write_summary(sheet, total + 2, group.totals, attendance.policy, len(attendance.posts),
                  _stamp(request))


# --- a month: one column per day -------------------------------------------------------------

MONTH_LEGEND = ("Angka harian = jumlah konten hari itu yang sudah {engaged}; hijau = semua, "
                "kuning = sebagian, merah = belum, abu-abu = belum input username.")


def _monthly(sheet: Sheet, group: Group, attendance: Attendance, request: ReportRequest,
             words: Words, days: list[date]) -> None:
    if attendance.per_day is None:
        raise ValueError("the monthly workbook needs an attendance built with per_day=True")
    styles = sheet.styles
    _titles(sheet, group.name, f"Rekap {words.action} {words.platform} {_span(days)}", words)
    top, sub = HEADER_ROW, HEADER_ROW + 1
    fixed = len(MATRIX_FIXED)
    period_col = fixed + len(days)
    status_col = period_col + 3
    posts_per_day = _posts_per_day(attendance, days)
    for col, title in enumerate(MATRIX_FIXED):
        sheet.tall_header(top, col, title)
    for offset, day in enumerate(days):
        sheet.tall_header(top, fixed + offset, f"{day_name(day)[:3]} {short_date(day)}")
    sheet.header(top, period_col, "Total Periode", cols=3)
    sheet.tall_header(top, status_col, "Status")
    for col in range(fixed):
        sheet.tall_header_end(sub, col)
    for offset, posts in enumerate(posts_per_day):
        sheet.header(sub, fixed + offset, f"{posts} konten", styles.header_lower)
    sheet.header(sub, period_col, "Jumlah Post")
    sheet.header(sub, period_col + 1, f"Sudah {words.action}", styles.header_done)
    sheet.header(sub, period_col + 2, f"Belum {words.action}", styles.header_missing)
    sheet.tall_header_end(sub, status_col)
    sheet.ws.set_row(top, 30)
    first = sub + 1
    # The hot loop of a Polda month: a format per day and person chosen by comparison, cells
    # written straight to the worksheet; widths follow from the TOTAL row.
    shades = styles.count_by_share
    no_username = shades[Status.NO_USERNAME]
    sums = [0] * (len(days) + 3)
    write_number = sheet.ws.write_number
    for index, person in enumerate(group.people):
        row = first + index
        by_day = attendance.per_day.get(person.user_id, {})
        sheet.number(row, 0, index + 1, styles.number)
        sheet.text(row, 1, person.rank or "-")
        sheet.text(row, 2, person.name)
        sheet.text(row, 3, person.satfung)
        for offset, posts in enumerate(posts_per_day):
            if not posts:
                continue
            done = by_day.get(days[offset], 0)
            if person.username is None:
                shade = no_username
            else:
                shade = shades[Status.DONE if done >= posts else
                               Status.PARTIAL if done else Status.NONE]
            write_number(row, fixed + offset, done, shade)
            sums[offset] += done
        period = (person.posts, person.engaged, person.posts - person.engaged)
        for offset, (value, fmt) in enumerate(zip(period, (styles.count, styles.count_done,
                                                           styles.count_missing),
                                                  strict=True)):
            write_number(row, period_col + offset, value, fmt)
            sums[len(days) + offset] += value
        _status_cell(sheet, row, status_col, person)
    total = first + len(group.people)
    totals = [(fixed + offset, [value], styles.total) for offset, value in enumerate(sums)]
    totals[-2:] = [(period_col + 1, [sums[-2]], styles.total_done),
                   (period_col + 2, [sums[-1]], styles.total_missing)]
    _total_row(sheet, total, fixed, first, totals, status_col)
    sheet.ws.freeze_panes(first, fixed)
    sheet.ws.autofilter(sub, 0, total - 1, status_col)
    after = write_summary(sheet, total + 2, group.totals, attendance.policy,
                          len(attendance.posts), _stamp(request))
    sheet.ws.write_string(after, 1, MONTH_LEGEND.format(engaged=words.engaged), styles.note)


def _matrix_format(sheet: Sheet, offset: int, *, total: bool = False) -> object:
    styles = sheet.styles
    kind = offset % 3
    if total:
        return (styles.total, styles.total_done, styles.total_missing)[kind]
    return (styles.count, styles.count_done, styles.count_missing)[kind]


_Writer = Callable[[Sheet, Group, Attendance, ReportRequest, Words, list[date]], None]
_WRITERS: dict[Layout, _Writer] = {
    Layout.DAILY: _daily,
    Layout.PER_CONTENT: _per_content,
    Layout.WEEKLY: _matrix,
    Layout.MONTHLY: _monthly,
}
