"""The khusus (special task) recaps of the operator console (reference oprrequest 12–14,
§3.10 "Khusus variants"): pure renderers of `storage.amplification.Amplification` built
over the special tasks (source SPECIAL).

- `khusus-link-recap`: the links reported for the period's special tasks, grouped by
  platform (Facebook, Instagram, Twitter, TikTok, Youtube), with the number of tasks,
  distinct reporters and links (reference menu 6's layout, "Jumlah Konten Tugas Khusus").
- `khusus-link-recap-post`: the same per special task; a console passes one task's
  shortcode as the mode (conversations/console/special_tasks.py SPECIAL_TASK_OF_TODAY).
- `khusus-amplify`: amplification attendance all / done / not done (the `amplify` report's
  renderers, with the special tasks' words).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from menus.excel.amplification_workbook import amplification_workbook
from menus.format import bold, number, post_url, split_message
from menus.reports.amplification import amplify_json, header, no_tasks, render_amplify
from menus.reports.base import Rendered, ReportRequest, ReportSpec, register
from menus.reports.common import CLOSING, pers
from menus.reports.structured import rows_json
from storage.amplification import (
    Amplification,
    AmplifiedPost,
    SubmittedLinks,
    build_special_amplification,
)

LINK_RECAP = "khusus-link-recap"
LINK_RECAP_POST = "khusus-link-recap-post"
AMPLIFY = "khusus-amplify"
# The reference's order and titles of the platform lists.
PLATFORM_ORDER = (("facebook", "Facebook"), ("instagram", "Instagram"), ("twitter", "Twitter"),
                  ("tiktok", "TikTok"), ("youtube", "Youtube"))


def links_by_platform(reports: Iterable[SubmittedLinks]) -> dict[str, list[str]]:
    """Every reported URL per platform, each once, in report order."""
    found: dict[str, list[str]] = {platform: [] for platform, _ in PLATFORM_ORDER}
    for report in reports:
        for platform, _ in PLATFORM_ORDER:
            url = report.links.get(platform)
            if url and url not in found[platform]:
                found[platform].append(url)
    return found


def _platform_lists(reports: list[SubmittedLinks]) -> list[str]:
    lines: list[str] = []
    grouped = links_by_platform(reports)
    for platform, title in PLATFORM_ORDER:
        urls = grouped[platform]
        lines += ["", bold(f"{title} ({number(len(urls))}):"), *(urls or ["-"])]
    return lines


def _summary(reports: list[SubmittedLinks]) -> list[str]:
    reporters = {report.user_id for report in reports}
    return [f"👥 Personil yang melaporkan: {pers(len(reporters))}",
            f"🔗 Jumlah link: {number(sum(report.link_count for report in reports))} link"]


def render_link_recap(data: Amplification, request: ReportRequest) -> Rendered:
    if not data.has_posts:
        return Rendered([no_tasks(data, request)])
    lines = [*header(data, request, "rekap link Tugas Khusus"), "", *_summary(data.reports)]
    if not data.reports:
        lines += ["", "Belum ada laporan link untuk tugas khusus ini."]
    else:
        lines += _platform_lists(data.reports)
    return Rendered(split_message("\n".join([*lines, "", CLOSING])))


def _chosen_posts(data: Amplification, request: ReportRequest) -> list[AmplifiedPost]:
    if request.mode == "all":
        return data.posts
    return [post for post in data.posts if post.external_id == request.mode]


def render_link_recap_per_post(data: Amplification, request: ReportRequest) -> Rendered:
    posts = _chosen_posts(data, request)
    if not posts:
        return Rendered([no_tasks(data, request)])
    lines = header(data, request, "rekap link per konten Tugas Khusus", links=False)
    for index, post in enumerate(posts, start=1):
        reports = [report for report in data.reports if report.post_id == post.id]
        lines += ["", bold(f"{index}. {post_url('instagram', post.external_id)}"),
                  *_summary(reports)]
        lines += _platform_lists(reports) if reports else ["Belum ada laporan link."]
    return Rendered(split_message("\n".join([*lines, "", CLOSING])))


def link_recap_json(data: Amplification, request: ReportRequest,
                    report: str = LINK_RECAP) -> dict[str, Any]:
    rows = []
    for post in _chosen_posts(data, request):
        reports = [report for report in data.reports if report.post_id == post.id]
        rows.append({"id": post.external_id, "url": post_url("instagram", post.external_id),
                     "reporters": len({report.user_id for report in reports}),
                     "links": sum(report.link_count for report in reports),
                     "by_platform": links_by_platform(reports)})
    return rows_json(report, data.client.client_id, None, request, rows,
                     posts_of="special")


register(ReportSpec(
    name=LINK_RECAP, description="Rekap link laporan tugas khusus per platform",
    build=build_special_amplification, render=render_link_recap, to_json=link_recap_json))
register(ReportSpec(
    name=LINK_RECAP_POST, description="Rekap link tugas khusus per konten",
    build=build_special_amplification, render=render_link_recap_per_post,
    to_json=lambda data, request: link_recap_json(data, request, LINK_RECAP_POST)))
register(ReportSpec(
    name=AMPLIFY, description="Rekap pelaksanaan tugas khusus amplifikasi",
    build=build_special_amplification, render=render_amplify, to_json=amplify_json,
    workbook=amplification_workbook, modes=("all", "done", "not-done")))
