"""Attendance recaps of one ORG satker (reference §3.1 and §3.5).

`ig-likes` and `tiktok-comments`: the accumulated recap with the modes `all`,
`done`, `not-done` and `per-content`. `tiktok-analytic`: the TikTok analytic
recap. Every count and status comes from the one attendance engine; this
module only arranges them into WhatsApp text. The header and list helpers at
the top are shared with `menus.reports.directorate_recaps`.
"""

from __future__ import annotations

from collections.abc import Callable

from menus.excel.attendance_workbooks import attendance_workbook
from menus.format import (
    bold,
    clock_time,
    dash_list,
    hour_minute,
    number,
    period_label,
    person_label,
    share,
)
from menus.reports.base import Rendered, ReportRequest, ReportSpec, register
from menus.reports.common import (
    CLOSING,
    SALUTATION,
    handle,
    json_of,
    no_content,
    period_text,
    pers,
    post_link,
    render_text,
    words,
)
from storage.attendance import (
    Attendance,
    Group,
    PersonResult,
    PopulationKind,
    PostSummary,
    Status,
    attendance_builder,
)
from storage.models import Platform
from storage.ordering import NO_SATFUNG

LIST_MODES = ("all", "done", "not-done", "per-content")


# --- shared pieces ---------------------------------------------------------------------------


def period_phrase(request: ReportRequest) -> str:
    """'Sabtu, 06 Desember 2025' for a day, 'periode 01 Desember 2025 - …' otherwise."""
    label = period_label(request.period.start, request.period.end)
    return label if request.period.start == request.period.end else f"periode {label}"


def stamp_lines(request: ReportRequest) -> list[str]:
    """The period and the moment the report was made."""
    period = request.period
    single_day = period.start == period.end and not request.all_time
    first = f"{'Hari' if single_day else 'Periode'}: {period_text(request)}"
    return [first, f"Jam: {clock_time(request.generated_at)} {zone_name(request)}"]


def zone_name(request: ReportRequest) -> str:
    """WIB for Asia/Jakarta (WITA, WIT for the other business zones)."""
    return request.generated_at.tzname() or "WIB"


def no_content_recap(attendance: Attendance, request: ReportRequest) -> Rendered:
    """The one message of a period without posts."""
    return Rendered([no_content(words(attendance).name, attendance.client.name,
                                request.period)])


def attendance_without_content(attendance: Attendance, request: ReportRequest) -> str | None:
    """What a workbook or chart of a period without posts is replaced with."""
    return None if attendance.has_posts else no_content_recap(attendance, request).messages[0]


def posts_lines(attendance: Attendance, *, links: bool = True) -> list[str]:
    """The number of posts, their links and the target of the policy."""
    posts = len(attendance.posts)
    required = attendance.policy.required(posts)
    target = (f"seluruh {number(posts)} konten" if required == posts > 1
              else f"minimal {number(required)} dari {number(posts)} konten")
    return [
        f"Jumlah konten: {number(posts)}",
        *(dash_list([post_link(attendance, post) for post in attendance.posts]) if links else []),
        f"Target: {words(attendance).verb} {target} per personel",
    ]


def ratio(person: PersonResult) -> str:
    return f"{number(person.engaged)}/{number(person.posts)} konten"


def satfung_title(group: Group) -> str:
    return "TANPA SATFUNG" if group.key == NO_SATFUNG else group.name


# --- ig-likes / tiktok-comments --------------------------------------------------------------


def _person_line(person: PersonResult) -> str:
    if person.status == Status.NO_USERNAME:
        return f"- {person_label(person.rank, person.name)}"
    label = person_label(person.rank, person.name)
    return f"- {label} : {handle(person.username)} ({ratio(person)})"


def _by_satfung(attendance: Attendance, people: list[PersonResult],
                line: Callable[[PersonResult], str] = _person_line) -> list[str]:
    """'*SATFUNG* (n pers):' blocks, or '-' when nobody is in the list."""
    if not people:
        return dash_list([])
    lines: list[str] = []
    for group in attendance.by_satfung(people):
        lines.append(f"{bold(satfung_title(group))} ({pers(len(group.people))}):")
        lines.extend(line(person) for person in group.people)
    return lines


