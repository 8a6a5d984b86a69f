"""Kasat Binmas attendance (`kasat-ig`, `kasat-tiktok`, reference §3.11 menus 34/35) and the
Kasatker compliance letter (`kasatker`, menu 30).

Kasat reports: the directorate members whose jabatan is KASAT BINMAS, policy `all`, over
the requested day, week or month; a period without posts is one "no content" sentence (the
reference's TikTok variant called it "complete, no obligation" and fell back to live data).
Kasatker: per satker, the mean of the share of people with at least one like (Instagram) and
with at least one comment (TikTok); the directorate itself is not listed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from menus.format import (
    bold,
    dash_list,
    number,
    percent,
    person_label,
    split_message,
)
from menus.reports.base import DIRECTORATE_ONLY, Rendered, ReportRequest, ReportSpec, register
from menus.reports.common import (
    CLOSING,
    LIST_STATUSES,
    STATUS_ICONS,
    no_content,
    period_text,
    words,
)
from menus.reports.compliance import KASATKER_LEVELS, compliance_level
from menus.reports.laphar import (
    as_of,
    policy_note,
)
from menus.reports.rankings import satker_scores_json
from menus.reports.report_charts import satker_score_chart
from menus.reports.structured import attendance_json
from menus.status_words import KASAT_STATUS_NAMES
from storage.attendance import (
    Attendance,
    PersonResult,
    PopulationKind,
    Status,
    attendance_builder,
)
from storage.engagement_summary import SatkerEngagement, SatkerScore, build_kasatker
from storage.models import Platform
from storage.ordering import person_key

# --- Kasat Binmas (menus 34, 35) -------------------------------------------------------------

_KASAT_TITLES = {"instagram": "Absensi Likes Kasat Binmas",
                 "tiktok": "Absensi Komentar Kasat Binmas"}


def _kasat_line(position: int, person: PersonResult, platform_name: str) -> str:
    label = f"{position}. {person_label(person.rank, person.name)} ({person.satker_name})"
    if person.status == Status.NO_USERNAME:
        return f"{label} — username {platform_name} belum diisi"
    return f"{label} — {person.engaged}/{person.posts} konten"


def render_kasat(attendance: Attendance, request: ReportRequest) -> Rendered:
    w = words(attendance)
    client = attendance.client.name
    if not attendance.has_posts:
        return Rendered([no_content(w.name, client, request.period)])
    totals = attendance.totals
    lines = [f"📋 {bold(_KASAT_TITLES[attendance.platform.value])}", bold(client),
             f"🗓️ Periode: {period_text(request)}",
             f"📈 Total konten {w.name}: {number(len(attendance.posts))} "
             f"({policy_note(attendance)})",
             f"👥 Total Kasat Binmas: {number(totals.total)} pers", as_of(request), ""]
    if not totals.total:
        lines += ["Belum ada personel dengan jabatan Kasat Binmas yang terdeteksi.", "", CLOSING]
        return Rendered(split_message("\n".join(lines)))
    lines.append(f"📊 {bold('Distribusi Status')}")
    for status in LIST_STATUSES:
        count = totals.count(status)
        lines.append(f"{STATUS_ICONS[status]} {KASAT_STATUS_NAMES[status]}: "
                     f"{number(count)}/{number(totals.total)} pers")
    for status in LIST_STATUSES:
        # Most posts engaged first, then rank and name (reference §2.10, Kasat lists).
        people = sorted(attendance.with_status(status),
                        key=lambda p: (-p.engaged, *person_key(p.rank, p.name), p.user_id))
        lines += ["", f"{STATUS_ICONS[status]} "
                      f"{bold(f'{KASAT_STATUS_NAMES[status]} ({number(len(people))} pers)')}"]
        lines += [_kasat_line(n, p, w.name) for n, p in enumerate(people, 1)] or dash_list([])
    lines += ["", CLOSING]
    return Rendered(split_message("\n".join(lines)))


def _kasat_json(report: str) -> Callable[[Attendance, ReportRequest], dict[str, Any]]:
    def to_json(attendance: Attendance, request: ReportRequest) -> dict[str, Any]:
        return attendance_json(report, attendance, request)

    return to_json


for _name, _platform, _description in (
    ("kasat-ig", Platform.INSTAGRAM, "Absensi likes Instagram Kasat Binmas (hari/minggu/bulan)"),
    ("kasat-tiktok", Platform.TIKTOK, "Absensi komentar TikTok Kasat Binmas (hari/minggu/bulan)"),
):
    register(ReportSpec(
        name=_name,
        description=_description,
        build=attendance_builder(_name, PopulationKind.KASAT_BINMAS, _platform),
        client_types=DIRECTORATE_ONLY,
        render=render_kasat,
        to_json=_kasat_json(_name),
    ))


# --- Kasatker compliance letter (menu 30) ----------------------------------------------------

# Memo header and the corrective-steps group link (reference §3.11; weakness 16 moved them out
# of the text). Replace the invite code with the real group's before sending letters.
KASATKER_MEMO_TO = "Kasat Binmas Polres jajaran Polda Jawa Timur"
KASATKER_MEMO_FROM = "Kasubdit Bhabinkamtibmas Ditbinmas Polda Jawa Timur"
KASATKER_MEMO_CC = ("Dir Binmas Polda Jawa Timur", "PJU Dit Binmas Polda Jawa Timur")
KASATKER_GROUP_INVITE_LINK = "https://chat.whatsapp.com/KODE-UNDANGAN-GRUP"

def _level_lines(satkers: list[SatkerScore]) -> list[str]:
    lines = []
    for position, satker in enumerate(satkers, 1):
        line = f"{position}. {satker.name} : {percent(satker.score)}"
        if not (satker.instagram.totals.acted or satker.tiktok.totals.acted):
            line += " (Belum ada pelaksanaan)"
        else:
            line += f" ({_rates(satker)})"
        lines.append(line)
    return lines or dash_list([])


def _rates(satker: SatkerScore) -> str:
    return " · ".join(f"{name} {percent(tally.acted_rate)}"
                      for name, tally in (("IG", satker.instagram), ("TikTok", satker.tiktok))
                      if tally.posts)


def _follow_up(levels: dict[str, list[SatkerScore]]) -> list[str]:
    steps: list[list[str]] = []
    if levels["AKTIF"]:
        steps.append(["Satker dengan kepatuhan AKTIF: terima kasih atas pelaksanaannya, mohon "
                      "dipertahankan."])
    behind = " dan ".join(level for level in ("SEDANG", "RENDAH") if levels[level])
    if behind:
        steps.append([f"Satker dengan kepatuhan {behind} agar:",
                      "   a. memastikan seluruh personel sudah mengisi username Instagram dan "
                      "TikTok;",
                      "   b. mengingatkan personel untuk memberi like dan komentar pada setiap "
                      "konten resmi."])
    if levels["RENDAH"]:
        steps.append(["Satker dengan kepatuhan RENDAH agar melaporkan kendala dan bergabung ke "
                      f"grup WhatsApp pendampingan: {KASATKER_GROUP_INVITE_LINK}"])
    lines = [bold("Tindak lanjut:")]
    for position, (first, *rest) in enumerate(steps, 1):
        lines += [f"{position}. {first}", *rest]
    return lines


def _basis(data: SatkerEngagement) -> str:
    ig, tt = data.pair.instagram, data.pair.tiktok
    parts = []
    for attendance in (ig, tt):
        w = words(attendance)
        parts.append(f"{w.name} {number(len(attendance.posts))} konten" if attendance.has_posts
                     else f"{w.name} tidak ada konten (tidak dihitung)")
    return "; ".join(parts)


def render_kasatker(data: SatkerEngagement, request: ReportRequest) -> Rendered:
    ig, tt = data.pair.instagram, data.pair.tiktok
    client = ig.client.name
    if not (ig.has_posts or tt.has_posts):
        return Rendered([no_content("Instagram maupun TikTok", client, request.period)])
    period = period_text(request)
    levels: dict[str, list[SatkerScore]] = {level: [] for level, _ in KASATKER_LEVELS}
    for satker in sorted(data.ranked, key=lambda s: (-s.score, s.name.upper())):
        levels[compliance_level(satker.score)].append(satker)
    aktif, sedang = KASATKER_LEVELS[0][1], KASATKER_LEVELS[1][1]
    lines = [bold("NOTA DINAS"), "",
             f"Kepada : Yth. {KASATKER_MEMO_TO}",
             f"Dari : {KASATKER_MEMO_FROM}",
             "Tembusan :", *(f"{n}. {cc}" for n, cc in enumerate(KASATKER_MEMO_CC, 1)),
             f"Perihal : Kepatuhan personel dalam likes Instagram dan komentar TikTok konten "
             f"resmi {client}",
             f"Periode : {period}", "",
             "Dengan hormat,", "",
             f"Berdasarkan pemantauan Cicero atas konten resmi {client} ({_basis(data)}), "
             "berikut tingkat kepatuhan personel setiap satker. Nilai kepatuhan adalah "
             "rata-rata dari persentase personel yang memberi minimal 1 like Instagram dan "
             "persentase personel yang memberi minimal 1 komentar TikTok.", "",
             bold("Kriteria:"),
             f"- AKTIF: ≥ {number(aktif)}%",
             f"- SEDANG: {number(sedang)}% – {percent((aktif - 0.1) / 100)}",
             f"- RENDAH: < {number(sedang)}%"]
    for level, _ in KASATKER_LEVELS:
        lines += ["", bold(f"KEPATUHAN {level} ({number(len(levels[level]))} Satker)"),
                  *_level_lines(levels[level])]
    lines += ["", *_follow_up(levels), "", "Demikian untuk menjadi perhatian. Terima kasih."]
    return Rendered(split_message("\n".join(lines)))


def kasatker_json(data: SatkerEngagement, request: ReportRequest) -> dict[str, Any]:
    return satker_scores_json("kasatker", data, request, satkers=data.ranked,
                              row_extra=lambda s: {"level": compliance_level(s.score)})


register(ReportSpec(
    name="kasatker",
    description="Surat kepatuhan Kasatker: skor likes & komentar per satker",
    build=build_kasatker,
    render=render_kasatker,
    to_json=kasatker_json,
    chart=satker_score_chart,
    client_types=DIRECTORATE_ONLY,
))
