"""WhatsApp texts of the Penmas editorial workflow: a submission to the editors, the decision
to the writer, and the replies to `setujuiberita#<id>` / `tolakberita#<id> alasan`."""

from __future__ import annotations

from datetime import datetime

from menus.format import hour_minute, numeric_date
from storage.models import EventStatus

APPROVE_COMMAND = "setujuiberita"
REJECT_COMMAND = "tolakberita"
SUMMARY_LIMIT = 600  # characters of the summary quoted to editors

STATUS_LABELS = {
    EventStatus.DRAFT: "draf",
    EventStatus.SUBMITTED: "menunggu persetujuan",
    EventStatus.APPROVED: "disetujui",
    EventStatus.REJECTED: "ditolak",
    EventStatus.PUBLISHED: "dipublikasikan",
}


def _title(title: str | None, topic: str) -> str:
    return title or topic


def _when(moment: datetime) -> str:
    return f"{numeric_date(moment.date())} {hour_minute(moment)}"


def submitted(event_id: int, title: str | None, topic: str, summary: str | None,
              author: str, event_date: datetime) -> str:
    """To every editor: a writer submitted an event."""
    text = (summary or "").strip() or "-"
    if len(text) > SUMMARY_LIMIT:
        text = text[:SUMMARY_LIMIT].rstrip() + "…"
    return (
        "📰 *Berita Menunggu Persetujuan*\n\n"
        f"ID: {event_id}\n"
        f"Judul: *{_title(title, topic)}*\n"
        f"Topik: {topic}\n"
        f"Jadwal: {_when(event_date)}\n"
        f"Penulis: {author}\n\n"
        f"Ringkasan:\n{text}\n\n"
        f"Balas *{APPROVE_COMMAND}#{event_id}* untuk menyetujui atau "
        f"*{REJECT_COMMAND}#{event_id} alasan* untuk menolak."
    )


def approved(event_id: int, title: str | None, topic: str, editor: str) -> str:
    """To the writer."""
    return (f"✅ Berita Anda *{_title(title, topic)}* (ID {event_id}) telah *disetujui* "
            f"oleh editor {editor}.")


def rejected(event_id: int, title: str | None, topic: str, editor: str, reason: str) -> str:
    """To the writer."""
    return (f"❌ Berita Anda *{_title(title, topic)}* (ID {event_id}) *ditolak* oleh editor "
            f"{editor}.\nAlasan: {reason}\n\n"
            "Perbaiki berita lalu ajukan kembali lewat aplikasi Penmas.")


def published(event_id: int, title: str | None, topic: str) -> str:
    """To the writer."""
    return f"📢 Berita Anda *{_title(title, topic)}* (ID {event_id}) telah *dipublikasikan*."


# --- replies to the editor's commands -------------------------------------------------------


def approved_reply(event_id: int, writer_notified: bool) -> str:
    return f"✅ Berita ID {event_id} disetujui.\n" + _writer(writer_notified)


def rejected_reply(event_id: int, writer_notified: bool) -> str:
    return f"✅ Berita ID {event_id} ditolak.\n" + _writer(writer_notified)


def _writer(notified: bool) -> str:
    if notified:
        return "Penulis sudah diberi tahu lewat WhatsApp."
    return "Penulis tidak mencantumkan nomor WhatsApp, jadi tidak diberi tahu."


def unknown_event(event_id: int) -> str:
    return f"❓ Berita dengan ID {event_id} tidak ditemukan."


def not_waiting(event_id: int, status: EventStatus) -> str:
    return (f"ℹ️ Berita ID {event_id} berstatus *{STATUS_LABELS[status]}*, tidak sedang "
            "menunggu persetujuan.")


NOT_AN_EDITOR = ("⛔ Nomor ini tidak terdaftar sebagai editor Penmas, jadi tidak dapat "
                 "menyetujui atau menolak berita.")
WRONG_FORMAT = (f"Format salah. Gunakan *{APPROVE_COMMAND}#ID* atau "
                f"*{REJECT_COMMAND}#ID alasan*.")
REASON_REQUIRED = (f"Tuliskan alasan penolakan setelah ID, misalnya "
                   f"*{REJECT_COMMAND}#12 data tersangka belum lengkap*.")