def _status_sections(attendance: Attendance, mode: str) -> list[tuple[str, str, Status]]:
    platform_words = words(attendance)
    done = ("✅", f"Sudah {platform_words.verb}", Status.DONE)
    not_done = [
        ("⚠️", "Kurang", Status.PARTIAL),
        ("❌", f"Belum {platform_words.verb}", Status.NONE),
        ("⚠️❌", f"Belum input username {platform_words.name}", Status.NO_USERNAME),
    ]
    if mode == "done":
        return [done]
    if mode == "not-done":
        return not_done
    return [done, *not_done]


def _summary_lines(attendance: Attendance) -> list[str]:
    totals = attendance.totals
    return [
        f"Jumlah personel: {pers(totals.total)}",
        f"✅ Sudah: {pers(totals.done)}",
        f"⚠️ Kurang: {pers(totals.partial)}",
        f"❌ Belum: {pers(totals.none)}",
        f"⚠️❌ Belum input username: {pers(totals.no_username)}",
    ]


def _header(attendance: Attendance, request: ReportRequest, title: str) -> list[str]:
    return [SALUTATION, "", f"📋 {bold(title)}", f"Polres: {bold(attendance.client.name)}",
            *stamp_lines(request)]


_MODE_SUFFIX = {"done": " (Sudah)", "not-done": " (Belum Memenuhi Target)"}


def render_recap(attendance: Attendance, request: ReportRequest) -> Rendered:
    """§3.1: the recap of a satker, in the mode of the request."""
    if not attendance.has_posts:
        return no_content_recap(attendance, request)
    if request.mode == "per-content":
        return _render_per_content(attendance, request)
    platform_words = words(attendance)
    title = f"Rekap Akumulasi {platform_words.engagement} {platform_words.name}"
    lines = _header(attendance, request, title + _MODE_SUFFIX.get(request.mode, ""))
    lines += ["", *posts_lines(attendance), "", *_summary_lines(attendance)]
    for icon, label, status in _status_sections(attendance, request.mode):
        people = attendance.with_status(status)
        lines += ["", f"{icon} {bold(f'{label} ({pers(len(people))}):')}",
                  *_by_satfung(attendance, people)]
    lines += ["", CLOSING]
    return render_text(lines)


def _render_per_content(attendance: Attendance, request: ReportRequest) -> Rendered:
    """The per-content variant: for each post who did and who did not engage with it."""
    platform_words = words(attendance)
    engaged_posts = attendance.per_post or {}
    with_username = [p for p in attendance.people if p.status != Status.NO_USERNAME]
    without = attendance.with_status(Status.NO_USERNAME)
    lines = _header(attendance, request,
                    f"Rekap {platform_words.engagement} {platform_words.name} per Konten")
    lines += ["", *posts_lines(attendance, links=False), "", *_summary_lines(attendance)]

    def name_line(person: PersonResult) -> str:
        return f"- {person_label(person.rank, person.name)}"

    for index, post in enumerate(attendance.posts, start=1):
        done = [p for p in with_username if post.id in engaged_posts.get(p.user_id, ())]
        not_yet = [p for p in with_username if post.id not in engaged_posts.get(p.user_id, ())]
        lines += ["", bold(f"Konten {index}"), post_link(attendance, post),
                  f"✅ *Sudah {platform_words.verb} ({pers(len(done))}):*",
                  *_by_satfung(attendance, done, name_line),
                  "", f"❌ *Belum {platform_words.verb} ({pers(len(not_yet))}):*",
                  *_by_satfung(attendance, not_yet, name_line)]
    lines += ["", f"⚠️❌ *Belum input username {platform_words.name} ({pers(len(without))}):*",
              *_by_satfung(attendance, without, name_line), "", CLOSING]
    return render_text(lines)


# --- tiktok-analytic -------------------------------------------------------------------------

CAPTION_LIMIT = 60


