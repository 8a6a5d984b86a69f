"""completeness, completeness-summary and registration: exact texts of small hand-built
organisations, the executive summary's thresholds, splitting, and the update matrix."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import event, text

from cicero.clock import clock
from menus.excel.completeness_workbook import completeness_workbook
from menus.format import WHATSAPP_TEXT_LIMIT
from menus.reports.base import REPORTS, ReportRequest
from menus.reports.personnel_data import (
    completeness_json,
    insight,
    registration_json,
    render_completeness,
    render_registration,
    render_summary,
)
from storage.attendance import ClientInfo, PopulationKind
from storage.personnel_stats import PersonData, PersonnelData, UnitCounts, personnel_data
from tests.factories import insert_client, insert_person

NOW = datetime(2025, 12, 6, 19, 5, tzinfo=ZoneInfo("Asia/Jakarta"))


def _request(client_id: str, mode: str = "all") -> ReportRequest:
    return ReportRequest(client_id, clock.day(NOW.date()), NOW, mode)


class Org:
    """Clients and personnel written straight into the tables."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self._next_user = 88000000

    async def sql(self, statement: str, **params) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(text(statement), params)

    async def client(self, client_id: str, type_: str = "org", parent: str | None = None,
                     status: bool = True) -> None:
        await insert_client(self.engine, client_id, type_=type_, parent_id=parent,
                            status=status)

    async def person(self, client_id: str, name: str, *, rank: str = "BRIPDA",
                     satfung: str | None = "SAT BINMAS", instagram: bool = True,
                     tiktok: bool = True, whatsapp: bool = True, status: bool = True,
                     directorates: tuple[str, ...] = ()) -> str:
        self._next_user += 1
        user_id = str(self._next_user)
        await insert_person(
            self.engine, user_id, name, client_id, directorates=directorates, rank=rank,
            satfung=satfung, instagram=f"ig{user_id}" if instagram else None,
            tiktok=f"tt{user_id}" if tiktok else None,
            whatsapp=f"62812{user_id}" if whatsapp else None, status=status)
        return user_id


async def _small_polres(engine) -> Org:
    org = Org(engine)
    await org.client("POLRES_X")
    await org.person("POLRES_X", "BUDI", rank="AKP", satfung="SAT BINMAS")
    await org.person("POLRES_X", "CITRA", satfung="SAT BINMAS", tiktok=False, whatsapp=False)
    await org.person("POLRES_X", "DEDI", rank="AIPDA", satfung="BAG OPS", instagram=False,
                     tiktok=False)
    await org.person("POLRES_X", "EKO", satfung=None)
    await org.person("POLRES_X", "FAJAR", satfung="POLSEK UTARA", whatsapp=False)
    await org.person("POLRES_X", "GONE", instagram=False, status=False)  # inactive
    return org


async def _small_directorate(engine) -> Org:
    org = Org(engine)
    await org.client("POLDA_X", "polda")
    await org.client("DIT_X", "directorate", parent="POLDA_X")
    for polres in ("POLRES_A", "POLRES_B", "POLRES_EMPTY"):
        await org.client(polres, parent="POLDA_X")
    await org.client("POLRES_CLOSED", parent="POLDA_X", status=False)
    member = ("DIT_X",)
    await org.person("DIT_X", "STAF SATU", rank="KOMPOL", directorates=member)
    await org.person("DIT_X", "STAF DUA", tiktok=False, whatsapp=False, directorates=member)
    await org.person("POLRES_A", "ANGGOTA A1", directorates=member)
    await org.person("POLRES_A", "ANGGOTA A2", directorates=member)
    await org.person("POLRES_A", "BUKAN ANGGOTA")  # not a member: not counted
    await org.person("POLRES_B", "ANGGOTA B1", instagram=False, directorates=member)
    await org.person("POLRES_B", "ANGGOTA B2", instagram=False, tiktok=False,
                     whatsapp=False, directorates=member)
    await org.person("POLRES_B", "NONAKTIF", status=False, directorates=member)
    return org


