"""`kasat-attendance`: the Kasatker attendance (reference §3.11, dirrequest 33).

Every detected Kasat Binmas of the directorate with their Instagram and TikTok status
(policy `all`), most posts engaged first, then the directorate's Polres where no Kasat Binmas
is detected. Pure renderers of `storage.kasat_attendance.KasatAttendance`.
"""

from __future__ import annotations

from typing import Any

from menus.format import bold, dash_list, number, person_label, split_message
from menus.reports.base import DIRECTORATE_ONLY, Rendered, ReportRequest, ReportSpec, register
from menus.reports.common import CLOSING, STATUS_ICONS, no_content, period_text
from menus.reports.laphar import as_of
from menus.reports.structured import attendance_json, rows_json
from storage.attendance import Attendance, PersonResult, Status
from storage.kasat_attendance import KasatAttendance, KasatStatus, build_kasat_attendance
from storage.ordering import person_key


def _platform_status(name: str, person: PersonResult, attendance: Attendance) -> str:
    if not attendance.has_posts:
        return f"{name} - (tidak ada konten)"
    if person.status == Status.NO_USERNAME:
        return f"{name} {STATUS_ICONS[Status.NO_USERNAME]} username kosong"
    return f"{name} {STATUS_ICONS[person.status]} {person.engaged}/{person.posts}"


def _line(position: int, kasat: KasatStatus, data: KasatAttendance) -> str:
    person = kasat.instagram
    return (f"{position}. {person_label(person.rank, person.name)} ({person.satker_name}) — "
            f"{_platform_status('IG', kasat.instagram, data.pair.instagram)} | "
            f"{_platform_status('TT', kasat.tiktok, data.pair.tiktok)}")


def _complete(kasat: KasatStatus, data: KasatAttendance) -> bool:
    """Done on every platform that had posts."""
    return all(status.status == Status.DONE
               for status, attendance in ((kasat.instagram, data.pair.instagram),
                                          (kasat.tiktok, data.pair.tiktok))
               if attendance.has_posts)


def render_kasat_attendance(data: KasatAttendance, request: ReportRequest) -> Rendered:
    ig, tt = data.pair.instagram, data.pair.tiktok
    client = ig.client.name
    if not (ig.has_posts or tt.has_posts):
        return Rendered([no_content("Instagram maupun TikTok", client, request.period)])
    complete = sum(1 for kasat in data.kasat if _complete(kasat, data))
    lines = [f"📋 {bold('Absensi Kasatker (Kasat Binmas)')}", bold(client),
             f"🗓️ Periode: {period_text(request)}",
             f"📈 Konten: Instagram {number(len(ig.posts))} · TikTok {number(len(tt.posts))} "
             "(lengkap = semua konten)",
             f"👥 Kasat Binmas terdeteksi: {number(len(data.kasat))} pers", as_of(request), ""]
    if data.kasat:
        lines += [f"✅ Lengkap di semua platform: {number(complete)}/"
                  f"{number(len(data.kasat))} pers", ""]
        ordered = sorted(data.kasat, key=lambda k: (
            -k.engaged, *person_key(k.instagram.rank, k.instagram.name), k.instagram.user_id))
        lines += [_line(n, kasat, data) for n, kasat in enumerate(ordered, 1)]
    else:
        lines.append("Belum ada personel dengan jabatan Kasat Binmas yang terdeteksi.")
    missing = data.satkers_without_kasat
    lines += ["", f"🚧 {bold(f'Polres tanpa Kasat Binmas terdeteksi ({len(missing)}):')}",
              *dash_list([name for _, name in missing]), "", CLOSING]
    return Rendered(split_message("\n".join(lines)))


def kasat_attendance_json(data: KasatAttendance, request: ReportRequest) -> dict[str, Any]:
    ig = data.pair.instagram
    rows = [{"user_id": k.instagram.user_id, "name": k.instagram.name,
             "rank": k.instagram.rank, "satker": k.instagram.satker_id,
             "instagram": k.instagram.status.value, "tiktok": k.tiktok.status.value,
             "complete": _complete(k, data)} for k in data.kasat]
    return rows_json("kasat-attendance", ig.client.client_id, ig.policy.name, request, rows,
                     satkers_without_kasat=[client_id for client_id, _ in
                                            data.satkers_without_kasat],
                     sections=[attendance_json("kasat-attendance", attendance, request)
                               for attendance in data.pair])


register(ReportSpec(
    name="kasat-attendance",
    description="Absensi Kasatker: status IG & TikTok tiap Kasat Binmas, Polres tanpa Kasat",
    build=build_kasat_attendance,
    render=render_kasat_attendance,
    to_json=kasat_attendance_json,
    client_types=DIRECTORATE_ONLY,
))
