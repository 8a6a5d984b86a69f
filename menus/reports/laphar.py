"""`laphar`: the daily engagement report of a directorate (reference §3.6), both platforms.

One narrative message (totals and Top/Bottom satker by Σ posts engaged, the directorate
itself excluded), plus per platform the full "All" text file and the "Belum" text file.
The per-satker "likes" / "komentar" figure is Σ over the satker's people of the posts they
engaged with (reference §2.11), never the platform's raw counts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cicero.clock import Period, clock
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
from menus.reports.base import Rendered, ReportFile, ReportRequest, ReportSpec, register
from menus.reports.common import (
    CLOSING,
    LIST_STATUSES,
    STATUS_ICONS,
    STATUS_NAMES,
    handle,
    no_content,
    post_links,
    words,
)
from menus.reports.structured import attendance_json, rows_json
from storage.attendance import Attendance, PersonResult, Status
from storage.engagement_summary import (
    LAPHAR_TARGET_SHARE,
    Laphar,
    LapharPlatform,
    SatkerTally,
    build_laphar,
)

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


def period_phrase(period: Period) -> str:
    """'hari Sabtu, 06 Desember 2025' or 'periode 01 Desember 2025 - 07 Desember 2025'."""
    kind = "hari" if period.start == period.end else "periode"
    return f"{kind} {period_label(period.start, period.end)}"


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


def _narrative(data: Laphar, request: ReportRequest) -> str:
    client = data.instagram.attendance.client.name
    moment = business_moment(request)
    lines = ["Mohon ijin Komandan,", "",
             f"Berikut rekap singkat likes Instagram dan komentar TikTok personel {client} "
             f"{period_phrase(request.period)} pukul {hour_minute(moment)} WIB.", ""]
    for section in data:
        lines += [*_narrative_section(section), ""]
    files = sum(2 for section in data if section.attendance.has_posts)
    lines += [f"📎 Terlampir {files} berkas .txt: rekap lengkap dan daftar personel belum "
              "lengkap per platform.", "", CLOSING]
    return "\n".join(lines)


# --- the text files --------------------------------------------------------------------------

Handles = dict[str, tuple[str | None, str | None]]  # user_id -> (Instagram, TikTok) username


def _when(period: Period) -> str:
    label = period_label(period.start, period.end)
    return f"Hari: {label}" if period.start == period.end else f"Periode: {label}"


def _file_header(attendance: Attendance, request: ReportRequest, title: str) -> list[str]:
    return ["Mohon ijin Komandan,", "", f"📋 {bold(title)}", bold(attendance.client.name),
            _when(request.period), f"Jam: {clock_time(business_moment(request))} WIB", "",
            f"Jumlah konten: {number(len(attendance.posts))} ({policy_note(attendance)})",
            "Daftar link konten:",
            *dash_list(post_links(attendance)), ""]


def _person_line(person: PersonResult, handles: Handles) -> str:
    label = person_label(person.rank, person.name)
    if person.status in (Status.DONE, Status.PARTIAL):
        return f"{label}, {person.engaged}/{person.posts} konten"
    if person.status == Status.NONE:
        return f"{label}, {handle(person.username, 'Kosong')}"
    instagram, tiktok = handles.get(person.user_id, (None, None))
    return f"{label}, IG {handle(instagram, 'Kosong')}, TikTok {handle(tiktok, 'Kosong')}"


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


def _handles(data: Laphar) -> Handles:
    tiktok = {p.user_id: p.username for p in data.tiktok.attendance.people}
    handles: Handles = {p.user_id: (p.username, tiktok.get(p.user_id))
                        for p in data.instagram.attendance.people}
    for user_id, username in tiktok.items():
        handles.setdefault(user_id, (None, username))
    return handles


# --- the report ------------------------------------------------------------------------------


def render_laphar(data: Laphar, request: ReportRequest) -> Rendered:
    if not any(section.attendance.has_posts for section in data):
        client = data.instagram.attendance.client.name
        return Rendered([no_content("Instagram maupun TikTok", client, request.period)])
    handles = _handles(data)
    files = []
    for section in data:
        attendance = section.attendance
        if attendance.has_posts:
            files += [
                ReportFile(_file_name("All", attendance, request),
                           _all_file(section, request, handles).encode()),
                ReportFile(_file_name("Belum", attendance, request),
                           _not_done_file(section, request, handles).encode()),
            ]
    return Rendered(split_message(_narrative(data, request)), files)


def _satker_row(section: LapharPlatform, tally: SatkerTally) -> dict[str, Any]:
    t = tally.totals
    return {"platform": section.attendance.platform.value, "satker": tally.satker_id,
            "name": tally.name, "personnel": t.total, "done": t.done, "partial": t.partial,
            "none": t.none, "no_username": t.no_username, "engaged": tally.engaged,
            "possible": tally.possible,
            "directorate": tally.satker_id == section.attendance.client.client_id}


def laphar_json(data: Laphar, request: ReportRequest) -> dict[str, Any]:
    attendance = data.instagram.attendance
    rows = [_satker_row(section, tally) for section in data for tally in section.satkers]
    ranking = {section.attendance.platform.value: {
        "top": [tally.satker_id for tally in section.top],
        "bottom": [tally.satker_id for tally in section.bottom],
        "engaged": section.engaged, "possible": section.possible,
        "target": section.target, "deficit": section.deficit} for section in data}
    return rows_json("laphar", attendance.client.client_id, attendance.policy.name, request,
                     rows, ranking=ranking,
                     sections=[attendance_json("laphar", section.attendance, request)
                               for section in data])


register(ReportSpec(
    name="laphar",
    description="Laporan harian engagement IG & TikTok per satker (+ berkas .txt)",
    build=build_laphar,
    render=render_laphar,
    to_json=laphar_json,
))
