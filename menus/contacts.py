"""What an admin reads about saving personnel numbers to Google Contacts."""

from __future__ import annotations

from menus.format import number

QUEUED = ("⏳ Nomor WhatsApp personil sedang disimpan ke Google Contacts; ringkasannya dikirim "
          "ke chat ini begitu selesai.")
NOT_CONFIGURED = ("⚠️ Google Contacts belum dikonfigurasi (GOOGLE_SERVICE_ACCOUNT). Tidak ada "
                  "nomor yang disimpan.")


def saved(count: int, failed: int) -> str:
    if not count and not failed:
        return "✅ Semua nomor WhatsApp personil aktif sudah tersimpan di Google Contacts."
    text = f"✅ {number(count)} nomor WhatsApp personil disimpan ke Google Contacts."
    if failed:
        text += f" ⚠️ {number(failed)} gagal; jalankan *savecontact* lagi nanti."
    return text
