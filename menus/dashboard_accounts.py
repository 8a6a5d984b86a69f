"""WhatsApp texts about dashboard accounts: registration requests to admins, the
registrant's acknowledgement, approval answers, and the password-reset link."""

from __future__ import annotations

from collections.abc import Sequence

APPROVE_COMMAND = "approvedash"
DENY_COMMAND = "denydash"


def registration_request(username: str, account_id: str, role: str, whatsapp: str,
                         client_ids: Sequence[str]) -> str:
    """To every admin: a new account waits for approval."""
    clients = ", ".join(client_ids) if client_ids else "-"
    return (
        "📋 *Permintaan Akun Dashboard Cicero*\n\n"
        f"Username: *{username}*\n"
        f"ID: {account_id}\n"
        f"Peran: {role}\n"
        f"WhatsApp: {whatsapp}\n"
        f"Client: {clients}\n\n"
        f"Balas *{APPROVE_COMMAND}#{username}* untuk menyetujui atau "
        f"*{DENY_COMMAND}#{username}* untuk menolak."
    )


def registration_received(username: str) -> str:
    """To the registrant, right after registering."""
    return (
        f"✅ Pendaftaran akun dashboard Cicero *{username}* sudah kami terima.\n"
        "Akun Anda menunggu persetujuan admin. Kami akan mengabari Anda lewat WhatsApp ini "
        "setelah akun disetujui."
    )


def account_approved(username: str, dashboard_url: str | None) -> str:
    """To the registrant: they may log in now."""
    where = f" di {dashboard_url}" if dashboard_url else ""
    return (f"✅ Akun dashboard Cicero *{username}* telah *disetujui*.\n"
            f"Silakan login{where} dengan username dan password Anda.")


def account_rejected(username: str) -> str:
    """To the registrant: the request was refused."""
    return (f"❌ Permintaan akun dashboard Cicero *{username}* *ditolak* oleh admin.\n"
            "Hubungi admin bila menurut Anda ini keliru.")


def approved_reply(username: str, owner_notified: bool) -> str:
    return f"✅ Akun dashboard *{username}* telah disetujui.\n" + _owner(owner_notified)


def denied_reply(username: str, owner_notified: bool) -> str:
    return (f"✅ Akun dashboard *{username}* telah ditolak dan semua sesi loginnya dicabut.\n"
            + _owner(owner_notified))


def _owner(notified: bool) -> str:
    if notified:
        return "Pemilik akun sudah diberi tahu lewat WhatsApp."
    return "Pemilik akun tidak mencantumkan nomor WhatsApp, jadi tidak diberi tahu."


def already_approved(username: str) -> str:
    return f"ℹ️ Akun dashboard *{username}* sudah disetujui sebelumnya."


def already_rejected(username: str) -> str:
    return f"ℹ️ Akun dashboard *{username}* sudah ditolak sebelumnya."


def unknown_account(username: str) -> str:
    return f"❓ Akun dashboard dengan username *{username}* tidak ditemukan."


WRONG_FORMAT = (f"Format salah. Gunakan *{APPROVE_COMMAND}#username* atau "
                f"*{DENY_COMMAND}#username*.")


def password_reset_link(username: str, link: str, minutes: int) -> str:
    """To the account's WhatsApp: the one-time reset link."""
    return (
        f"🔐 Permintaan reset password akun dashboard Cicero *{username}*.\n\n"
        f"Buka tautan berikut untuk membuat password baru (berlaku {minutes} menit, "
        f"hanya sekali pakai):\n{link}\n\n"
        "Abaikan pesan ini bila Anda tidak meminta reset password. "
        "Jangan bagikan tautan ini kepada siapa pun."
    )


def password_reset_token(username: str, token: str, minutes: int) -> str:
    """Same, when no dashboard address is configured: the token itself."""
    return (
        f"🔐 Permintaan reset password akun dashboard Cicero *{username}*.\n\n"
        f"Token reset (berlaku {minutes} menit, hanya sekali pakai):\n{token}\n\n"
        "Masukkan token ini di halaman reset password dashboard. "
        "Abaikan pesan ini bila Anda tidak meminta reset password."
    )
