"""What a person receives when logging in to the personnel app with a one-time code."""

from __future__ import annotations

from menus.claim_mail import Mail


def _addressee(name: str, rank: str | None) -> str:
    return " ".join(part for part in (rank, name) if part)


def login_code_whatsapp(*, name: str, rank: str | None, code: str, valid_minutes: int) -> str:
    return (f"🔐 Kode login aplikasi Cicero untuk {_addressee(name, rank)}:\n\n*{code}*\n\n"
            f"Berlaku {valid_minutes} menit, satu kali pakai. Jangan berikan kode ini kepada "
            "siapa pun. Abaikan pesan ini bila Anda tidak sedang login.")


def login_code_mail(*, name: str, rank: str | None, nrp: str, code: str,
                    valid_minutes: int) -> Mail:
    body = (f"Yth. {_addressee(name, rank)},\n\n"
            f"Kode login aplikasi Cicero untuk NRP/NIP {nrp} adalah:\n\n    {code}\n\n"
            f"Kode berlaku {valid_minutes} menit dan hanya dapat dipakai satu kali. Jangan "
            "berikan kode ini kepada siapa pun.\n\nJika Anda tidak sedang login, abaikan email "
            "ini.\n\nSalam,\nCicero")
    return Mail(subject="Kode login aplikasi Cicero", body=body)


CODE_SENT = ("Bila NRP/NIP terdaftar dan aktif dengan nomor WhatsApp (atau email) tercatat, kode "
             "login telah dikirim ke sana dan berlaku 5 menit.")
BAD_CODE = "NRP/NIP atau kode login salah, atau kode sudah kedaluwarsa"
LOGGED_OUT = "Anda telah logout"
