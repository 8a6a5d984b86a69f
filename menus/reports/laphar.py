"""`laphar`: the daily engagement report of a directorate (reference §3.6), both platforms;
`laphar-ig` and `laphar-tiktok`: the same for one platform (dirrequest 17, 18).

One narrative message (totals and Top/Bottom satker by Σ posts engaged, the directorate
itself excluded), plus per platform the full "All" text file and the "Belum" text file, and
the recap workbook (one sheet per satker; laphar's holds both platforms). The per-satker
"likes" / "komentar" figure is Σ over the satker's people of the posts they engaged with
(reference §2.11), never the platform's raw counts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from cicero.clock import clock
from menus.excel.attendance_workbooks import attendances_workbook
from menus.format import (
    bold,
    clock_time,
    dash_list,
    day_name,
    hour_minute,
    italic,
    number,
    period_label,
    person_label,
    share,
    split_message,
)
from menus.reports.base import (
    DIRECTORATE_ONLY,
    Rendered,
    ReportFile,
    ReportRequest,
    ReportSpec,
    register,
)
from menus.reports.common import (
    CLOSING,
    LIST_STATUSES,
    STATUS_ICONS,
    handle,
    no_content,
    period_text,
    post_links,
    words,
)
from menus.reports.report_charts import laphar_platform_chart
from menus.reports.structured import attendance_json, rows_json
from menus.status_words import STATUS_NAMES
from storage.attendance import Attendance, PersonResult, Status
from storage.engagement_summary import (
    LAPHAR_TARGET_SHARE,
    Laphar,
    LapharPlatform,
    SatkerTally,
    build_laphar,
    laphar_builder,
)
from storage.models import Platform

# --- wording shared by the engagement reports (laphar, rankings, kasat) ----------------------


def business_moment(request: ReportRequest) -> datetime:
    return request.generated_at.astimezone(clock.tz)


def as_of(request: ReportRequest) -> str:
    """'Data per Sabtu, 06 Desember 2025 pukul 19.05 WIB'; only the time for a report of
    that same single day."""
    moment = business_moment(request)
    period = request.period
    if period.start == period.end == moment.date():
        return f"Data per pukul {hour_minute(moment)} WIB"
    return f"Data per {period_label(moment.date(), moment.date())} pukul " \
           f"{hour_minute(moment)} WIB"


def period_phrase(request: ReportRequest) -> str:
    """'hari Sabtu, 06 Desember 2025', 'periode 01 Desember 2025 - 07 Desember 2025' or
    'periode semua (…)'."""
    period = request.period
    kind = "hari" if period.start == period.end and not request.all_time else "periode"
    return f"{kind} {period_text(request)}"


def status_heading(status: Status, count: int) -> str:
    """'✅ *Lengkap (5 pers):*'."""
    return f"{STATUS_ICONS[status]} {bold(f'{STATUS_NAMES[status]} ({number(count)} pers):')}"


def totals_lines(attendance: Attendance) -> list[str]:
    """The four classes, each on its own line, then "sudah melaksanakan" named as acted."""
    totals = attendance.totals
    return [*(f"{STATUS_ICONS[status]} {STATUS_NAMES[status]}: "
              f"{number(totals.count(status))} pers" for status in LIST_STATUSES),
            f"✅ Sudah melaksanakan (lengkap + kurang): {number(totals.acted)} pers"]


def policy_note(attendance: Attendance) -> str:
    posts = len(attendance.posts)
    return f"Lengkap = minimal {attendance.policy.required(posts)} dari {posts} konten"


# --- the narrative ---------------------------------------------------------------------------


def _tally_line(position: int, tally: SatkerTally, metric: str) -> str:
    return (f"{position}. {tally.name} – {number(tally.engaged)} {metric} "
            f"({share(tally.engaged, tally.possible)})")


def _narrative_section(section: LapharPlatform) -> list[str]:
    attendance = section.attendance
    w = words(attendance)
    heading = f"{w.icon} {bold(f'{w.name} ({attendance.client.name})')}"
    if not attendance.has_posts:
        return [heading, no_content(w.name, attendance.client.name, attendance.period)]
    return [heading,
            f"Konten: {number(len(attendance.posts))} · Personel: "
            f"{number(attendance.totals.total)} pers",
            policy_note(attendance),
            *totals_lines(attendance),
            f"{w.metric_icon} Total {w.metric} personel: {number(section.engaged)} dari "
            f"{number(section.possible)} ({share(section.engaged, section.possible)})",
            f"🎯 Target {number(LAPHAR_TARGET_SHARE * 100)}%: {number(section.target)} "
            f"{w.metric}, kurang {number(section.deficit)} {w.metric}",
            "",
            f"🔥 {bold(f'Top {len(section.top)} {w.metric.capitalize()}')}",
            *([_tally_line(n, t, w.metric) for n, t in enumerate(section.top, 1)] or ["-"]),
            f"❄️ {bold(f'Bottom {len(section.bottom)} {w.metric.capitalize()}')}",
            *([_tally_line(n, t, w.metric) for n, t in enumerate(section.bottom, 1)] or ["-"])]


def _narrative(sections: list[LapharPlatform], request: ReportRequest) -> str:
    client = sections[0].attendance.client.name
    moment = business_moment(request)
    subjects = " dan ".join(f"{words(s.attendance).metric} {words(s.attendance).name}"
                            for s in sections)
    lines = ["Mohon ijin Komandan,", "",
             f"Berikut rekap singkat {subjects} personel {client} "
             f"{period_phrase(request)} pukul {hour_minute(moment)} WIB.", ""]
    for section in sections:
        lines += [*_narrative_section(section), ""]
    files = sum(2 for section in sections if section.attendance.has_posts)
    per_platform = " per platform" if len(sections) > 1 else ""
    lines += [f"📎 Terlampir {files} berkas .txt (rekap lengkap dan daftar personel belum "
              f"lengkap{per_platform}) dan 1 berkas Excel rekap per satker.", "", CLOSING]
    return "\n".join(lines)


# --- the text files --------------------------------------------------------------------------

Handles = dict[str, dict[str, str | None]]  # user_id -> platform -> username (platforms shown)
HANDLE_NAMES = {"instagram": "IG", "tiktok": "TikTok"}


def _when(request: ReportRequest) -> str:
    period = request.period
    single_day = period.start == period.end and not request.all_time
    return f"{'Hari' if single_day else 'Periode'}: {period_text(request)}"


def _file_header(attendance: Attendance, request: ReportRequest, title: str) -> list[str]:
    return ["Mohon ijin Komandan,", "", f"📋 {bold(title)}", bold(attendance.client.name),
            _when(request), f"Jam: {clock_time(business_moment(request))} WIB", "",
            f"Jumlah konten: {number(len(attendance.posts))} ({policy_note(attendance)})",
            "Daftar link konten:",
            *dash_list(post_links(attendance)), ""]


def _person_line(person: PersonResult, handles: Handles) -> str:
    label = person_label(person.rank, person.name)
    if person.status in (Status.DONE, Status.PARTIAL):
        return f"{label}, {person.engaged}/{person.posts} konten"
    if person.status == Status.NONE:
        return f"{label}, {handle(person.username, 'Kosong')}"
    known = handles.get(person.user_id, {})
    return ", ".join([label, *(f"{HANDLE_NAMES[platform]} {handle(username, 'Kosong')}"
                               for platform, username in known.items())])


def _status_lists(people: list[PersonResult], statuses: tuple[Status, ...],
                  handles: Handles) -> list[str]:
    lines: list[str] = []
    for status in statuses:
        members = [person for person in people if person.status == status]
        lines += [status_heading(status, len(members)),
                  *dash_list([_person_line(person, handles) for person in members])]
    return lines


def _all_file(section: LapharPlatform, request: ReportRequest, handles: Handles) -> str:
    attendance = section.attendance
    w = words(attendance)
    groups = {group.key: group for group in attendance.by_satker()}
    lines = [*_file_header(attendance, request, w.recap_title),
             f"👥 Jumlah personel: {number(attendance.totals.total)} pers",
             *totals_lines(attendance),
             f"Total {w.metric} personel: {number(section.engaged)} dari "
             f"{number(section.possible)} ({share(section.engaged, section.possible)})",
             "", italic("Kesatuan : Jumlah personel / Lengkap / Kurang / Belum / "
                        "Belum input username")]
    for position, tally in enumerate(section.satkers, 1):
        t = tally.totals
        lines += ["", f"{position}. {bold(tally.name)} : {t.total} / {t.done} / {t.partial} / "
                      f"{t.none} / {t.no_username}",
                  f"{w.metric.capitalize()} personel: {number(tally.engaged)} dari "
                  f"{number(tally.possible)} ({share(tally.engaged, tally.possible)})",
                  *_status_lists(groups[tally.satker_id].people, LIST_STATUSES, handles)]
    lines += ["", f"📊 {bold(f'Distribusi {w.metric} per konten:')}"]
    for position, (post, link) in enumerate(zip(attendance.posts, post_links(attendance),
                                                 strict=True), 1):
        lines.append(f"{position}. {link} — {number(section.post_personnel[post.id])} "
                     f"personel, {number(post.engagers)} akun total")
    lines += [f"Jumlah: {number(section.engaged)} {w.metric} personel", "", CLOSING]
    return "\n".join(lines)


_NOT_DONE = (Status.PARTIAL, Status.NONE, Status.NO_USERNAME)


def _not_done_file(section: LapharPlatform, request: ReportRequest, handles: Handles) -> str:
    attendance = section.attendance
    w = words(attendance)
    lines = [*_file_header(attendance, request, f"Personel Belum Lengkap {w.metric.capitalize()}"
                           f" {w.name}"),
             f"Belum lengkap: {number(len(attendance.with_status(*_NOT_DONE)))} dari "
             f"{number(attendance.totals.total)} pers",
             "", italic("Kesatuan : Kurang / Belum / Belum input username")]
    position = 0
    for group in attendance.by_satker():
        t = group.totals
        if not (t.partial or t.none or t.no_username):
            continue
        position += 1
        lines += ["", f"{position}. {bold(group.name)} : {t.partial} / {t.none} / "
                      f"{t.no_username}",
                  *_status_lists(group.people, _NOT_DONE, handles)]
    if not position:
        lines += ["", "Semua personel sudah lengkap."]
    lines += ["", CLOSING]
    return "\n".join(lines)


def _file_name(kind: str, attendance: Attendance, request: ReportRequest) -> str:
    moment = business_moment(request)
    stamp = f"{day_name(moment.date())}_{moment.day}-{moment.month}-{moment.year}_" \
            f"{moment:%H-%M-%S}"
    return f"Absensi_{kind}_Engagement_{words(attendance).file_word}_{stamp}.txt"


def _handles(sections: list[LapharPlatform]) -> Handles:
    """The usernames of everyone a roster lists, on every platform of the report."""
    handles: Handles = {}
    for section in sections:
        platform = section.attendance.platform.value
        for person in section.attendance.people:
            handles.setdefault(person.user_id, {})[platform] = person.username
    return handles


# --- the report ------------------------------------------------------------------------------


def _render(sections: list[LapharPlatform], request: ReportRequest) -> Rendered:
    with_posts = [section for section in sections if section.attendance.has_posts]
    if not with_posts:
        attendance = sections[0].attendance
        platforms = " maupun ".join(words(s.attendance).name for s in sections)
        return Rendered([no_content(platforms, attendance.client.name, request.period)])
    handles = _handles(sections)
    files = []
    for section in with_posts:
        attendance = section.attendance
        files += [
            ReportFile(_file_name("All", attendance, request),
                       _all_file(section, request, handles).encode()),
            ReportFile(_file_name("Belum", attendance, request),
                       _not_done_file(section, request, handles).encode()),
        ]
    files.append(_workbook(with_posts, request))
    return Rendered(split_message(_narrative(sections, request)), files)


def _workbook(sections: list[LapharPlatform], request: ReportRequest) -> ReportFile:
    return attendances_workbook([section.attendance for section in sections], request)


def render_laphar(data: Laphar, request: ReportRequest) -> Rendered:
    return _render(list(data), request)


def laphar_workbook(data: Laphar, request: ReportRequest) -> ReportFile:
    return _workbook(list(data), request)


def render_laphar_platform(section: LapharPlatform, request: ReportRequest) -> Rendered:
    return _render([section], request)


def laphar_platform_workbook(section: LapharPlatform, request: ReportRequest) -> ReportFile:
    return _workbook([section], request)


def _satker_row(section: LapharPlatform, tally: SatkerTally) -> dict[str, Any]:
    t = tally.totals
    return {"platform": section.attendance.platform.value, "satker": tally.satker_id,
            "name": tally.name, "personnel": t.total, "done": t.done, "partial": t.partial,
            "none": t.none, "no_username": t.no_username, "engaged": tally.engaged,
            "possible": tally.possible,
            "directorate": tally.satker_id == section.attendance.client.client_id}


def _laphar_json(report: str, sections: list[LapharPlatform],
                 request: ReportRequest) -> dict[str, Any]:
    attendance = sections[0].attendance
    rows = [_satker_row(section, tally) for section in sections for tally in section.satkers]
    ranking = {section.attendance.platform.value: {
        "top": [tally.satker_id for tally in section.top],
        "bottom": [tally.satker_id for tally in section.bottom],
        "engaged": section.engaged, "possible": section.possible,
        "target": section.target, "deficit": section.deficit} for section in sections}
    return rows_json(report, attendance.client.client_id, attendance.policy.name, request,
                     rows, ranking=ranking,
                     sections=[attendance_json(report, section.attendance, request)
                               for section in sections])


def laphar_json(data: Laphar, request: ReportRequest) -> dict[str, Any]:
    return _laphar_json("laphar", list(data), request)


def laphar_platform_json(report: str) -> Callable[[LapharPlatform, ReportRequest],
                                                  dict[str, Any]]:
    def to_json(section: LapharPlatform, request: ReportRequest) -> dict[str, Any]:
        return _laphar_json(report, [section], request)

    return to_json


register(ReportSpec(
    name="laphar",
    description="Laporan harian engagement IG & TikTok per satker (+ berkas .txt dan Excel)",
    build=build_laphar,
    render=render_laphar,
    to_json=laphar_json,
    workbook=laphar_workbook,
    client_types=DIRECTORATE_ONLY,
))
for _platform, _name, _description in (
    (Platform.INSTAGRAM, "laphar-ig", "Laporan harian likes Instagram per satker (+ .txt, Excel)"),
    (Platform.TIKTOK, "laphar-tiktok",
     "Laporan harian komentar TikTok per satker (+ .txt, Excel)"),
):
    register(ReportSpec(
        name=_name,
        description=_description,
        build=laphar_builder(_platform),
        render=render_laphar_platform,
        to_json=laphar_platform_json(_name),
        workbook=laphar_platform_workbook,
        chart=laphar_platform_chart,
        client_types=DIRECTORATE_ONLY,
    ))
