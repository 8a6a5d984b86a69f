"""The e-mail carrying the one-time code of the claim flow (self-service profile update)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str


def otp_mail(*, name: str, rank: str | None, nrp: str, code: str, valid_minutes: int) -> Mail:
    """Plain-text mail with the code; the code stands alone on its own line."""
    addressee = " ".join(part for part in (rank, name) if part)
    body = (
        f"Yth. {addressee},\n\n"
        f"Kode OTP untuk memperbarui data personel NRP/NIP {nrp} di Cicero adalah:\n\n"
        f"    {code}\n\n"
        f"Kode berlaku {valid_minutes} menit dan hanya dapat dipakai satu kali. "
        "Jangan berikan kode ini kepada siapa pun, termasuk kepada petugas.\n\n"
        "Jika Anda tidak meminta kode ini, abaikan email ini; data Anda tidak berubah.\n\n"
        "Salam,\nCicero"
    )
    return Mail(subject="Kode OTP pembaruan data personel Cicero", body=body)
