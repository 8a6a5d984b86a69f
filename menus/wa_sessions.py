"""What admins read over WhatsApp about the bot's own sessions."""

from __future__ import annotations


def session_left_working(session: str, state: str, error: str) -> str:
    """The notice sent (on another working session) when a session stops WORKING."""
    why = f" ({error})" if error else ""
    return (f"⚠️ Sesi WhatsApp *{session}* tidak lagi aktif: sekarang {state}{why}. "
            "Pesan untuk sesi ini menunggu di antrean. Periksa dan pasang ulang di halaman /wa.")
