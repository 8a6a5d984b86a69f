"""What the person who asked for a fetch reads when it is done."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from menus.format import bold, hour_minute, long_date, number


def fetch_summary(client_id: str, counts: dict[str, Any]) -> str:
    lines = [f"✅ Pengambilan data {bold(client_id)} selesai.",
             f"• Konten baru: {number(counts.get('posts_new', 0))}",
             f"• Konten diperbarui: {number(counts.get('posts_updated', 0))}",
             f"• Konten dihapus: {number(counts.get('posts_removed', 0))}",
             f"• Likes/komentar baru: {number(counts.get('engagement_added', 0))}"]
    if counts.get("broadcasts"):
        lines.append(f"• Daftar tugas dikirim ke {number(counts['broadcasts'])} grup.")
    failures = counts.get("failures") or []
    if failures:
        lines += ["", "⚠️ Sebagian gagal diambil:", *(f"- {failure}" for failure in failures)]
    return "\n".join(lines)


def fetch_failed(client_id: str) -> str:
    return (f"❌ Pengambilan data {bold(client_id)} gagal. Silakan coba lagi beberapa saat "
            "lagi; bila berulang, hubungi admin.")


def video_fetched(client_id: str, video_id: str, uploaded: datetime, likes: int | None,
                  comments: int | None, caption: str | None, comments_added: int) -> str:
    text = (caption or "").strip()
    if len(text) > 200:
        text = text[:199] + "…"
    return "\n".join([f"✅ Video TikTok {bold(video_id)} tersimpan untuk {bold(client_id)}.",
                      f"• Diunggah: {long_date(uploaded.date())} {hour_minute(uploaded)}",
                      f"• Likes: {number(likes or 0)}",
                      f"• Komentar: {number(comments or 0)} "
                      f"({number(comments_added)} komentator baru tercatat)",
                      f"• Caption: {text or '-'}"])


def video_elsewhere(video_id: str, owner: str) -> str:
    return (f"⛔ Video {bold(video_id)} milik client {bold(owner)}; tidak diambil alih dan "
            "tidak ada yang diubah.")


def video_not_found(video_id: str) -> str:
    return f"❌ Video TikTok {bold(video_id)} tidak ditemukan di TikTok."


def video_failed(video_id: str) -> str:
    return (f"❌ Video TikTok {bold(video_id)} gagal diambil. Silakan coba lagi beberapa saat "
            "lagi.")


def video_queued(video_id: str) -> str:
    return (f"⏳ Video {bold(video_id)} sedang diambil; hasilnya dikirim ke chat ini begitu "
            "selesai.")


def video_removed(video_id: str, engagements: int, link_reports: int) -> str:
    return (f"✅ Video {bold(video_id)} dihapus beserta {number(engagements)} komentar dan "
            f"{number(link_reports)} laporan link.")


def video_missing(video_id: str) -> str:
    return f"❌ Video {bold(video_id)} tidak ada di data Cicero; tidak ada yang dihapus."


def confirm_remove(video_id: str, client_id: str) -> str:
    return (f"Hapus video {bold(video_id)} milik {bold(client_id)} beserta komentar dan "
            "laporan link-nya? Ketik *ya hapus* untuk menghapus.")


ASK_VIDEO = ("Kirim *link video TikTok* atau ID-nya, mis. "
             "https://www.tiktok.com/@akun/video/7321234567890123456")
