"""The satker update matrix (reference §3.9, menu 4): one sheet "Rekap" with, per satker,
personnel and filled / empty Instagram and TikTok handles.

The reference also had an authorised-strength column (DSP) from a hard-coded table; Cicero
has no DSP data, so the column is left out.
"""

from __future__ import annotations

from typing import Any

from menus.excel.sheets import XLSX_MIMETYPE, Book
from menus.format import clock_time, day_name, long_date
from menus.reports.base import ReportFile, ReportRequest
from storage.attendance import PopulationKind
from storage.personnel_stats import PersonnelData, UnitCounts

SHEET = "Rekap"
HEADER_ROW = 3  # two header rows: 3 and 4 (0-based); data from row 5
COLUMNS = 6


def _matrix_order(unit: UnitCounts) -> tuple[Any, ...]:
    """The directorate itself first, then Instagram % desc, TikTok % desc (reference §3.9)."""
    return (0 if unit.is_directorate_itself else 1, -unit.instagram_rate, -unit.tiktok_rate,
            -unit.total, unit.name.upper())


def matrix_units(data: PersonnelData) -> list[UnitCounts]:
    units = data.satkers if data.kind == PopulationKind.DIRECTORATE else data.satfung_units()
    return sorted(units, key=_matrix_order)


def completeness_workbook(data: PersonnelData, request: ReportRequest) -> ReportFile:
    directorate = data.kind == PopulationKind.DIRECTORATE
    unit_word = "Satker" if directorate else "Satfung"
    book = Book()
    styles = book.styles
    sheet = book.sheet(SHEET)
    moment = request.generated_at
    sheet.ws.merge_range(0, 0, 0, COLUMNS - 1, f"Matriks Update Data Personil per {unit_word} "
                         f"— {data.client.name}", styles.title)
    sheet.ws.merge_range(1, 0, 1, COLUMNS - 1,
                         f"Periode: {day_name(moment.date())}, {long_date(moment.date())} "
                         f"pukul {clock_time(moment)} WIB", styles.note)
    top, sub = HEADER_ROW, HEADER_ROW + 1
    sheet.tall_header(top, 0, unit_word)
    sheet.tall_header(top, 1, "Jumlah Personil")
    sheet.header(top, 2, "Data Update Instagram", cols=2)
    sheet.header(top, 4, "Data Update Tiktok", cols=2)
    for column in (0, 1):
        sheet.tall_header_end(sub, column)
    for column in (2, 4):
        sheet.header(sub, column, "Sudah", styles.header_done)
        sheet.header(sub, column + 1, "Belum", styles.header_missing)

    units = matrix_units(data)
    first = sub + 1
    for row, unit in enumerate(units, start=first):
        sheet.text(row, 0, unit.name)
        sheet.number(row, 1, unit.total)
        sheet.number(row, 2, unit.instagram, styles.count_done)
        sheet.number(row, 3, unit.instagram_missing, styles.count_missing)
        sheet.number(row, 4, unit.tiktok, styles.count_done)
        sheet.number(row, 5, unit.tiktok_missing, styles.count_missing)
    last = first + len(units)
    totals = data.totals
    sheet.text(last, 0, "TOTAL", styles.total_label)
    for column, value, fmt in ((1, totals.total, styles.total),
                               (2, totals.instagram, styles.total_done),
                               (3, totals.instagram_missing, styles.total_missing),
                               (4, totals.tiktok, styles.total_done),
                               (5, totals.tiktok_missing, styles.total_missing)):
        sheet.column_sum(last, column, first, last - 1, value, fmt)
    sheet.fit_columns(minimum=10)
    sheet.ws.freeze_panes(first, 1)
    prefix = "Satker" if directorate else "Satfung"
    filename = f"{data.client.client_id}_{prefix}_Update_Rank_{moment.date().isoformat()}.xlsx"
    return ReportFile(filename, book.content(), XLSX_MIMETYPE)
