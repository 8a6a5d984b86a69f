"""Replies to `notifwa#on` / `notifwa#off`."""

from __future__ import annotations

ENABLED = ("✅ Notifikasi WhatsApp untuk tugas likes Instagram dan komentar TikTok "
           "*diaktifkan*.\nKetik *notifwa#off* untuk mematikannya.")
DISABLED = ("✅ Notifikasi WhatsApp untuk tugas likes Instagram dan komentar TikTok "
            "*dinonaktifkan*.\nKetik *notifwa#on* untuk menyalakannya lagi.")
WRONG_FORMAT = "Format salah. Gunakan *notifwa#on* atau *notifwa#off*."
NOT_LINKED = ("Nomor ini belum terhubung dengan data personel.\n"
              "Ketik *userrequest* lalu kirim NRP/NIP Anda untuk mendaftar.")
