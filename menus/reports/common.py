"""Pieces every report text shares: salutation, closing, status and platform wording,
post links, the no-content sentence. One place, so every report speaks alike."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from cicero.clock import Period
from menus.format import number, period_label, post_url, split_message
from menus.reports.base import Rendered, ReportRequest
from menus.reports.structured import attendance_json
from storage.attendance import Attendance, PostSummary, Status

SALUTATION = "Mohon ijin Komandan,"
CLOSING = "Terima kasih."
STATUS_ICONS = {Status.DONE: "✅", Status.PARTIAL: "⚠️", Status.NONE: "❌",
                Status.NO_USERNAME: "⚠️❌"}
LIST_STATUSES = (Status.DONE, Status.PARTIAL, Status.NONE, Status.NO_USERNAME)


@dataclass(frozen=True)
class PlatformWords:
    """The words that differ between Instagram and TikTok texts."""

    name: str  # Instagram / TikTok
    icon: str
    engagement: str  # in titles: "Likes" / "Komentar"
    verb: str  # "like" / "komentar"
    metric: str  # in counts: "12 likes", "12 komentar"
    metric_icon: str
    file_word: str  # in file names (reference §3.6)
    recap_title: str


PLATFORM_WORDS = {
    "instagram": PlatformWords("Instagram", "📸", "Likes", "like", "likes", "❤️", "Instagram",
                               "Rekap Akumulasi Likes Instagram"),
    "tiktok": PlatformWords("TikTok", "🎵", "Komentar", "komentar", "komentar", "💬", "Tiktok",
                            "Rekap Komentar TikTok"),
}


def words(attendance: Attendance) -> PlatformWords:
    return PLATFORM_WORDS[attendance.platform.value]


def post_link(attendance: Attendance, post: PostSummary) -> str:
    client = attendance.client
    account = client.instagram if post.platform == "instagram" else client.tiktok
    return post_url(post.platform, post.external_id, account)


def post_links(attendance: Attendance) -> list[str]:
    return [post_link(attendance, post) for post in attendance.posts]


def pers(count: int) -> str:
    return f"{number(count)} pers"


def handle(username: str | None, missing: str = "-") -> str:
    return f"@{username}" if username else missing


def no_content(platforms: str, client_name: str, period: Period) -> str:
    """The one sentence of a report whose period has no posts."""
    when = period_label(period.start, period.end)
    if period.start != period.end:
        when = f"periode {when}"
    return f"Belum ada konten {platforms} {client_name} pada {when}."


def period_text(request: ReportRequest) -> str:
    """'Sabtu, 06 Desember 2025', '01 Desember 2025 - 07 Desember 2025', or for the all-time
    period 'semua (03 November 2025 - 06 Desember 2025)'."""
    label = period_label(request.period.start, request.period.end)
    return f"semua ({label})" if request.all_time else label


def render_text(lines: Iterable[str]) -> Rendered:
    return Rendered(split_message("\n".join(lines)))


def json_of(name: str) -> Callable[[Attendance, ReportRequest], dict[str, Any]]:
    def to_json(attendance: Attendance, request: ReportRequest) -> dict[str, Any]:
        return attendance_json(name, attendance, request)

    return to_json