async def test_org_completeness_lists_people_by_satfung_with_missing_items(engine) -> None:
    await _small_polres(engine)
    data = await personnel_data(engine, "POLRES_X")
    rendered = render_completeness(data, _request("POLRES_X"))
    assert rendered.messages == ["""Selamat malam,

Mohon ijin Komandan, melaporkan absensi update data personil *POLRES X* pada hari Sabtu, \
06 Desember 2025, pukul 19.05 WIB.

👥 Jumlah personil: 5 pers
✅ Sudah lengkap (Instagram dan TikTok): 3 pers (60,0%)
❌ Belum lengkap: 2 pers
📸 Instagram terisi: 4 pers · kosong: 1 pers
🎵 TikTok terisi: 3 pers · kosong: 2 pers

✅ *Sudah Lengkap (3 pers)*
*SAT BINMAS* (1 pers):
- AKP BUDI
*POLSEK UTARA* (1 pers):
- BRIPDA FAJAR
*-* (1 pers):
- BRIPDA EKO

❌ *Belum Lengkap (2 pers)*
*BAG OPS* (1 pers):
- AIPDA DEDI, Instagram kosong, TikTok kosong
*SAT BINMAS* (1 pers):
- BRIPDA CITRA, TikTok kosong

Terima kasih."""]
    document = completeness_json(data, _request("POLRES_X"))
    assert document["totals"]["personnel"] == 5
    assert [row["name"] for row in document["rows"]] == ["BUDI", "DEDI", "CITRA", "EKO", "FAJAR"]


async def test_directorate_completeness_per_satker(engine) -> None:
    await _small_directorate(engine)
    data = await personnel_data(engine, "DIT_X")
    assert data.people == []  # a directorate's view is per satker
    rendered = render_completeness(data, _request("DIT_X"))
    assert rendered.messages == ["""Selamat malam,

Mohon ijin Komandan, melaporkan absensi update data personil *DIT X* pada hari Sabtu, \
06 Desember 2025, pukul 19.05 WIB.

👥 Jumlah personil: 6 pers
✅ Sudah lengkap (Instagram dan TikTok): 3 pers (50,0%)
❌ Belum lengkap: 3 pers
📸 Instagram terisi: 4 pers · kosong: 2 pers
🎵 TikTok terisi: 4 pers · kosong: 2 pers

*Sudah Input Data (3 satker):*
1. *DIT X* — 2 pers
   Lengkap: 1 (50,0%) · Instagram: 2 · TikTok: 1
2. *POLRES A* — 2 pers
   Lengkap: 2 (100,0%) · Instagram: 2 · TikTok: 2
3. *POLRES B* — 2 pers
   Lengkap: 0 (0,0%) · Instagram: 0 · TikTok: 1

*Satker Belum Input Data:*
- POLRES EMPTY

Terima kasih."""]
    rows = completeness_json(data, _request("DIT_X"))["rows"]
    assert [row["key"] for row in rows] == ["DIT_X", "POLRES_A", "POLRES_B", "POLRES_EMPTY"]


async def test_no_personnel_is_one_sentence(engine) -> None:
    org = Org(engine)
    await org.client("POLRES_SEPI")
    data = await personnel_data(engine, "POLRES_SEPI")
    for render in (render_completeness, render_summary, render_registration):
        assert render(data, _request("POLRES_SEPI")).messages == [
            "Belum ada data personil aktif POLRES SEPI."]


async def test_registration_lists_everyone_not_only_people_with_whatsapp(engine) -> None:
    """The reference filtered the population on `whatsapp`, so "belum" was always empty."""
    await _small_polres(engine)
    data = await personnel_data(engine, "POLRES_X")
    assert render_registration(data, _request("POLRES_X")).messages == ["""Selamat malam,

Mohon ijin Komandan, melaporkan rekap registrasi WhatsApp personil *POLRES X* pada hari Sabtu, \
06 Desember 2025, pukul 19.05 WIB.

👥 Jumlah personil: 5 pers
✅ Sudah registrasi WhatsApp: 3 pers (60,0%)
❌ Belum registrasi WhatsApp: 2 pers

✅ *Sudah Registrasi (3 pers)*
*BAG OPS* (1 pers):
- AIPDA DEDI
*SAT BINMAS* (1 pers):
- AKP BUDI
*-* (1 pers):
- BRIPDA EKO

❌ *Belum Registrasi (2 pers)*
*SAT BINMAS* (1 pers):
- BRIPDA CITRA
*POLSEK UTARA* (1 pers):
- BRIPDA FAJAR

Terima kasih."""]
    not_done = render_registration(data, _request("POLRES_X", "not-done")).text
    assert "Belum Registrasi (2 pers)" in not_done and "Sudah Registrasi" not in not_done
    done = render_registration(data, _request("POLRES_X", "done")).text
    assert "Sudah Registrasi (3 pers)" in done and "Belum Registrasi" not in done
    rows = registration_json(data, _request("POLRES_X"))["rows"]
    assert sum(not row["whatsapp"] for row in rows) == 2


