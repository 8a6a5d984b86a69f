"""The "Ranking Engagement" workbook of a directorate (reference §3.9, menu 22).

Five title rows, a blank row, a two-level header (rows 7–8), one row per satker in the
order of the text report (the directorate's own staff first, then the satker by score),
and a TOTAL row. Every count comes from the engine's `Attendance` via `SatkerEngagement`;
the four classes are separate columns, so each platform's columns add up to the personnel.
"""

from __future__ import annotations

import io
from datetime import datetime

import xlsxwriter

from cicero.clock import Period, clock
from menus.format import MONTH_NAMES, hour_minute, period_label
from menus.reports.base import ReportFile, ReportRequest
from menus.reports.common import period_text
from storage.attendance import Attendance, Totals
from storage.engagement_summary import SatkerEngagement, SatkerScore, SatkerTally

SHEET_NAME = "Ranking Engagement"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PLATFORM_COLUMNS = ("SUDAH (LENGKAP)", "KURANG", "BELUM", "USERNAME KOSONG", "% MELAKSANAKAN")
# (group header, engagement column): Σ posts engaged by the satker's people (reference §2.11)
PLATFORM_GROUPS = (("INSTAGRAM", "JUMLAH LIKES"), ("TIKTOK", "JUMLAH KOMENTAR"))
GROUP_WIDTH = len(PLATFORM_COLUMNS) + 1
RATE_OFFSET = PLATFORM_COLUMNS.index("% MELAKSANAKAN")
HEADER_ROW = 6  # zero-based: rows 7 and 8 hold the header, data starts on row 9
FIRST_DATA_ROW = HEADER_ROW + 2
HEADER_GREY = "#D9D9D9"
ZEBRA_GREY = "#F5F5F5"


def period_slug(period: Period) -> str:
    """Harian-2025-12-06, Minggu-49-2025, Desember-2025, or 2025-12-01-sd-2025-12-10."""
    start, end = period.start, period.end
    if start == end:
        return f"Harian-{start.isoformat()}"
    if start.weekday() == 0 and (end - start).days == 6:
        year, week, _ = start.isocalendar()
        return f"Minggu-{week}-{year}"
    if start.day == 1 and clock.month(start).end == end:
        return f"{MONTH_NAMES[start.month - 1]}-{start.year}"
    return f"{start.isoformat()}-sd-{end.isoformat()}"


def workbook_name(client_id: str, request: ReportRequest) -> str:
    moment = request.generated_at.astimezone(clock.tz)
    slug = "Semua" if request.all_time else period_slug(request.period)
    return (f"{client_id}_Rekap_Ranking_Engagement_{slug}_"
            f"{moment.date().isoformat()}_{moment:%H%M}.xlsx")


def _posts_line(name: str, attendance: Attendance) -> str:
    posts = len(attendance.posts)
    if not posts:
        return f"Jumlah konten {name}: 0 (tidak ada konten, tidak dihitung dalam skor)"
    return (f"Jumlah konten {name}: {posts} (lengkap = minimal "
            f"{attendance.policy.required(posts)} dari {posts} konten)")


def _title_rows(data: SatkerEngagement, request: ReportRequest, moment: datetime) -> list[str]:
    ig, tt = data.pair.instagram, data.pair.tiktok
    return [f"{ig.client.name} – Rekap Ranking Engagement",
            f"Periode: {period_text(request)}",
            f"Data per: {period_label(moment.date(), moment.date())} pukul "
            f"{hour_minute(moment)} WIB",
            _posts_line("Instagram", ig), _posts_line("TikTok", tt)]


def _platform_values(tally: SatkerTally) -> list[float | int | str]:
    t = tally.totals
    rate: float | str = tally.acted_rate if tally.posts else "-"
    return [t.done, t.partial, t.none, t.no_username, rate, tally.engaged]


