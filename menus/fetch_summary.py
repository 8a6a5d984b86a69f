"""What the person who asked for a fetch reads when it is done."""

from __future__ import annotations

from typing import Any

from menus.format import bold, number


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