async def test_directorate_registration_per_satker(engine) -> None:
    await _small_directorate(engine)
    data = await personnel_data(engine, "DIT_X")
    text_ = render_registration(data, _request("DIT_X")).text
    assert """✅ Sudah registrasi WhatsApp: 4 pers (66,7%)
❌ Belum registrasi WhatsApp: 2 pers

*Rekap per satker:*
1. *DIT X* — 2 pers
   ✅ Sudah: 1 (50,0%) · ❌ Belum: 1
2. *POLRES A* — 2 pers
   ✅ Sudah: 2 (100,0%) · ❌ Belum: 0
3. *POLRES B* — 2 pers
   ✅ Sudah: 1 (50,0%) · ❌ Belum: 1

*Satker Belum Input Data:*
- POLRES EMPTY""" in text_
    document = registration_json(data, _request("DIT_X"))
    assert document["totals"] == {"personnel": 6, "registered": 4, "not_registered": 2}


def _unit(key: str, total: int, instagram: int, tiktok: int) -> UnitCounts:
    return UnitCounts(key, key, total, instagram, tiktok, min(instagram, tiktok), 0)


def _directorate(units: list[UnitCounts]) -> PersonnelData:
    client = ClientInfo("DIT_X", "DIT X", "directorate", None, None, None)
    return PersonnelData(client, PopulationKind.DIRECTORATE, units, [])


def test_summary_thresholds_backlog_and_projection() -> None:
    data = _directorate([
        _unit("BEST", 10, 9, 9),  # 90/90: best
        _unit("STRONG", 10, 8, 8),  # 80/80: strong
        _unit("GAP", 20, 16, 10),  # 80/50: anomaly (30 points)
        _unit("AHEAD", 10, 4, 5),  # 40/50: TikTok ahead by 10
        _unit("LOW", 10, 0, 0),  # 0/0: low
        _unit("EMPTY", 0, 0, 0),  # no personnel: not a unit
    ])
    facts = insight(data)
    assert [u.key for u in facts.units] == ["BEST", "STRONG", "GAP", "AHEAD", "LOW"]
    assert [u.key for u in facts.best] == ["BEST"]
    assert [u.key for u in facts.strong] == ["STRONG"]
    assert [u.key for u in facts.low] == ["LOW"]
    assert [u.key for u in facts.anomalies] == ["GAP"]
    assert [u.key for u in facts.tiktok_ahead] == ["AHEAD"]
    assert [u.key for u in facts.top] == ["BEST", "STRONG", "GAP"]
    assert [u.key for u in facts.bottom] == ["LOW", "AHEAD"]
    assert facts.instagram_backlog == (23, 23) and facts.tiktok_backlog == (28, 28)
    # 37 of 60 filled, plus 70% of the 23 missing in the (at most 10) largest backlogs
    assert facts.projected_instagram == pytest.approx((37 + 0.7 * 23) / 60)
    assert facts.projected_tiktok == pytest.approx((32 + 0.7 * 28) / 60)
    assert facts.largest_backlog is not None and facts.largest_backlog.key == "LOW"
    message = render_summary(data, _request("DIT_X")).text
    assert "📸 Instagram: 61,7% (37/60)" in message
    assert "🏆 *Terbaik (IG dan TT ≥ 90,0%)*\n- BEST (IG 90,0% · TT 90,0%)" in message
    assert "- GAP: IG 80,0% · TT 50,0% (selisih 30,0 poin)" in message
    assert "Instagram: 23 username kosong, tersebar di 5 satker." in message
    assert "TikTok: 28 username kosong, tersebar di 5 satker." in message
    assert "Bila 70,0% seluruh backlog ditutup, cakupan Instagram menjadi 88,5% dan TikTok " \
           "86,0%." in message
    assert "- TikTok lebih tinggi ≥ 10,0 poin: AHEAD" in message
    assert "None" not in message


def test_summary_backlog_looks_at_the_ten_largest() -> None:
    data = _directorate([_unit(f"S{n:02d}", 20, 20 - n, 20) for n in range(12)])  # n missing
    facts = insight(data)
    assert facts.backlog_units == 10
    assert facts.instagram_backlog == (sum(range(2, 12)), sum(range(12)))  # (65, 66)
    assert facts.tiktok_backlog == (0, 0)
    message = render_summary(data, _request("DIT_X")).text
    assert "Instagram: 10 satker dengan kekurangan terbanyak menyumbang 65 dari 66 " \
           "username kosong (98,5%)." in message
    assert "TikTok: tidak ada username kosong." in message
    assert "Bila 70,0% backlog 10 satker teratas ditutup" in message


