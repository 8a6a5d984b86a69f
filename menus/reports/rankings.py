"""`top-bottom` (persons, reference §3.8), `personnel-ranking` (persons by likes + comments,
§3.8 dirrequest 31) and `ranking` (satker engagement, §2.11 / §3.8 / §3.9, dirrequest 22, 32).

`top-bottom`: the five persons who engaged with the most and the fewest posts of the period,
per platform; people without a username cannot be measured and are counted apart.
`personnel-ranking`: the persons who engaged most on both platforms together; usually asked
for the all-time period ("semua").
`ranking`: per satker, the share of people who acted (lengkap + kurang) on each platform,
their mean as the score, and the engagement total; the directorate's own staff first, then
the satker by score. The Excel form is `menus.excel.ranking_workbook`, the chart a bar per
satker. With the all-time period it is the Polres ranking of dirrequest 32.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from menus.excel.ranking_workbook import ranking_workbook
from menus.format import (
    bold,
    number,
    percent,
    person_label,
    split_message,
)
from menus.reports.base import DIRECTORATE_ONLY, Rendered, ReportRequest, ReportSpec, register
from menus.reports.common import (
    CLOSING,
    PLATFORM_WORDS,
    no_content,
    period_text,
    words,
)
from menus.reports.laphar import (
    as_of,
    policy_note,
    totals_lines,
)
from menus.reports.report_charts import satker_score_chart
from menus.reports.structured import attendance_json, rows_json
from storage.attendance import Attendance, PersonResult, PopulationKind
from storage.engagement_summary import (
    PersonnelRanking,
    PersonRanking,
    PersonTotal,
    SatkerEngagement,
    SatkerScore,
    SatkerTally,
    TopBottom,
    build_personnel_ranking,
    build_ranking,
    build_top_bottom,
)

# --- top-bottom ------------------------------------------------------------------------------


def _population_phrase(attendance: Attendance) -> str:
    name = attendance.client.name
    if attendance.population.kind == PopulationKind.OWN_STAFF:
        return f"personel {name} (staf sendiri)"
    if attendance.population.kind == PopulationKind.DIRECTORATE:
        return f"seluruh personel {name}"
    return f"personel {name}"


def _ranked_person(position: int, person: PersonResult, metric: str) -> str:
    return (f"{position}. {person_label(person.rank, person.name)} "
            f"({person.satfung} • {person.satker_name}) — {number(person.engaged)} {metric}")


def _ranking_section(ranking: PersonRanking) -> list[str]:
    attendance = ranking.attendance
    w = words(attendance)
    heading = f"{w.icon} {bold(w.name)}"
    if not attendance.has_posts:
        return [heading, no_content(w.name, attendance.client.name, attendance.period)]
    ranked = len(attendance.people) - len(ranking.unranked)
    lines = [f"{heading} — {number(len(attendance.posts))} tugas (konten), "
             f"{number(ranked)} pers diperingkat",
             f"🔥 {bold(f'{len(ranking.top)} Pelaksana Tertinggi')}",
             *([_ranked_person(n, p, w.metric) for n, p in enumerate(ranking.top, 1)] or ["-"]),
             f"❄️ {bold(f'{len(ranking.bottom)} Pelaksana Terendah')}",
             *([_ranked_person(n, p, w.metric) for n, p in enumerate(ranking.bottom, 1)]
               or ["-"])]
    if ranking.unranked:
        lines.append(f"⚠️❌ Belum input username {w.name} (tidak diperingkat): "
                     f"{number(len(ranking.unranked))} pers")
    return lines


def render_top_bottom(data: TopBottom, request: ReportRequest) -> Rendered:
    attendance = data.instagram.attendance
    if not any(ranking.attendance.has_posts for ranking in data):
        return Rendered([no_content("Instagram maupun TikTok", attendance.client.name,
                                    request.period)])
    lines = [f"📊 {bold('Laporan Teratas dan Terbawah Instagram & TikTok')}",
             f"Cakupan: {_population_phrase(attendance)}",
             f"🗓️ Periode: {period_text(request)}",
             as_of(request), ""]
    for ranking in data:
        lines += [*_ranking_section(ranking), ""]
    lines.append(CLOSING)
    return Rendered(split_message("\n".join(lines)))


def _person_row(platform: str, place: str, position: int, person: PersonResult) -> dict[str, Any]:
    return {"platform": platform, "list": place, "position": position,
            "user_id": person.user_id, "name": person.name, "rank": person.rank,
            "satker": person.satker_id, "satfung": person.satfung, "engaged": person.engaged,
            "posts": person.posts}


def top_bottom_json(data: TopBottom, request: ReportRequest) -> dict[str, Any]:
    attendance = data.instagram.attendance
    rows = [_person_row(ranking.attendance.platform.value, place, position, person)
            for ranking in data
            for place, people in (("top", ranking.top), ("bottom", ranking.bottom))
            for position, person in enumerate(people, 1)]
    return rows_json("top-bottom", attendance.client.client_id, attendance.policy.name,
                     request, rows, population=attendance.population.kind.value,
                     sections=[attendance_json("top-bottom", ranking.attendance, request)
                               for ranking in data])


# --- personnel-ranking -----------------------------------------------------------------------

PERSONNEL_RANKING_SIZE = 20


def _person_total_lines(position: int, entry: PersonTotal) -> list[str]:
    person = entry.person
    return [f"{position}. {bold(person_label(person.rank, person.name))} (NRP {person.user_id})",
            f"   {person.satker_name} — total {number(entry.total)} "
            f"(like {number(entry.likes)} | komentar {number(entry.comments)})"]


def render_personnel_ranking(data: PersonnelRanking, request: ReportRequest) -> Rendered:
    ig, tt = data.pair.instagram, data.pair.tiktok
    client = ig.client.name
    if not (ig.has_posts or tt.has_posts):
        return Rendered([no_content("Instagram maupun TikTok", client, request.period)])
    shown = data.ranked[:PERSONNEL_RANKING_SIZE]
    lines = [f"📊 {bold('Top Ranking Like & Komentar Personel')}", bold(client),
             f"🗓️ Periode: {period_text(request)}", as_of(request),
             f"{PLATFORM_WORDS['instagram'].icon} Konten Instagram: {number(len(ig.posts))} · "
             f"{PLATFORM_WORDS['tiktok'].icon} Konten TikTok: {number(len(tt.posts))}",
             f"👥 Personel yang memberi like atau komentar: {number(len(data.ranked))} dari "
             f"{number(data.population)} pers", ""]
    if not shown:
        lines.append("Belum ada personel yang memberi like atau komentar pada periode ini.")
    for position, entry in enumerate(shown, 1):
        lines += _person_total_lines(position, entry)
    if len(data.ranked) > len(shown):
        lines += ["", f"Ditampilkan {len(shown)} teratas dari {number(len(data.ranked))} "
                      "personel."]
    if data.exceptions:
        lines += ["", f"⚠️ {number(data.exceptions)} personel pengecualian (selalu dihitung "
                      "lengkap) tidak diperingkat."]
    lines += ["", CLOSING]
    return Rendered(split_message("\n".join(lines)))


def personnel_ranking_json(data: PersonnelRanking, request: ReportRequest) -> dict[str, Any]:
    ig = data.pair.instagram
    rows = [{"position": position, "user_id": e.person.user_id, "name": e.person.name,
             "rank": e.person.rank, "satker": e.person.satker_id, "satfung": e.person.satfung,
             "likes": e.likes, "comments": e.comments, "total": e.total}
            for position, e in enumerate(data.ranked, 1)]
    return rows_json("personnel-ranking", ig.client.client_id, ig.policy.name, request, rows,
                     population=data.population, exceptions=data.exceptions,
                     sections=[attendance_json("personnel-ranking", attendance, request)
                               for attendance in data.pair])


# --- ranking of satker -----------------------------------------------------------------------


def _platform_rate(tally: SatkerTally, name: str) -> str:
    if not tally.posts:
        return f"{name} tidak ada konten"
    return f"{name} {percent(tally.acted_rate)} ({number(tally.totals.acted)}/" \
           f"{number(tally.totals.total)})"


def _satker_block(label: str, satker: SatkerScore) -> list[str]:
    return [f"{label} — skor {percent(satker.score)}",
            f"   {_platform_rate(satker.instagram, 'IG')} · "
            f"{_platform_rate(satker.tiktok, 'TikTok')}",
            f"   Like {number(satker.instagram.engaged)} | Komentar "
            f"{number(satker.tiktok.engaged)} | Total {number(satker.engagement_total)}"]


def _class_totals(attendance: Attendance) -> list[str]:
    w = words(attendance)
    heading = f"{w.icon} {bold(w.name)}"
    if not attendance.has_posts:
        return [f"{heading}: tidak ada konten pada periode ini."]
    return [f"{heading} ({policy_note(attendance)})", *totals_lines(attendance)]


def render_ranking(data: SatkerEngagement, request: ReportRequest) -> Rendered:
    ig, tt = data.pair.instagram, data.pair.tiktok
    client = ig.client.name
    if not (ig.has_posts or tt.has_posts):
        return Rendered([no_content("Instagram maupun TikTok", client, request.period)])
    lines = [f"📊 {bold(f'Ranking Engagement Satker {client}')}",
             f"🗓️ Periode: {period_text(request)}",
             as_of(request),
             f"{PLATFORM_WORDS['instagram'].icon} Konten Instagram: {number(len(ig.posts))} · "
             f"{PLATFORM_WORDS['tiktok'].icon} Konten TikTok: {number(len(tt.posts))}",
             f"👥 Personel: {number(ig.totals.total)} pers",
             "Skor = rata-rata persentase personel yang sudah melaksanakan (lengkap + kurang) "
             "di Instagram dan TikTok; platform tanpa konten tidak dihitung.", ""]
    if data.directorate is not None:
        lines += [f"🏛️ {bold('Satker induk')}",
                  *_satker_block(bold(data.directorate.name), data.directorate), ""]
    lines.append(f"🔥 {bold('Peringkat Satker')}")
    ranked = data.ranked
    for position, satker in enumerate(ranked, 1):
        lines += _satker_block(f"{position}. {bold(satker.name)}", satker)
    if not ranked:
        lines.append("-")
    lines += ["", *_class_totals(ig), "", *_class_totals(tt), "", CLOSING]
    return Rendered(split_message("\n".join(lines)))


def _score_row(satker: SatkerScore) -> dict[str, Any]:
    row: dict[str, Any] = {"satker": satker.satker_id, "name": satker.name,
                           "directorate": satker.is_directorate,
                           "personnel": satker.personnel, "score": round(satker.score, 4),
                           "engagement_total": satker.engagement_total}
    for key, tally in (("instagram", satker.instagram), ("tiktok", satker.tiktok)):
        t = tally.totals
        row[key] = {"posts": tally.posts, "done": t.done, "partial": t.partial, "none": t.none,
                    "no_username": t.no_username, "acted": t.acted,
                    "acted_rate": round(tally.acted_rate, 4) if tally.posts else None,
                    "engaged": tally.engaged}
    return row


def satker_scores_json(report: str, data: SatkerEngagement, request: ReportRequest,
                       satkers: list[SatkerScore] | None = None,
                       row_extra: Callable[[SatkerScore], dict[str, Any]] | None = None
                       ) -> dict[str, Any]:
    """rows = one per satker (`satkers`, default all), sections = both attendances."""
    ig = data.pair.instagram
    rows = [{**_score_row(satker), **(row_extra(satker) if row_extra else {})}
            for satker in (data.satkers if satkers is None else satkers)]
    return rows_json(report, ig.client.client_id, ig.policy.name, request, rows,
                     sections=[attendance_json(report, attendance, request)
                               for attendance in data.pair])


def ranking_json(data: SatkerEngagement, request: ReportRequest) -> dict[str, Any]:
    return satker_scores_json("ranking", data, request)


register(ReportSpec(
    name="top-bottom",
    description="5 personel tertinggi dan terendah IG & TikTok per periode",
    build=build_top_bottom,
    render=render_top_bottom,
    to_json=top_bottom_json,
))

register(ReportSpec(
    name="personnel-ranking",
    description="Ranking personel: like + komentar terbanyak (biasanya --period all)",
    build=build_personnel_ranking,
    render=render_personnel_ranking,
    to_json=personnel_ranking_json,
))

register(ReportSpec(
    name="ranking",
    description="Ranking engagement satker/Polres IG & TikTok (+ Excel, grafik)",
    build=build_ranking,
    render=render_ranking,
    to_json=ranking_json,
    workbook=ranking_workbook,
    chart=satker_score_chart,
    client_types=DIRECTORATE_ONLY,
))
