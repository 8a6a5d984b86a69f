"""The attendance workbooks of `ig-likes` and `tiktok-comments` (reference §3.9, menus 19, 20,
23, 24, 27, 28, 29), one sheet per satker:

* one day: the daily recap (Jumlah Post / Sudah / Belum per person);
* mode `per-content`: one 1/0 column per post;
* a week or a month: the matrix of days × (Jumlah Post / Sudah / Belum).

Every number comes from the `Attendance` (its people, `per_post`, `per_day` and
`posts_on`); this module only lays them out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum

from cicero.clock import clock
from menus.excel.sheets import (
    STATUS_LABELS,
    XLSX_MIMETYPE,
    Book,
    Sheet,
    Words,
    write_summary,
)
from menus.format import clock_time, day_name, period_label, person_label, post_url, short_date
from menus.reports.base import ReportFile, ReportRequest
from storage.attendance import Attendance, Group, PersonResult

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
    """The .xlsx of an ig-likes / tiktok-comments attendance, laid out for the request."""
    layout = layout_for(request)
    words = Words.of(attendance.platform.value)
    days = shown_days(attendance, request)
    book = Book()
    if not attendance.posts or not attendance.people:
        _nothing_to_list(book, attendance, request, words, days)
    else:
        write = _WRITERS[layout]
        for group in attendance.by_satker():
            sheet = book.sheet(group.name)
            write(sheet, group, attendance, request, words, days)
            sheet.fit_columns()
    return ReportFile(file_name(layout, attendance, request), book.content(), XLSX_MIMETYPE)


def shown_days(attendance: Attendance, request: ReportRequest) -> list[date]:
    """The period's days up to the day the report is made (a month so far, like the
    reference), never dropping a day that has posts."""
    last = max([_local(request.generated_at).date(),
                *(post.business_date for post in attendance.posts)])
    days = [day for day in request.period.days if day <= last]
    return days or request.period.days


def file_name(layout: Layout, attendance: Attendance, request: ReportRequest) -> str:
    words = Words.of(attendance.platform.value)
    prefix = {
        Layout.DAILY: "Rekap_Engagement",
        Layout.PER_CONTENT: f"Rekap_{words.action}_Per_Konten",
        Layout.WEEKLY: "Rekap_Mingguan",
        Layout.MONTHLY: "Rekap_Bulanan",
    }[layout]
    moment = _local(request.generated_at)
    client = re.sub(r"[^A-Za-z0-9]+", "_", attendance.client.client_id).strip("_")
    return (f"{prefix}_{words.file_platform}_{client}_{day_name(moment.date())}_"
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
                     words: Words, days: list[date]) -> None:
    """Zero posts (or nobody who owes engagement): one sheet with one sentence."""
    client = attendance.client.name
    sheet = book.sheet(client)
    _titles(sheet, client, f"Rekap {words.action} {words.platform} {_span(days)}", words)
    when = period_label(days[0], days[-1])
    if not attendance.posts:
        sentence = (f"Belum ada konten {words.platform} {client} pada "
                    f"{when if len(days) == 1 else f'periode {when}'}.")
    else:
        sentence = f"Belum ada personil aktif {client} yang wajib melaksanakan."
    sheet.ws.write_string(HEADER_ROW + 1, 0, sentence)
    sheet.ws.write_string(HEADER_ROW + 2, 0, _stamp(request), sheet.styles.note)


def _status_cell(sheet: Sheet, row: int, col: int, person: PersonResult) -> None:
    sheet.text(row, col, STATUS_LABELS[person.status], sheet.styles.status[person.status])


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


# --- days × (Jumlah Post, Sudah, Belum) --------------------------------------------------------

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
    for col, title in enumerate(MATRIX_FIXED):
        sheet.header(top, col, title, rows=2)
    blocks = [f"{day_name(day)}, {short_date(day)}" for day in days] + ["Total Periode"]
    for block, title in enumerate(blocks):
        col = len(MATRIX_FIXED) + 3 * block
        sheet.header(top, col, title, cols=3)
        sheet.header(sub, col, "Jumlah Post")
        sheet.header(sub, col + 1, f"Sudah {words.action}", styles.header_done)
        sheet.header(sub, col + 2, f"Belum {words.action}", styles.header_missing)
    status_col = len(MATRIX_FIXED) + 3 * len(blocks)
    sheet.header(top, status_col, "Status", rows=2)
    sheet.ws.set_row(sub, 30)
    posts_per_day = [len(attendance.posts_on(day)) for day in days]
    first = sub + 1
    columns: list[list[int]] = [[] for _ in range(3 * len(blocks))]
    for index, person in enumerate(group.people):
        row = first + index
        by_day = attendance.per_day.get(person.user_id, {})
        cells: list[int] = []
        for day, posts in zip(days, posts_per_day, strict=True):
            done = by_day.get(day, 0)
            cells += [posts, done, posts - done]
        cells += [person.posts, person.engaged, person.posts - person.engaged]
        sheet.number(row, 0, index + 1, styles.number)
        sheet.text(row, 1, person.rank or "-")
        sheet.text(row, 2, person.name)
        sheet.text(row, 3, person.satfung)
        for offset, value in enumerate(cells):
            columns[offset].append(value)
            sheet.number(row, len(MATRIX_FIXED) + offset, value, _matrix_format(sheet, offset))
        _status_cell(sheet, row, status_col, person)
    total = first + len(group.people)
    sums = [(len(MATRIX_FIXED) + offset, values, _matrix_format(sheet, offset, total=True))
            for offset, values in enumerate(columns)]
    _total_row(sheet, total, len(MATRIX_FIXED), first, sums, status_col)
    sheet.ws.freeze_panes(first, len(MATRIX_FIXED))
    sheet.ws.autofilter(sub, 0, total - 1, status_col)
    write_summary(sheet, total + 2, group.totals, attendance.policy, len(attendance.posts),
                  _stamp(request))


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
    Layout.MONTHLY: _matrix,
}
