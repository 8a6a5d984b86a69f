"""Workbooks of the official Satbinmas accounts: the recap of one platform over a period (one
row per satker with its account, status, posts, likes, comments, views) and the account
coverage of clientrequest 3.4."""

from __future__ import annotations

from menus.excel.sheets import XLSX_MIMETYPE, Book, Sheet
from menus.format import clock_time, long_date, period_label
from menus.reports.base import ReportFile, ReportRequest
from menus.satbinmas import FAILURE_REASONS, platform_name
from storage.satbinmas_media import AccountCoverage, SatbinmasRecap, SatkerActivity

HEADER_ROW = 3


def _status(satker: SatkerActivity) -> str:
    if satker.username is None:
        return "Belum input akun"
    if satker.posts:
        return "Aktif"
    if satker.failure is not None:
        return f"Gagal: {FAILURE_REASONS[satker.failure]}"
    return "Pasif"


def _title(sheet: Sheet, title: str, subtitle: str, columns: int) -> None:
    styles = sheet.styles
    sheet.ws.merge_range(0, 0, 0, columns - 1, title, styles.title)
    sheet.ws.merge_range(1, 0, 1, columns - 1, subtitle, styles.note)


def _stamp(request: ReportRequest) -> str:
    moment = request.generated_at
    return f"Data per {long_date(moment.date())} pukul {clock_time(moment)} WIB"


def recap_workbook(recap: SatbinmasRecap, request: ReportRequest) -> ReportFile:
    name = platform_name(recap.platform)
    book = Book()
    sheet = book.sheet(f"Rekap {name}")
    headers = ("No", "Satker", "Akun", "Status", "Jumlah Konten", "Likes", "Komentar",
               "Tayangan")
    _title(sheet, f"Rekap Konten {name} Satbinmas Official",
           f"Periode: {period_label(request.period.start, request.period.end)} · "
           f"{_stamp(request)}", len(headers))
    for col, header in enumerate(headers):
        sheet.header(HEADER_ROW, col, header)
    order = [*recap.active, *recap.passive, *recap.failed, *recap.without_account]
    first = HEADER_ROW + 1
    for row, satker in enumerate(order, start=first):
        sheet.number(row, 0, row - HEADER_ROW, sheet.styles.number)
        sheet.text(row, 1, satker.name)
        sheet.text(row, 2, f"@{satker.username}" if satker.username else "-")
        sheet.text(row, 3, _status(satker))
        for col, value in ((4, satker.posts), (5, satker.likes), (6, satker.comments),
                           (7, satker.views)):
            sheet.number(row, col, value)
    total = first + len(order)
    sheet.text(total, 1, "TOTAL", sheet.styles.total_label)
    for col, value in ((4, recap.posts), (5, recap.likes), (6, recap.comments),
                       (7, recap.views)):
        sheet.column_sum(total, col, first, total - 1, value)
    sheet.fit_columns(minimum=8)
    sheet.ws.freeze_panes(first, 2)
    filename = (f"Rekap_Satbinmas_Official_{name}_{request.period.start.isoformat()}_"
                f"{request.period.end.isoformat()}.xlsx")
    return ReportFile(filename, book.content(), XLSX_MIMETYPE)


def accounts_workbook(coverage: AccountCoverage, request: ReportRequest) -> ReportFile:
    book = Book()
    sheet = book.sheet("Akun Resmi")
    headers = ("No", "Client ID", "Satker", "Instagram", "TikTok", "Status")
    _title(sheet, "Absensi Akun Resmi Satbinmas", _stamp(request), len(headers))
    for col, header in enumerate(headers):
        sheet.header(HEADER_ROW, col, header)
    for row, satker in enumerate(coverage.satkers, start=HEADER_ROW + 1):
        status = "Lengkap" if satker.complete else "Belum" if satker.missing else "Sebagian"
        sheet.number(row, 0, row - HEADER_ROW, sheet.styles.number)
        sheet.text(row, 1, satker.client_id)
        sheet.text(row, 2, satker.name)
        sheet.text(row, 3, f"@{satker.instagram}" if satker.instagram else "-")
        sheet.text(row, 4, f"@{satker.tiktok}" if satker.tiktok else "-")
        sheet.text(row, 5, status)
    sheet.fit_columns(minimum=8)
    sheet.ws.freeze_panes(HEADER_ROW + 1, 0)
    filename = f"Absensi_Akun_Satbinmas_{request.generated_at.date().isoformat()}.xlsx"
    return ReportFile(filename, book.content(), XLSX_MIMETYPE)
