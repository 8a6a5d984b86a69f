"""`incomplete-personnel` (dirrequest menu 3): every active person whose Instagram or TikTok
is still empty, per satker for a directorate (per satfung for an ORG satker), so the
commander can tell each satker who still has to fill in their data."""

from __future__ import annotations

from typing import Any

from menus.format import bold, dash_list, person_label, split_message
from menus.reports.base import Rendered, ReportRequest, ReportSpec, register
from menus.reports.common import CLOSING, pers
from menus.reports.personnel_data import missing_handles, no_personnel
from menus.reports.structured import rows_json
from storage.attendance import PopulationKind
from storage.personnel_stats import PersonData, PersonnelData, build_personnel_lists


def _line(person: PersonData) -> str:
    return f"{person_label(person.rank, person.name)}: {missing_handles(person)}"


def _groups(data: PersonnelData, incomplete: list[PersonData]) -> list[tuple[str, list]]:
    """(satker or satfung name, its incomplete people) in the report's order."""
    if data.kind != PopulationKind.DIRECTORATE:
        return data.by_satfung(incomplete)
    by_satker: dict[str, list[PersonData]] = {}
    for person in incomplete:
        by_satker.setdefault(person.satker_id, []).append(person)
    return [(unit.name, by_satker[unit.key]) for unit in data.satkers if unit.key in by_satker]


def render_incomplete(data: PersonnelData, request: ReportRequest) -> Rendered:
    totals = data.totals
    if not totals.total:
        return no_personnel(data)
    incomplete = [person for person in data.people if not person.complete]
    lines = [f"📋 {bold('Personil belum lengkap datanya')} — {bold(data.client.name)}",
             f"❌ {pers(len(incomplete))} dari {pers(totals.total)} belum mengisi Instagram "
             f"dan/atau TikTok."]
    if not incomplete:
        lines += ["", "✅ Semua personil sudah lengkap."]
    for name, people in _groups(data, incomplete):
        lines += ["", f"{bold(name)} ({pers(len(people))}):", *dash_list(
            [_line(person) for person in people])]
    return Rendered(split_message("\n".join([*lines, "", CLOSING])))


def incomplete_json(data: PersonnelData, request: ReportRequest) -> dict[str, Any]:
    rows = [{"user_id": p.user_id, "name": p.name, "rank": p.rank, "satker": p.satker_id,
             "satfung": p.satfung, "instagram": p.has_instagram, "tiktok": p.has_tiktok}
            for p in data.people if not p.complete]
    return rows_json("incomplete-personnel", data.client.client_id, None, request, rows,
                     totals={"personnel": data.totals.total, "incomplete": len(rows)})


register(ReportSpec(
    name="incomplete-personnel",
    description="Daftar personil yang Instagram/TikTok-nya belum terisi, per satker",
    build=build_personnel_lists, render=render_incomplete, to_json=incomplete_json))
