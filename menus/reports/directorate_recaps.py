"""Attendance recaps of a directorate (reference §3.2–§3.5).

* `directorate-ig` / `directorate-tiktok`: every member of the directorate,
  counts per home satker only (§3.2, and the DITBINMAS branch of §3.5); their workbook is
  the recap Excel with one sheet per satker (dirrequest 19, 20, 23, 24, 27: a day, a week or
  a month) and their chart the satker bars or the daily trend.
* `simple-ig` / `simple-tiktok`: the directorate's own staff in four name
  lists (§3.3).
* `report-ig` / `report-tiktok`: the directorate's own staff by satfung (§3.4).

Counts and statuses come from the attendance engine; this module arranges them.
"""

from __future__ import annotations

from collections.abc import Callable

from menus.excel.attendance_workbooks import attendance_workbook
from menus.format import bold, number, person_label, share
from menus.reports.base import DIRECTORATE_ONLY, Rendered, ReportRequest, ReportSpec, register
from menus.reports.common import (
    CLOSING,
    SALUTATION,
    STATUS_ICONS,
    handle,
    json_of,
    pers,
    render_text,
    words,
)
from menus.reports.report_charts import attendance_chart
from menus.reports.satker_recaps import (
    attendance_without_content,
    no_content_recap,
    posts_lines,
    ratio,
    satfung_title,
    stamp_lines,
)
from menus.status_words import STATUS_NAMES
from storage.attendance import (
    Attendance,
    PersonResult,
    PopulationKind,
    Status,
    Totals,
    attendance_builder,
)
from storage.models import Platform


def _header(attendance: Attendance, request: ReportRequest, title: str) -> list[str]:
    return [SALUTATION, "", f"📋 {bold(title)}", bold(attendance.client.name),
            *stamp_lines(request), "", *posts_lines(attendance)]


def _acted_lines(totals: Totals) -> list[str]:
    """Overall totals where "sudah melaksanakan" is lengkap + kurang, each also shown."""
    return [
        f"Jumlah personel: {pers(totals.total)}",
        f"✅ Sudah melaksanakan (lengkap + kurang): {pers(totals.acted)}",
        f"   ✅ Lengkap: {pers(totals.done)}",
        f"   ⚠️ Kurang: {pers(totals.partial)}",
        f"❌ Belum: {pers(totals.none)}",
        f"⚠️❌ Belum input username: {pers(totals.no_username)}",
    ]


# --- directorate-ig / directorate-tiktok -----------------------------------------------------


def render_directorate(attendance: Attendance, request: ReportRequest) -> Rendered:
    """§3.2: overall totals, then one block of counts per satker (no names)."""
    if not attendance.has_posts:
        return no_content_recap(attendance, request)
    platform_words = words(attendance)
    title = f"Rekap Akumulasi {platform_words.engagement} {platform_words.name}"
    lines = _header(attendance, request, title)
    lines += ["", *_acted_lines(attendance.totals), "",
              bold("Rekap per satker") + " (direktorat, lalu capaian lengkap tertinggi):"]
    for index, group in enumerate(attendance.by_satker(), start=1):
        totals = group.totals
        lines += ["", f"{index}. {bold(group.name)} (lengkap {share(totals.done, totals.total)})",
                  f"   Personel: {pers(totals.total)}",
                  f"   ✅ Sudah melaksanakan: {pers(totals.acted)} "
                  f"(lengkap {number(totals.done)}, kurang {number(totals.partial)})",
                  f"   ❌ Belum: {pers(totals.none)}",
                  f"   ⚠️❌ Belum input username: {pers(totals.no_username)}"]
    lines += ["", CLOSING]
    return render_text(lines)


# --- simple-ig / simple-tiktok ---------------------------------------------------------------


def _simple_line(person: PersonResult) -> str:
    label = person_label(person.rank, person.name)
    return f"- {label} ({ratio(person)})" if person.status == Status.PARTIAL else f"- {label}"