def _total_tally(tallies: list[SatkerTally], posts: int) -> SatkerTally:
    totals = Totals(**{field: sum(getattr(t.totals, field) for t in tallies)
                       for field in ("total", "done", "partial", "none", "no_username",
                                     "no_posts")})
    return SatkerTally("TOTAL", "TOTAL", totals, sum(t.engaged for t in tallies), posts)


def _rows(data: SatkerEngagement) -> list[list[float | int | str]]:
    rows: list[list[float | int | str]] = []
    position = 0
    for satker in data.satkers:
        if satker.is_directorate:
            label = f"{satker.name} (satker induk)"
        else:
            position += 1
            label = f"{position}. {satker.name}"
        rows.append(_row(label, satker))
    ig = _total_tally([s.instagram for s in data.satkers], len(data.pair.instagram.posts))
    tt = _total_tally([s.tiktok for s in data.satkers], len(data.pair.tiktok.posts))
    rows.append(_row("TOTAL", SatkerScore("TOTAL", "TOTAL", False, ig, tt)))
    return rows


def _row(label: str, satker: SatkerScore) -> list[float | int | str]:
    score: float | str = satker.score if satker.ratios else "-"
    return [label, satker.personnel, *_platform_values(satker.instagram),
            *_platform_values(satker.tiktok), score]


def ranking_workbook(data: SatkerEngagement, request: ReportRequest) -> ReportFile:
    moment = request.generated_at.astimezone(clock.tz)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(SHEET_NAME)
    title = book.add_format({"bold": True, "font_size": 14})
    subtitle = book.add_format({"italic": True})
    header = book.add_format({"bold": True, "bg_color": HEADER_GREY, "border": 2,
                              "align": "center", "valign": "vcenter", "text_wrap": True})
    width = 2 + len(PLATFORM_GROUPS) * GROUP_WIDTH + 1
    formats = {}
    for zebra in (False, True):
        base = {"border": 1, **({"bg_color": ZEBRA_GREY} if zebra else {})}
        formats[zebra] = (book.add_format(base), book.add_format({**base, "num_format": "0.0%"}))
    total_formats = (book.add_format({"border": 2, "bold": True}),
                     book.add_format({"border": 2, "bold": True, "num_format": "0.0%"}))

    for row, text in enumerate(_title_rows(data, request, moment)):
        sheet.write(row, 0, text, title if row == 0 else subtitle)
    sheet.merge_range(HEADER_ROW, 0, HEADER_ROW + 1, 0, "NAMA SATKER", header)
    sheet.merge_range(HEADER_ROW, 1, HEADER_ROW + 1, 1, "JUMLAH PERSONIL", header)
    for group, (name, engagement) in enumerate(PLATFORM_GROUPS):
        first = 2 + group * GROUP_WIDTH
        sheet.merge_range(HEADER_ROW, first, HEADER_ROW, first + GROUP_WIDTH - 1, name, header)
        for offset, column in enumerate((*PLATFORM_COLUMNS, engagement)):
            sheet.write(HEADER_ROW + 1, first + offset, column, header)
    sheet.merge_range(HEADER_ROW, width - 1, HEADER_ROW + 1, width - 1, "SKOR", header)

    rows = _rows(data)
    percent_columns = {2 + group * GROUP_WIDTH + RATE_OFFSET
                       for group in range(len(PLATFORM_GROUPS))} | {width - 1}
    for index, values in enumerate(rows):
        plain, percent = total_formats if index == len(rows) - 1 else formats[index % 2 == 1]
        for column, value in enumerate(values):
            cell_format = percent if column in percent_columns and value != "-" else plain
            sheet.write(FIRST_DATA_ROW + index, column, value, cell_format)

    sheet.set_column(0, 0, 36)
    sheet.set_column(1, width - 1, 13)
    sheet.set_row(HEADER_ROW + 1, 30)
    sheet.freeze_panes(FIRST_DATA_ROW, 1)
    book.close()
    return ReportFile(workbook_name(data.pair.instagram.client.client_id, request),
                      buffer.getvalue(), XLSX_MIMETYPE)
