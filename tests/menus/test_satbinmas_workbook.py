"""The Satbinmas recap and account-coverage workbooks: one row per satker with its status,
most active first, and totals."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from cicero.clock import clock
from menus.excel.satbinmas_workbook import accounts_workbook, recap_workbook
from menus.reports.base import ReportRequest
from storage.models import Platform, SatbinmasFetchOutcome
from storage.satbinmas_media import (
    AccountCoverage,
    SatbinmasRecap,
    SatkerAccounts,
    SatkerActivity,
)

DAY = date(2025, 12, 6)
REQUEST = ReportRequest("DITBINMAS", clock.period(DAY, DAY),
                        datetime(2025, 12, 6, 23, 5, tzinfo=ZoneInfo("Asia/Jakarta")))


def _rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [row for row in sheet.iter_rows(min_row=4, values_only=True)]


def test_the_recap_workbook_lists_active_passive_failed_then_missing() -> None:
    recap = SatbinmasRecap(Platform.TIKTOK, REQUEST.period, [
        SatkerActivity("POLRES_A", "POLRES A", "a_tt", 1, 53, 12, 4200, SatbinmasFetchOutcome.OK),
        SatkerActivity("POLRES_B", "POLRES B", "b_tt", last_outcome=SatbinmasFetchOutcome.OK),
        SatkerActivity("POLRES_C", "POLRES C", "c_tt",
                       last_outcome=SatbinmasFetchOutcome.PRIVATE),
        SatkerActivity("POLRES_D", "POLRES D", None),
        SatkerActivity("POLRES_E", "POLRES E", "e_tt", 3, 10, 1, 500, SatbinmasFetchOutcome.OK),
    ])
    file = recap_workbook(recap, REQUEST)
    assert file.filename == "Rekap_Satbinmas_Official_TikTok_2025-12-06_2025-12-06.xlsx"
    rows = _rows(file.content)
    assert rows[0] == ("No", "Satker", "Akun", "Status", "Jumlah Konten", "Likes", "Komentar",
                       "Tayangan")
    assert [row[1:4] for row in rows[1:6]] == [
        ("POLRES E", "@e_tt", "Aktif"), ("POLRES A", "@a_tt", "Aktif"),
        ("POLRES B", "@b_tt", "Pasif"), ("POLRES C", "@c_tt", "Gagal: akun privat"),
        ("POLRES D", "-", "Belum input akun")]
    assert rows[6][1] == "TOTAL"


def test_the_coverage_workbook_names_each_satkers_status() -> None:
    coverage = AccountCoverage([SatkerAccounts("POLRES_A", "POLRES A", "a_ig", "a_tt"),
                                SatkerAccounts("POLRES_B", "POLRES B", None, "b_tt"),
                                SatkerAccounts("POLRES_C", "POLRES C", None, None)])
    rows = _rows(accounts_workbook(coverage, REQUEST).content)
    assert [row[1:] for row in rows[1:]] == [
        ("POLRES_A", "POLRES A", "@a_ig", "@a_tt", "Lengkap"),
        ("POLRES_B", "POLRES B", "-", "@b_tt", "Sebagian"),
        ("POLRES_C", "POLRES C", "-", "-", "Belum")]
