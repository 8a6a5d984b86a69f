"""Personnel data reports (reference §2.9, §3.7): `completeness` (menu 1), the executive
summary `completeness-summary` (menu 2, "Rekap User Insight") and the WhatsApp
`registration` recap. Pure renderers of `storage.personnel_stats.PersonnelData`.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from menus.excel.completeness_workbook import completeness_workbook
from menus.format import (
    bold,
    dash_list,
    day_name,
    greeting,
    hour_minute,
    italic,
    long_date,
    number,
    percent,
    person_label,
    share,
    split_message,
)
from menus.reports.base import Rendered, ReportRequest, ReportSpec, register
from menus.reports.common import CLOSING, pers
from menus.reports.structured import rows_json
from storage.attendance import PopulationKind
from storage.ordering import satker_key
from storage.personnel_stats import PersonData, PersonnelData, UnitCounts, build_personnel_data

BEST, STRONG, LOW = 0.90, 0.80, 0.10  # both IG and TT at least / at least / below
ANOMALY_GAP, TIKTOK_AHEAD_GAP = 0.15, 0.10
BACKLOG_SATKERS, BACKLOG_CLOSED = 10, 0.70
ROLE_MODELS = 5


def _stamp(request: ReportRequest) -> str:
    moment = request.generated_at
    return f"pada hari {day_name(moment.date())}, {long_date(moment.date())}, " \
           f"pukul {hour_minute(moment)} WIB"


def _opening(subject: str, data: PersonnelData, request: ReportRequest) -> list[str]:
    return [f"{greeting(request.generated_at)},", "",
            f"Mohon ijin Komandan, melaporkan {subject} {bold(data.client.name)} "
            f"{_stamp(request)}.",
            ""]


def no_personnel(data: PersonnelData) -> Rendered:
    return Rendered([f"Belum ada data personil aktif {data.client.name}."])


def missing_handles(person: PersonData) -> str:
    items = [label for filled, label in ((person.has_instagram, "Instagram kosong"),
                                         (person.has_tiktok, "TikTok kosong")) if not filled]
    return ", ".join(items)


def _heading(emoji: str, title: str) -> str:
    return f"{emoji} {bold(title)}"


def _section(emoji: str, title: str, data: PersonnelData, people: list[PersonData],
             line: Callable[[PersonData], str]) -> list[str]:
    """A titled list grouped by satfung, or '-' when nobody is in it."""
    lines = ["", _heading(emoji, f"{title} ({pers(len(people))})")]
    if not people:
        return [*lines, "-"]
    for satfung, members in data.by_satfung(people):
        lines += [f"{bold(satfung)} ({pers(len(members))}):",
                  *dash_list([line(person) for person in members])]
    return lines


def _satker_lines(units: list[UnitCounts], detail: Callable[[UnitCounts], str]) -> list[str]:
    lines: list[str] = []
    for index, unit in enumerate(units, start=1):
        lines += [f"{index}. {bold(unit.name)} — {pers(unit.total)}", f"   {detail(unit)}"]
    return lines or ["-"]


# --- completeness (menu 1) ------------------------------------------------------------------


def render_completeness(data: PersonnelData, request: ReportRequest) -> Rendered:
    totals = data.totals
    if not totals.total:
        return no_personnel(data)
    lines = [*_opening("absensi update data personil", data, request),
             f"👥 Jumlah personil: {pers(totals.total)}",
             f"✅ Sudah lengkap (Instagram dan TikTok): {pers(totals.complete)} "
             f"({share(totals.complete, totals.total)})",
             f"❌ Belum lengkap: {pers(totals.incomplete)}",
             f"📸 Instagram terisi: {pers(totals.instagram)} · kosong: "
             f"{pers(totals.instagram_missing)}",
             f"🎵 TikTok terisi: {pers(totals.tiktok)} · kosong: {pers(totals.tiktok_missing)}"]
    if data.kind == PopulationKind.DIRECTORATE:
        filled = data.satkers_with_personnel
        lines += ["", bold(f"Sudah Input Data ({number(len(filled))} satker):"),
                  *_satker_lines(filled, lambda u: (
                      f"Lengkap: {number(u.complete)} ({share(u.complete, u.total)}) · "
                      f"Instagram: {number(u.instagram)} · TikTok: {number(u.tiktok)}")),
                  "", bold("Satker Belum Input Data:"),
                  *dash_list([u.name for u in data.satkers_without_personnel])]
    else:
        complete = [p for p in data.people if p.complete]
        incomplete = [p for p in data.people if not p.complete]
        lines += _section("✅", "Sudah Lengkap", data, complete, _label)
        lines += _section("❌", "Belum Lengkap", data, incomplete,
                          lambda p: f"{_label(p)}, {missing_handles(p)}")
    return Rendered(split_message("\n".join([*lines, "", CLOSING])))


def _label(person: PersonData) -> str:
    return person_label(person.rank, person.name)


def _unit_json(unit: UnitCounts) -> dict[str, Any]:
    return {"key": unit.key, "name": unit.name, "personnel": unit.total,
            "instagram": unit.instagram, "tiktok": unit.tiktok, "complete": unit.complete,
            "instagram_missing": unit.instagram_missing, "tiktok_missing": unit.tiktok_missing,
            "whatsapp": unit.whatsapp}


def _person_json(person: PersonData) -> dict[str, Any]:
    return {"user_id": person.user_id, "name": person.name, "rank": person.rank,
            "satker": person.satker_id, "satfung": person.satfung,
            "instagram": person.has_instagram, "tiktok": person.has_tiktok,
            "complete": person.complete, "whatsapp": person.has_whatsapp}


def completeness_json(data: PersonnelData, request: ReportRequest) -> dict[str, Any]:
    if data.kind == PopulationKind.DIRECTORATE:
        rows = [_unit_json(unit) for unit in data.satkers]
    else:
        rows = [_person_json(person) for person in data.people]
    return rows_json("completeness", data.client.client_id, None, request, rows,
                     totals=_unit_json(data.totals),
                     units=[_unit_json(unit) for unit in data.units()])


# --- executive summary (menu 2) -------------------------------------------------------------


@dataclass(frozen=True)
class Insight:
    """The derived numbers of the "Rekap User Insight" summary (reference §2.9)."""

    unit_word: str  # "satker" or "satfung"
    units: list[UnitCounts]
    totals: UnitCounts
    best: list[UnitCounts]
    strong: list[UnitCounts]
    low: list[UnitCounts]
    top: list[UnitCounts]
    bottom: list[UnitCounts]
    anomalies: list[UnitCounts]
    tiktok_ahead: list[UnitCounts]
    backlog_units: int  # how many units the backlog concentration looks at (at most 10)
    instagram_backlog: tuple[int, int]  # (missing in those units, missing overall)
    tiktok_backlog: tuple[int, int]
    projected_instagram: float
    projected_tiktok: float
    largest_backlog: UnitCounts | None


def insight(data: PersonnelData) -> Insight:
    units = data.units()
    totals = data.totals
    by_score = sorted(units, key=lambda u: (-(u.instagram_rate + u.tiktok_rate), -u.total,
                                            u.name))
    top_size = min(5, math.ceil(len(units) / 2))
    bottom_size = min(5, len(units) - top_size)

    def backlog(missing: Callable[[UnitCounts], int]) -> tuple[int, int]:
        worst = sorted(units, key=lambda u: -missing(u))[:BACKLOG_SATKERS]
        return sum(missing(u) for u in worst), sum(missing(u) for u in units)

    ig_backlog = backlog(lambda u: u.instagram_missing)
    tt_backlog = backlog(lambda u: u.tiktok_missing)

    def projected(filled: int, top_missing: int) -> float:
        return (filled + top_missing * BACKLOG_CLOSED) / totals.total if totals.total else 0.0

    def both_at_least(unit: UnitCounts, level: float) -> bool:
        return unit.instagram_rate >= level and unit.tiktok_rate >= level

    return Insight(
        unit_word="satker" if data.kind == PopulationKind.DIRECTORATE else "satfung",
        units=units, totals=totals,
        best=[u for u in by_score if both_at_least(u, BEST)],
        strong=[u for u in by_score if both_at_least(u, STRONG) and not both_at_least(u, BEST)],
        low=[u for u in by_score if u.instagram_rate < LOW and u.tiktok_rate < LOW],
        top=by_score[:top_size],
        bottom=list(reversed(by_score))[:bottom_size],
        anomalies=[u for u in by_score
                   if abs(u.instagram_rate - u.tiktok_rate) >= ANOMALY_GAP - 1e-9],
        tiktok_ahead=[u for u in by_score if u.tiktok_rate - u.instagram_rate
                      >= TIKTOK_AHEAD_GAP - 1e-9],
        backlog_units=min(BACKLOG_SATKERS, len(units)),
        instagram_backlog=ig_backlog, tiktok_backlog=tt_backlog,
        projected_instagram=projected(totals.instagram, ig_backlog[0]),
        projected_tiktok=projected(totals.tiktok, tt_backlog[0]),
        largest_backlog=max(units, key=lambda u: (u.instagram_missing + u.tiktok_missing,
                                                  u.total), default=None),
    )


def _rates(unit: UnitCounts) -> str:
    return f"IG {percent(unit.instagram_rate)} · TT {percent(unit.tiktok_rate)}"


def _coverage(label: str, filled: int, total: int) -> str:
    return f"{label}: {share(filled, total)} ({number(filled)}/{number(total)})"


def _points(gap: float) -> str:
    return f"{percent(abs(gap))[:-1]} poin"


def _backlog_line(platform: str, backlog: tuple[int, int], facts: Insight,
                  missing: Callable[[UnitCounts], int]) -> str:
    top, overall = backlog
    if not overall:
        return f"{platform}: tidak ada username kosong."
    if facts.backlog_units == len(facts.units):  # ten units or fewer: all of them
        spread = sum(1 for unit in facts.units if missing(unit))
        return (f"{platform}: {number(overall)} username kosong, tersebar di {spread} "
                f"{facts.unit_word}.")
    return (f"{platform}: {facts.backlog_units} {facts.unit_word} dengan kekurangan terbanyak "
            f"menyumbang {number(top)} dari {number(overall)} username kosong "
            f"({share(top, overall)}).")


def _backlog_scope(facts: Insight) -> str:
    if facts.backlog_units == len(facts.units):
        return "seluruh backlog"
    return f"backlog {facts.backlog_units} {facts.unit_word} teratas"


def render_summary(data: PersonnelData, request: ReportRequest) -> Rendered:
    facts = insight(data)
    totals, word = facts.totals, facts.unit_word
    if not totals.total:
        return no_personnel(data)
    moment = request.generated_at
    ig_rates = [u.instagram_rate for u in facts.units]
    tt_rates = [u.tiktok_rate for u in facts.units]
    lines = [
        f"📊 {bold('Rekap User Insight — ' + data.client.name)}",
        f"{day_name(moment.date())}, {long_date(moment.date())}, pukul {hour_minute(moment)} WIB",
        "", bold(f"Cakupan keseluruhan ({pers(totals.total)}, {len(facts.units)} {word})"),
        _coverage("📸 Instagram", totals.instagram, totals.total),
        _coverage("🎵 TikTok", totals.tiktok, totals.total),
        _coverage("✅ Lengkap keduanya", totals.complete, totals.total),
        "",
        f"Rata-rata per {word}: IG {percent(statistics.fmean(ig_rates))} · "
        f"TT {percent(statistics.fmean(tt_rates))}",
        f"Median per {word}: IG {percent(statistics.median(ig_rates))} · "
        f"TT {percent(statistics.median(tt_rates))}",
        "", _heading("🏆", f"Terbaik (IG dan TT ≥ {percent(BEST)})"),
        *dash_list([f"{u.name} ({_rates(u)})" for u in facts.best]),
        "", _heading("💪", f"Kuat (IG dan TT ≥ {percent(STRONG)})"),
        *dash_list([f"{u.name} ({_rates(u)})" for u in facts.strong]),
        "", _heading("🚫", f"Rendah (IG dan TT < {percent(LOW)})"),
        *dash_list([f"{u.name} ({_rates(u)})" for u in facts.low]),
        "", _heading("🔥", f"{len(facts.top)} Teratas (IG% + TT%)"),
        *[f"{n}. {u.name} — {_rates(u)}" for n, u in enumerate(facts.top, 1)],
        "", _heading("❄️", f"{len(facts.bottom)} Terbawah (IG% + TT%)"),
        *([f"{n}. {u.name} — {_rates(u)}" for n, u in enumerate(facts.bottom, 1)] or ["-"]),
        "", _heading("⚠️", f"Anomali (selisih IG–TT ≥ {_points(ANOMALY_GAP)})"),
        *dash_list([f"{u.name}: {_rates(u)} (selisih "
                    f"{_points(u.instagram_rate - u.tiktok_rate)})" for u in facts.anomalies]),
        "", _heading("📌", "Konsentrasi backlog"),
        _backlog_line("Instagram", facts.instagram_backlog, facts,
                      lambda u: u.instagram_missing),
        _backlog_line("TikTok", facts.tiktok_backlog, facts, lambda u: u.tiktok_missing),
        "", _heading("📈", "Proyeksi"),
        f"Bila {percent(BACKLOG_CLOSED)} {_backlog_scope(facts)} ditutup, cakupan Instagram "
        f"menjadi {percent(facts.projected_instagram)} dan TikTok "
        f"{percent(facts.projected_tiktok)}.",
        "", _heading("📝", f"Catatan per {word}"), *_notes(facts),
        "", italic(f"IG/TT = persentase personil aktif yang sudah mengisi username "
                   f"Instagram/TikTok. Backlog = jumlah username yang masih kosong per {word}."),
    ]
    return Rendered(split_message("\n".join(lines)))


def _notes(facts: Insight) -> list[str]:
    notes = []
    largest = facts.largest_backlog
    if largest and largest.instagram_missing + largest.tiktok_missing:
        notes.append(f"Backlog terbesar: {largest.name} ({number(largest.instagram_missing)} "
                     f"Instagram, {number(largest.tiktok_missing)} TikTok kosong)")
    if facts.tiktok_ahead:
        notes.append(f"TikTok lebih tinggi ≥ {_points(TIKTOK_AHEAD_GAP)}: "
                     + ", ".join(u.name for u in facts.tiktok_ahead))
    if facts.best:
        notes.append("Teladan: " + ", ".join(u.name for u in facts.best[:ROLE_MODELS]))
    return dash_list(notes)


def _keys(units: list[UnitCounts]) -> list[str]:
    return [unit.key for unit in units]


def summary_json(data: PersonnelData, request: ReportRequest) -> dict[str, Any]:
    facts = insight(data)
    rows = [{**_unit_json(u), "instagram_rate": round(u.instagram_rate, 4),
             "tiktok_rate": round(u.tiktok_rate, 4)} for u in facts.units]
    return rows_json("completeness-summary", data.client.client_id, None, request, rows,
                     unit=facts.unit_word, totals=_unit_json(facts.totals),
                     best=_keys(facts.best), strong=_keys(facts.strong), low=_keys(facts.low),
                     top=_keys(facts.top), bottom=_keys(facts.bottom),
                     anomalies=_keys(facts.anomalies), tiktok_ahead=_keys(facts.tiktok_ahead),
                     backlog={"instagram": list(facts.instagram_backlog),
                              "tiktok": list(facts.tiktok_backlog)},
                     projection={"instagram": round(facts.projected_instagram, 4),
                                 "tiktok": round(facts.projected_tiktok, 4)})


# --- WhatsApp registration --------------------------------------------------------------------


def render_registration(data: PersonnelData, request: ReportRequest) -> Rendered:
    totals = data.totals
    if not totals.total:
        return no_personnel(data)
    lines = [*_opening("rekap registrasi WhatsApp personil", data, request),
             f"👥 Jumlah personil: {pers(totals.total)}",
             f"✅ Sudah registrasi WhatsApp: {pers(totals.whatsapp)} "
             f"({share(totals.whatsapp, totals.total)})",
             f"❌ Belum registrasi WhatsApp: {pers(totals.whatsapp_missing)}"]
    if data.kind == PopulationKind.DIRECTORATE:
        units = sorted(data.satkers_with_personnel, key=lambda u: satker_key(
            is_directorate_itself=u.is_directorate_itself, completion_rate=u.whatsapp_rate,
            personnel=u.total, name=u.name))
        lines += ["", bold("Rekap per satker:"),
                  *_satker_lines(units, lambda u: (
                      f"✅ Sudah: {number(u.whatsapp)} ({share(u.whatsapp, u.total)}) · "
                      f"❌ Belum: {number(u.whatsapp_missing)}")),
                  "", bold("Satker Belum Input Data:"),
                  *dash_list([u.name for u in data.satkers_without_personnel])]
    else:
        if request.mode in ("all", "done"):
            lines += _section("✅", "Sudah Registrasi", data,
                              [p for p in data.people if p.has_whatsapp], _label)
        if request.mode in ("all", "not-done"):
            lines += _section("❌", "Belum Registrasi", data,
                              [p for p in data.people if not p.has_whatsapp], _label)
    return Rendered(split_message("\n".join([*lines, "", CLOSING])))


def registration_json(data: PersonnelData, request: ReportRequest) -> dict[str, Any]:
    if data.kind == PopulationKind.DIRECTORATE:
        rows = [{"key": u.key, "name": u.name, "personnel": u.total, "registered": u.whatsapp,
                 "not_registered": u.whatsapp_missing} for u in data.satkers]
    else:
        rows = [{"user_id": p.user_id, "name": p.name, "rank": p.rank, "satker": p.satker_id,
                 "satfung": p.satfung, "whatsapp": p.has_whatsapp} for p in data.people]
    totals = data.totals
    return rows_json("registration", data.client.client_id, None, request, rows,
                     totals={"personnel": totals.total, "registered": totals.whatsapp,
                             "not_registered": totals.whatsapp_missing})


register(ReportSpec(
    name="completeness", description="Kelengkapan data Instagram/TikTok personil per satker",
    build=build_personnel_data, render=render_completeness, to_json=completeness_json,
    workbook=completeness_workbook))
register(ReportSpec(
    name="completeness-summary", description="Rekap User Insight: ringkasan kelengkapan data",
    build=build_personnel_data, render=render_summary, to_json=summary_json))
register(ReportSpec(
    name="registration", description="Rekap registrasi nomor WhatsApp personil",
    build=build_personnel_data, render=render_registration, to_json=registration_json,
    modes=("all", "done", "not-done")))