def _caption(post: PostSummary) -> str:
    caption = " ".join((post.caption or "").split())
    if not caption:
        return "(tanpa keterangan)"
    if len(caption) <= CAPTION_LIMIT:
        return caption
    cut = caption[:CAPTION_LIMIT - 1]
    if " " in cut[CAPTION_LIMIT // 2:]:  # end on a whole word when one is near
        cut = cut.rsplit(" ", 1)[0]
    return cut + "…"


def _highlight(attendance: Attendance, label: str, post: PostSummary) -> list[str]:
    return [f"• {label}: \"{_caption(post)}\" – {number(post.engagers)} akun berkomentar",
            f"  {post_link(attendance, post)}"]


def render_analytic(attendance: Attendance, request: ReportRequest) -> Rendered:
    """§3.5 (ORG): achievement summary, content highlights, top contributors, appendix."""
    if not attendance.has_posts:
        return no_content_recap(attendance, request)
    totals, posts = attendance.totals, attendance.posts
    required = attendance.policy.required(len(posts))
    eligible = [p for p in attendance.people if p.status != Status.NO_USERNAME]
    reached = totals.done
    interactions = sum(p.engaged for p in eligible)
    possible = len(eligible) * len(posts)
    lines = [SALUTATION, "", f"📊 {bold('Rekap Analitik Komentar TikTok')}",
             f"{attendance.client.name} | "
             f"{period_label(request.period.start, request.period.end)} | "
             f"{hour_minute(request.generated_at)} {zone_name(request)}",
             "", bold("Ringkasan Capaian"),
             f"• Konten dipantau: {number(len(posts))}",
             f"• Target minimal per personel: komentar di {number(required)} dari "
             f"{number(len(posts))} konten",
             f"• Personel mencapai target: {number(reached)}/{number(len(eligible))} "
             f"personel ber-username ({share(reached, len(eligible))})",
             f"• Komentar personel: {number(interactions)} dari {number(possible)} "
             f"kemungkinan ({share(interactions, possible)})",
             "", bold("Distribusi Status"),
             f"✅ Mencapai target: {pers(totals.done)}",
             f"⚠️ Kurang: {pers(totals.partial)}",
             f"❌ Belum komentar: {pers(totals.none)}",
             f"⚠️❌ Belum input username: {pers(totals.no_username)}",
             "", bold("Sorotan Konten")]
    ranked = sorted(posts, key=lambda post: (-post.engagers, post.uploaded_at))
    if len(posts) == 1:
        lines += _highlight(attendance, "Konten", ranked[0])
    else:
        lines += [*_highlight(attendance, "Tertinggi", ranked[0]),
                  *_highlight(attendance, "Terendah", ranked[-1])]
    # Exception people count as done by rule, not by deed: they are no contributors.
    contributors = sorted((p for p in eligible if p.engaged > 0 and not p.exception),
                          key=lambda p: -p.engaged)[:3]
    lines += ["", bold("Kontributor Utama"),
              *([f"{n}. {person_label(p.rank, p.name)} – {ratio(p)}"
                 for n, p in enumerate(contributors, start=1)] or dash_list([]))]
    below = totals.partial + totals.none
    lines += ["", f"Catatan personel: {number(totals.total)} personel terdaftar, "
                  f"{number(len(eligible))} dengan username TikTok, "
                  f"{number(totals.no_username)} tanpa username, "
                  f"{number(below)} belum mencapai target.",
              "", bold("Daftar Konten"),
              *dash_list([post_link(attendance, post) for post in posts]),
              "", f"📎 {bold('Lampiran')}",
              f"✅ *Personel mencapai target ({pers(totals.done)}):*",
              *_by_satfung(attendance, attendance.with_status(Status.DONE)),
              "", f"❌ *Personel belum mencapai target ({pers(below)}):*",
              *_by_satfung(attendance, attendance.with_status(Status.PARTIAL, Status.NONE)),
              "", f"⚠️❌ *Belum input username TikTok ({pers(totals.no_username)}):*",
              *_by_satfung(attendance, attendance.with_status(Status.NO_USERNAME)),
              "", CLOSING]
    return render_text(lines)


# --- registration ----------------------------------------------------------------------------

register(ReportSpec(
    name="ig-likes",
    description="Rekap likes Instagram personel satker",
    build=attendance_builder("ig-likes", PopulationKind.SATKER, Platform.INSTAGRAM,
                             per_post=True, per_day=True),
    render=render_recap,
    to_json=json_of("ig-likes"),
    workbook=attendance_workbook, without_content=attendance_without_content,
    modes=LIST_MODES,
))
register(ReportSpec(
    name="tiktok-comments",
    description="Rekap komentar TikTok personel satker",
    build=attendance_builder("tiktok-comments", PopulationKind.SATKER, Platform.TIKTOK,
                             per_post=True, per_day=True),
    render=render_recap,
    to_json=json_of("tiktok-comments"),
    workbook=attendance_workbook, without_content=attendance_without_content,
    modes=LIST_MODES,
))
register(ReportSpec(
    name="tiktok-analytic",
    description="Rekap analitik komentar TikTok satker",
    build=attendance_builder("tiktok-analytic", PopulationKind.SATKER, Platform.TIKTOK),
    render=render_analytic,
    to_json=json_of("tiktok-analytic"),
))
