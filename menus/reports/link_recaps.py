"""The operator console's link recaps (reference §2 options 6–8, §3.10): `link-recap`, the
links reported for the client's Instagram posts of a day grouped by platform, and
`link-recap-post`, per post who of the client's personnel reported and who did not. Pure
renderers of `storage.link_recaps.LinkRecap`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from menus.format import (
    bold,
    dash_list,
    day_name,
    greeting,
    hour_minute,
    long_date,
    number,
    person_label,
    post_url,
    split_message,
)
from menus.reports.base import Rendered, ReportRequest, ReportSpec, register
from menus.reports.common import CLOSING, period_text, pers
from menus.reports.structured import rows_json
from storage.link_recaps import (
    ALL_POSTS,
    LinkRecap,
    RecapPerson,
    RecapPost,
    build_link_recap,
    build_post_recap,
)
from storage.ordering import satfung_key

PLATFORM_NAMES = {"facebook": "Facebook", "instagram": "Instagram", "twitter": "Twitter",
                  "tiktok": "TikTok", "youtube": "Youtube"}
_ORDER = ("facebook", "instagram", "twitter", "tiktok", "youtube")  # the reference's order


def _when(request: ReportRequest) -> str:
    period = request.period
    label = period_text(request)
    return f"pada {label}" if period.start == period.end else f"pada periode {label}"


def _header(title: str, recap: LinkRecap, request: ReportRequest) -> list[str]:
    moment, period = request.generated_at, request.period
    lines = [f"{greeting(moment)},", "",
             f"Mohon ijin melaporkan {title} {bold(recap.client.name)} "
             + ("pada hari:" if period.start == period.end else "pada periode:"), ""]
    if period.start == period.end:
        lines += [f"Hari: {day_name(period.start)}", f"Tanggal: {long_date(period.start)}"]
    else:
        lines.append(f"Periode: {period_text(request)}")
    return [*lines, f"Pukul: {hour_minute(moment)} WIB"]


def _no_posts(recap: LinkRecap, request: ReportRequest) -> Rendered:
    return Rendered([f"Belum ada konten Instagram {recap.client.name} {_when(request)}."])


def render_link_recap(recap: LinkRecap, request: ReportRequest) -> Rendered:
    if not recap.posts:
        return _no_posts(recap, request)
    if not recap.reports:
        return Rendered([f"Belum ada laporan link amplifikasi {recap.client.name} "
                         f"{_when(request)}. Jumlah konten Instagram: "
                         f"{number(len(recap.posts))}."])
    lines = [*_header("Rekap Link Amplifikasi", recap, request), "",
             f"📸 Jumlah konten Instagram: {number(len(recap.posts))}",
             *(post_url("instagram", post.external_id) for post in recap.posts), "",
             f"👥 Personil yang melapor: {pers(len(recap.reporters))}",
             f"🔗 Total link: {number(recap.link_count)} link"]
    by_platform = recap.links_by_platform()
    for platform in _ORDER:
        urls = by_platform[platform]
        lines += ["", bold(f"{PLATFORM_NAMES[platform]} ({number(len(urls))}):"),
                  *dash_list(urls)]
    return Rendered(split_message("\n".join([*lines, "", CLOSING])))


def _grouped(people: list[RecapPerson]) -> list[str]:
    if not people:
        return ["-"]
    groups: dict[str, list[RecapPerson]] = defaultdict(list)
    for person in people:
        groups[person.satfung].append(person)
    lines = []
    for satfung in sorted(groups, key=satfung_key):
        members = groups[satfung]
        lines += [f"{bold(satfung)} ({pers(len(members))}):",
                  *dash_list([person_label(p.rank, p.name) for p in members])]
    return lines


def _post_block(recap: LinkRecap, post: RecapPost) -> list[str]:
    done, missing = recap.split(post)
    return ["", f"📸 {post_url('instagram', post.external_id)}",
            f"👥 Personil yang melapor: {pers(len(post.reporters))}",
            f"🔗 Jumlah link: {number(post.link_count)} link",
            f"✅ {bold(f'Sudah melapor ({pers(len(done))})')}", *_grouped(done),
            f"❌ {bold(f'Belum melapor ({pers(len(missing))})')}", *_grouped(missing)]


def render_post_recap(recap: LinkRecap, request: ReportRequest) -> Rendered:
    if not recap.posts:
        if request.mode != ALL_POSTS:
            return Rendered([f"Konten {request.mode} tidak ditemukan di konten Instagram "
                             f"{recap.client.name} {_when(request)}."])
        return _no_posts(recap, request)
    lines = _header("Rekap Link Amplifikasi per Konten", recap, request)
    for post in recap.posts:
        lines += _post_block(recap, post)
    return Rendered(split_message("\n".join([*lines, "", CLOSING])))


def _post_json(recap: LinkRecap, post: RecapPost) -> dict[str, Any]:
    return {"platform": "instagram", "id": post.external_id,
            "url": post_url("instagram", post.external_id),
            "reporters": sorted(post.reporters), "links": post.link_count}


def link_recap_json(recap: LinkRecap, request: ReportRequest) -> dict[str, Any]:
    rows = [{"post": report.post_id, "user_id": report.user_id, **report.links}
            for report in recap.reports]
    return rows_json("link-recap", recap.client.client_id, None, request, rows,
                     posts=[_post_json(recap, post) for post in recap.posts],
                     totals={"reporters": len(recap.reporters), "links": recap.link_count})


def post_recap_json(recap: LinkRecap, request: ReportRequest) -> dict[str, Any]:
    rows = []
    for post in recap.posts:
        done, missing = recap.split(post)
        rows.append({**_post_json(recap, post), "done": [p.user_id for p in done],
                     "not_done": [p.user_id for p in missing]})
    return rows_json("link-recap-post", recap.client.client_id, None, request, rows,
                     post=request.mode)


register(ReportSpec(
    name="link-recap", description="Rekap link amplifikasi per platform (hari ini/kemarin)",
    build=build_link_recap, render=render_link_recap, to_json=link_recap_json))
register(ReportSpec(
    name="link-recap-post",
    description="Rekap link amplifikasi per konten (mode: shortcode konten, atau all)",
    build=build_post_recap, render=render_post_recap, to_json=post_recap_json))