def render_simple(attendance: Attendance, request: ReportRequest) -> Rendered:
    """§3.3: totals and four plain name lists of the directorate's own staff."""
    if not attendance.has_posts:
        return no_content_recap(attendance, request)
    platform_words = words(attendance)
    totals = attendance.totals
    lines = _header(attendance, request,
                    f"Rekap Akumulasi {platform_words.engagement} {platform_words.name} (Simple)")
    lines += ["", f"Jumlah personel: {pers(totals.total)}",
              *(f"{STATUS_ICONS[status]} {STATUS_NAMES[status]}: {pers(count)}"
                for status, count in ((Status.DONE, totals.done), (Status.PARTIAL, totals.partial),
                                      (Status.NONE, totals.none),
                                      (Status.NO_USERNAME, totals.no_username)))]
    sections = (("✅", STATUS_NAMES[Status.DONE], Status.DONE),
                ("⚠️", STATUS_NAMES[Status.PARTIAL], Status.PARTIAL),
                ("❌", STATUS_NAMES[Status.NONE], Status.NONE),
                ("⚠️❌", f"Belum input username {platform_words.name}", Status.NO_USERNAME))
    for icon, label, status in sections:
        people = attendance.with_status(status)
        lines += ["", f"{icon} {bold(f'{label} ({pers(len(people))}):')}",
                  *([_simple_line(person) for person in people] or ["-"])]
    return render_text(lines)


# --- report-ig / report-tiktok ---------------------------------------------------------------


def render_by_satfung(attendance: Attendance, request: ReportRequest) -> Rendered:
    """§3.4: overall totals, then one numbered entry per satfung with its lists."""
    if not attendance.has_posts:
        return no_content_recap(attendance, request)
    platform_words = words(attendance)
    lines = _header(attendance, request,
                    f"Rekap {platform_words.engagement} {platform_words.name} per Satfung")
    lines += ["", *_acted_lines(attendance.totals)]
    for index, group in enumerate(attendance.by_satfung(), start=1):
        totals = group.totals
        lines += ["", f"{index}. {bold(satfung_title(group))} ({pers(totals.total)}, "
                      f"lengkap {share(totals.done, totals.total)})"]
        done = [p for p in group.people if p.status == Status.DONE]
        lines += [f"✅ Lengkap ({pers(len(done))}):",
                  *([f"- {person_label(p.rank, p.name)}, {ratio(p)}" for p in done] or ["-"])]
        sections = (
            ("⚠️ Kurang", Status.PARTIAL, ratio),
            (f"❌ Belum {platform_words.verb}", Status.NONE, lambda p: handle(p.username)),
            ("⚠️❌ Belum input username", Status.NO_USERNAME,
             lambda p: f"username {platform_words.name} kosong"),
        )
        for label, status, detail in sections:
            people = [p for p in group.people if p.status == status]
            if people:
                lines += [f"{label} ({pers(len(people))}):",
                          *[f"- {person_label(p.rank, p.name)}, {detail(p)}" for p in people]]
    lines += ["", CLOSING]
    return render_text(lines)


# --- registration ----------------------------------------------------------------------------

Renderer = Callable[[Attendance, ReportRequest], Rendered]


def _spec(name: str, kind: PopulationKind, platform: Platform, render: Renderer,
          description: str, *, forms: bool = False) -> None:
    """`forms`: the recap also has its workbook (one sheet per satker) and its chart."""
    register(ReportSpec(name=name, description=description,
                        build=attendance_builder(name, kind, platform, per_day=forms),
                        render=render, to_json=json_of(name),
                        workbook=attendance_workbook if forms else None,
                        chart=attendance_chart if forms else None,
                        without_content=attendance_without_content,
                        client_types=DIRECTORATE_ONLY))


_DIRECTORATE, _OWN = PopulationKind.DIRECTORATE, PopulationKind.OWN_STAFF
_IG, _TT = Platform.INSTAGRAM, Platform.TIKTOK
_spec("directorate-ig", _DIRECTORATE, _IG, render_directorate,
      "Rekap likes Instagram direktorat per satker (+ Excel per satker, grafik)", forms=True)
_spec("directorate-tiktok", _DIRECTORATE, _TT, render_directorate,
      "Rekap komentar TikTok direktorat per satker (+ Excel per satker, grafik)", forms=True)
_spec("simple-ig", _OWN, _IG, render_simple, "Rekap likes Instagram staf direktorat (Simple)")
_spec("simple-tiktok", _OWN, _TT, render_simple, "Rekap komentar TikTok staf direktorat (Simple)")
_spec("report-ig", _OWN, _IG, render_by_satfung,
      "Rekap likes Instagram staf direktorat per satfung")
_spec("report-tiktok", _OWN, _TT, render_by_satfung,
      "Rekap komentar TikTok staf direktorat per satfung")
