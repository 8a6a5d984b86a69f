"""The new-post task message sent to a directorate's group (reference §3.12, §1.10)."""

from __future__ import annotations

from cicero.clock import clock
from menus.format import bold, day_name, hour_minute, long_date, number, post_url
from storage.broadcasts import TaskBroadcast, TaskPost


def _lines(posts: list[TaskPost], account: str | None, unit: str) -> list[str]:
    lines = []
    for index, post in enumerate(posts, start=1):
        marker = "[BARU] " if post.is_new else ""
        uploaded = hour_minute(post.uploaded_at.astimezone(clock.tz))
        lines.append(f"{index}. {marker}{post_url(post.platform, post.external_id, account)} "
                     f"(upload {uploaded} WIB) : {number(post.engagers)} {unit}")
    return lines


def render_task_broadcast(broadcast: TaskBroadcast) -> str:
    client = broadcast.client
    total_likes = sum(post.engagers for post in broadcast.instagram)
    total_comments = sum(post.engagers for post in broadcast.tiktok)
    parts = [
        "Mohon ijin Komandan, Senior, Rekan Operator dan Personil pelaksana tugas "
        f"Likes dan Komentar Sosial Media {bold(client.name)}.",
        "",
        f"Tugas sosial media hari {day_name(broadcast.day)}, {long_date(broadcast.day)}:",
        "",
        f"📸 {bold('Instagram')}: {len(broadcast.instagram)} konten, "
        f"total {number(total_likes)} likes",
        *(_lines(broadcast.instagram, client.instagram, "likes") or ["-"]),
        "",
        f"🎵 {bold('TikTok')}: {len(broadcast.tiktok)} konten, "
        f"total {number(total_comments)} komentar",
        *(_lines(broadcast.tiktok, client.tiktok, "komentar") or ["-"]),
        "",
        "Mohon segera laksanakan like, komentar dan bagikan konten di atas. Terima kasih.",
    ]
    return "\n".join(parts)