def _many_people(count: int) -> PersonnelData:
    client = ClientInfo("POLRES_BESAR", "POLRES BESAR", "org", None, None, None)
    people = [PersonData(str(80000000 + n), f"PERSONIL NOMOR {n:04d}", "BRIPDA",
                         f"POLSEK {n % 7}", "POLRES_BESAR", n % 3 != 0, n % 4 != 0, n % 2 == 0)
              for n in range(count)]
    totals = UnitCounts("POLRES_BESAR", "POLRES BESAR", count,
                        sum(p.has_instagram for p in people), sum(p.has_tiktok for p in people),
                        sum(p.complete for p in people), sum(p.has_whatsapp for p in people))
    return PersonnelData(client, PopulationKind.SATKER, [totals], people)


def test_long_lists_are_split_under_the_whatsapp_limit() -> None:
    data = _many_people(600)
    for render in (render_completeness, render_registration):
        messages = render(data, _request("POLRES_BESAR")).messages
        assert len(messages) > 1
        assert all(len(message) <= WHATSAPP_TEXT_LIMIT for message in messages)
        joined = "\n".join(messages)
        assert all(f"PERSONIL NOMOR {n:04d}" in joined for n in range(600))
        assert messages[-1].endswith("Terima kasih.")


async def test_update_matrix_workbook_matches_the_counts(engine) -> None:
    await _small_directorate(engine)
    data = await personnel_data(engine, "DIT_X")
    file = completeness_workbook(data, _request("DIT_X"))
    assert file.filename == "DIT_X_Satker_Update_Rank_2025-12-06.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(file.content), data_only=True)["Rekap"]
    assert sheet["A1"].value == "Matriks Update Data Personil per Satker — DIT X"
    assert sheet["A2"].value == "Periode: Sabtu, 06 Desember 2025 pukul 19.05.00 WIB"
    assert [sheet.cell(4, c).value for c in range(1, 7)] == [
        "Satker", "Jumlah Personil", "Data Update Instagram", None, "Data Update Tiktok", None]
    assert [sheet.cell(5, c).value for c in range(3, 7)] == ["Sudah", "Belum", "Sudah", "Belum"]
    rows = [[sheet.cell(r, c).value for c in range(1, 7)] for r in range(6, sheet.max_row + 1)]
    assert rows == [
        ["DIT X", 2, 2, 0, 1, 1],  # the directorate first, then IG% desc, TT% desc
        ["POLRES A", 2, 2, 0, 2, 0],
        ["POLRES B", 2, 0, 2, 1, 1],
        ["POLRES EMPTY", 0, 0, 0, 0, 0],
        ["TOTAL", 6, 4, 2, 4, 2],
    ]
    totals = data.totals
    assert rows[-1][1:] == [totals.total, totals.instagram, totals.instagram_missing,
                            totals.tiktok, totals.tiktok_missing]
    formulas = openpyxl.load_workbook(io.BytesIO(file.content))["Rekap"]
    assert formulas["B10"].value == "=SUM(B6:B9)"


async def test_org_matrix_is_per_satfung(engine) -> None:
    await _small_polres(engine)
    data = await personnel_data(engine, "POLRES_X")
    file = completeness_workbook(data, _request("POLRES_X"))
    sheet = openpyxl.load_workbook(io.BytesIO(file.content), data_only=True)["Rekap"]
    assert sheet["A4"].value == "Satfung"
    names = [sheet.cell(r, 1).value for r in range(6, sheet.max_row + 1)]
    assert names == ["-", "POLSEK UTARA", "SAT BINMAS", "BAG OPS", "TOTAL"]
    assert [sheet.cell(sheet.max_row, c).value for c in range(2, 7)] == [5, 4, 1, 3, 2]


async def test_queries_do_not_grow_with_satkers_or_people(engine) -> None:
    await _small_directorate(engine)
    statements: list[str] = []

    def count(*args) -> None:
        statements.append(args[2])

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        await personnel_data(engine, "DIT_X")
        directorate = len(statements)
        await personnel_data(engine, "POLRES_A")
        org = len(statements) - directorate
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert directorate == 2  # the client, the per-satker counts
    assert org == 3  # the client, the counts, the people


def test_reports_are_registered() -> None:
    assert REPORTS["completeness"].workbook is completeness_workbook
    assert REPORTS["registration"].modes == ("all", "done", "not-done")
    assert "completeness-summary" in REPORTS
