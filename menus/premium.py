"""WhatsApp texts about premium: the request to admins, the decision and the end of access to
the person, the replies to `grantsub#<id>` / `denysub#<id> alasan`, and the console's
lines."""

from __future__ import annotations

from datetime import date

from menus.format import numeric_date, person_label
from storage.models import PremiumRequestStatus
from storage.premium import PremiumHolder, PremiumRequestRecord

GRANT_COMMAND = "grantsub"
DENY_COMMAND = "denysub"
WARNING_DAYS = 3  # the person is told this many days before their access ends

STATUS_LABELS = {
    PremiumRequestStatus.DRAFT: "belum dikonfirmasi",
    PremiumRequestStatus.PENDING: "menunggu keputusan admin",
    PremiumRequestStatus.APPROVED: "disetujui",
    PremiumRequestStatus.REJECTED: "ditolak",
    PremiumRequestStatus.EXPIRED: "berakhir",
}


def _who(request: PremiumRequestRecord) -> str:
    return f"{person_label(request.rank, request.name)} (NRP {request.user_id})"


def request_to_admins(request: PremiumRequestRecord) -> str:
    """To every admin, with the transfer proof attached."""
    return (
        "🔔 *Permintaan Akses Premium*\n\n"
        f"ID: {request.id}\n"
        f"Personel: {_who(request)}\n"
        f"Nama pemilik rekening: {request.sender_name}\n"
        f"Nomor rekening: {request.account_number}\n"
        f"Bank: {request.bank_name}\n"
        "Bukti transfer: terlampir.\n\n"
        f"Balas *{GRANT_COMMAND}#{request.id}* untuk menyetujui atau "
        f"*{DENY_COMMAND}#{request.id} alasan* untuk menolak."
    )


def granted(request_id: int, until: date) -> str:
    """To the person."""
    return (f"✅ Permintaan akses premium Anda (ID {request_id}) *disetujui*.\n"
            f"Akses premium berlaku sampai *{numeric_date(until)}*.")


def denied(request_id: int, reason: str) -> str:
    """To the person."""
    return (f"❌ Permintaan akses premium Anda (ID {request_id}) *ditolak*.\n"
            f"Alasan: {reason}\n\n"
            "Anda dapat mengajukan permintaan baru setelah memperbaikinya.")


def ending_soon(holder: PremiumHolder) -> str:
    """To the person, WARNING_DAYS days before their access ends."""
    return (f"⏳ Akses premium {person_label(holder.rank, holder.name)} berakhir pada "
            f"*{numeric_date(holder.premium_until)}* ({WARNING_DAYS} hari lagi).\n"
            "Ajukan perpanjangan lewat dashboard bila Anda masih memerlukannya.")


def ended(holder: PremiumHolder) -> str:
    """To the person, once their access has ended."""
    return (f"ℹ️ Akses premium {person_label(holder.rank, holder.name)} telah berakhir "
            f"({numeric_date(holder.premium_until)} adalah hari terakhirnya).\n"
            "Ajukan permintaan baru lewat dashboard untuk mengaktifkannya kembali.")


# --- replies to the admin -------------------------------------------------------------------


def granted_reply(request: PremiumRequestRecord, notified: bool) -> str:
    assert request.granted_until is not None
    return (f"✅ Permintaan premium ID {request.id} untuk {_who(request)} disetujui, "
            f"berlaku sampai {numeric_date(request.granted_until)}.\n" + _person(notified))


def denied_reply(request: PremiumRequestRecord, notified: bool) -> str:
    return (f"✅ Permintaan premium ID {request.id} untuk {_who(request)} ditolak.\n"
            + _person(notified))


def _person(notified: bool) -> str:
    if notified:
        return "Pemohon sudah diberi tahu lewat WhatsApp."
    return "Pemohon tidak memiliki nomor WhatsApp, jadi tidak diberi tahu."


def unknown_request(request_id: int) -> str:
    return f"❓ Permintaan premium dengan ID {request_id} tidak ditemukan."


def not_pending(request_id: int, status: PremiumRequestStatus) -> str:
    return (f"ℹ️ Permintaan premium ID {request_id} berstatus *{STATUS_LABELS[status]}*, "
            "tidak sedang menunggu keputusan.")


WRONG_FORMAT = (f"Format salah. Gunakan *{GRANT_COMMAND}#ID* atau "
                f"*{DENY_COMMAND}#ID alasan*.")
REASON_REQUIRED = (f"Tuliskan alasan penolakan setelah ID, misalnya "
                   f"*{DENY_COMMAND}#12 bukti transfer tidak terbaca*.")

# --- the console action ---------------------------------------------------------------------

CONSOLE_OPTION = "Permintaan akses premium"
CHOOSE_REQUEST = "Pilih permintaan premium yang akan diputuskan:"
NO_PENDING = "Tidak ada permintaan premium yang menunggu keputusan."
GRANT = "Setujui"
DENY = "Tolak"
ASK_REASON = "Tuliskan alasan penolakan (akan dikirim ke pemohon):"
REASON_TOO_SHORT = "Alasan terlalu pendek. Tuliskan alasan penolakan minimal 3 karakter."


def request_line(request: PremiumRequestRecord) -> str:
    """One pending request in the console's list."""
    return (f"ID {request.id} – {_who(request)} – {request.bank_name} a.n. "
            f"{request.sender_name}")


def decision_prompt(request: PremiumRequestRecord) -> str:
    return (f"Permintaan premium ID {request.id}\n{_who(request)}\n"
            f"Rekening: {request.account_number} ({request.bank_name}) a.n. "
            f"{request.sender_name}\n\nPutuskan:")
