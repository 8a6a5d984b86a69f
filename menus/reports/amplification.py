"""The link amplification recap `amplify` (reference §3.10): per person of an ORG satker, or
per satker of a directorate, how many of the period's Instagram posts were amplified and
with how many links. Pure renderers of `storage.amplification.Amplification`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from menus.excel.amplification_workbook import amplification_workbook
from menus.format import (
    bold,
    dash_list,
    day_name,
    greeting,
    hour_minute,
    italic,
    long_date,
    number,
    period_label,
    person_label,
    post_url,
    split_message,
)
from menus.reports.base import Rendered, ReportRequest, ReportSpec, register
from menus.reports.common import CLOSING, period_text, pers
from menus.reports.structured import rows_json
from storage.amplification import Amplification, AmplifyPerson, build_amplification
from storage.attendance import PopulationKind, Status, Totals
from storage.ordering import person_key, satfung_key

REPORT = "amplify"
SPECIAL_REPORT = "khusus-amplify"
POLICY = "amplify"  # JSON: keeps these statuses apart from likes/comments attendance
PLATFORM = "links"


def _when(request: ReportRequest) -> str:
    period = request.period
    if period.start == period.end:
        return f"pada {period_label(period.start, period.end)}"
    return f"pada periode {period_label(period.start, period.end)}"


@dataclass(frozen=True)
class TaskWords:
    """What the tasks are called: the official posts, or the special tasks (khusus)."""

    duty: str  # "Tugas Amplifikasi"
    count: str  # the line counting the tasks
    none: str  # "konten Instagram" in "Belum ada ..."


REGULAR_WORDS = TaskWords("Tugas Amplifikasi", "📸 Jumlah konten Instagram",
                          "konten Instagram")
SPECIAL_WORDS = TaskWords("Tugas Khusus Amplifikasi", "⭐ Jumlah Konten Tugas Khusus",
                          "tugas khusus")


def task_words(data: Amplification) -> TaskWords:
    return SPECIAL_WORDS if data.source.special else REGULAR_WORDS


def no_tasks(data: Amplification, request: ReportRequest) -> str:
    return f"Belum ada {task_words(data).none} {data.client.name} {_when(request)}."


def header(data: Amplification, request: ReportRequest, subject: str | None = None,
           *, links: bool = True) -> list[str]:
    """Greeting, what is reported (`subject`, default "Pelaksanaan <duty>") and when, the
    number of tasks and, for one day, their links."""
    moment, period = request.generated_at, request.period
    words = task_words(data)
    subject = subject or f"Pelaksanaan {words.duty}"
    lines = [f"{greeting(moment)},", "",
             f"Mohon ijin melaporkan {subject} {bold(data.client.name)} "
             + ("pada hari:" if period.start == period.end else "pada periode:"), ""]
    if period.start == period.end:
        lines += [f"Hari: {day_name(period.start)}", f"Tanggal: {long_date(period.start)}",
                  f"Pukul: {hour_minute(moment)} WIB"]
    else:
        lines += [f"Periode: {period_text(request)}",
                  f"Data per: {day_name(moment.date())}, {long_date(moment.date())} pukul "
                  f"{hour_minute(moment)} WIB"]
    lines += ["", f"{words.count}: {number(len(data.posts))}"]
    if links and period.start == period.end:  # a period's many links: its daily recaps
        for post in data.posts:
            lines += ["", post_url("instagram", post.external_id)]
    return lines


def _totals(totals: Totals, links: int) -> list[str]:
    return [f"👥 Jumlah personil: {pers(totals.total)}",
            f"✅ Lengkap (semua tugas): {pers(totals.done)}",
            f"⚠️ Sebagian: {pers(totals.partial)}",
            f"❌ Belum melaksanakan: {pers(totals.none)}",
            f"✅ Sudah melaksanakan (lengkap + sebagian): {pers(totals.acted)}",
            f"🔗 Jumlah link amplifikasi (5 platform): {number(links)} link"]


def person_line(person: AmplifyPerson) -> str:
    line = (f"{person.satfung} – {person_label(person.rank, person.name)} "
            f"(Sudah: {number(person.tasks_done)} Tugas / Belum: "
            f"{number(person.tasks_pending)} Tugas / Total Link: {number(person.links)} Link)")
    return f"{line} · pengecualian" if person.exception else line


def _by_place(person: AmplifyPerson) -> tuple[Any, ...]:
    return (*satfung_key(person.satfung), *person_key(person.rank, person.name), person.user_id)


def _list(title: str, people: list[AmplifyPerson], note: str | None = None) -> list[str]:
    emoji, _, words = title.partition(" ")
    lines = ["", f"{emoji} {bold(f'{words} ({pers(len(people))})')}"]
    if note and people:
        lines.append(italic(note))
    return lines + dash_list([person_line(person) for person in people])


def render_amplify(data: Amplification, request: ReportRequest) -> Rendered:
    if not data.has_posts:
        return Rendered([no_tasks(data, request)])
    lines = [*header(data, request), "", *_totals(data.totals, data.links)]
    if data.population.kind == PopulationKind.DIRECTORATE:
        lines += ["", bold("Rekap per satker:")]
        for index, satker in enumerate(data.by_satker(), start=1):
            totals = satker.totals
            lines += [f"{index}. {bold(satker.name)} — {pers(totals.total)}",
                      f"   ✅ Lengkap: {number(totals.done)} · ⚠️ Sebagian: "
                      f"{number(totals.partial)} · ❌ Belum: {number(totals.none)} · "
                      f"🔗 {number(satker.links)} link"]
    else:
        if request.mode in ("all", "done"):
            done = sorted(data.with_status(Status.DONE), key=lambda p: (-p.links, *_by_place(p)))
            lines += _list("✅ Sudah Melaksanakan Lengkap", done, "urut dari link terbanyak")
        if request.mode in ("all", "not-done"):
            lines += _list("⚠️ Belum Lengkap",
                           sorted(data.with_status(Status.PARTIAL), key=_by_place))
            lines += _list("❌ Belum Melaksanakan",
                           sorted(data.with_status(Status.NONE), key=_by_place))
    return Rendered(split_message("\n".join([*lines, "", CLOSING])))


def _totals_json(totals: Totals, links: int) -> dict[str, int]:
    return {"personnel": totals.total, "done": totals.done, "partial": totals.partial,
            "none": totals.none, "no_posts": totals.no_posts, "acted": totals.acted,
            "links": links}


def amplify_json(data: Amplification, request: ReportRequest) -> dict[str, Any]:
    rows = [{"satker": satker.key, "name": satker.name, **_totals_json(satker.totals,
                                                                        satker.links)}
            for satker in data.by_satker()]
    extra = {"posts_of": "special"} if data.source.special else {}
    return rows_json(
        SPECIAL_REPORT if data.source.special else REPORT, data.client.client_id, POLICY,
        request, rows,
        platform=PLATFORM, **extra,
        posts=[{"platform": "instagram", "id": post.external_id,
                "url": post_url("instagram", post.external_id), "reporters": post.reporters,
                "links": post.links} for post in data.posts],
        people=[{"user_id": p.user_id, "name": p.name, "rank": p.rank, "satker": p.satker_id,
                 "satfung": p.satfung, "engaged": p.tasks_done, "posts": p.posts,
                 "links": p.links, "exception": p.exception, "status": p.status.value}
                for p in data.people],
        totals=_totals_json(data.totals, data.links))


register(ReportSpec(
    name=REPORT, description="Rekap pelaksanaan tugas amplifikasi link konten Instagram",
    build=build_amplification, render=render_amplify, to_json=amplify_json,
    workbook=amplification_workbook, modes=("all", "done", "not-done")))
