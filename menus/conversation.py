"""The lines every conversation shares: cancel, back, expiry, errors, the menu."""

from __future__ import annotations

from collections.abc import Collection

from menus import admin_commands as admin_texts
from storage.identities import Identity, IdentityKind

SESSION_EXPIRED = "⏱️ Sesi sebelumnya telah berakhir karena tidak ada balasan selama 5 menit."
CANCELLED = "✅ Menu ditutup. Ketik *menu* untuk melihat perintah yang tersedia."
NOTHING_TO_CANCEL = "Tidak ada sesi yang sedang berjalan. Ketik *menu* untuk melihat perintah."
NO_PREVIOUS_STEP = "Tidak ada langkah sebelumnya. Silakan jawab pertanyaan berikut."
STILL_WAITING = "⏳ Kami masih menunggu balasan Anda. Ketik *batal* untuk keluar."
ENDING_SOON = ("⏳ Sesi akan berakhir dalam 1 menit jika tidak ada balasan. "
               "Balas pesan sebelumnya untuk melanjutkan.")
INTERNAL_ERROR = ("🙏 Maaf, terjadi kendala di sistem kami saat memproses pesan Anda. "
                  "Silakan coba lagi beberapa saat lagi.")
YES_NO_HINT = "Balas *ya* atau *tidak*, atau *batal* untuk keluar."
ACCESS_DENIED = ("⛔ Maaf, nomor ini tidak memiliki akses ke menu tersebut. "
                 "Ketik *menu* untuk melihat perintah yang tersedia untuk Anda.")
GATEWAY_ONLY = ("Nomor ini khusus untuk pengiriman informasi dan pengingat.\n"
                "Untuk melihat atau mengubah data Anda, ketik *userrequest*.")

_COMPLAINT_HINT = ("• Kirim *Pesan Komplain* (baris *NRP*, *Kendala*) bila absensi Anda "
                   "tidak sesuai")
# The consoles, in the order the menu lists them, with what each is for.
CONSOLE_LINES = (
    ("oprrequest", "menu operator: tambah, ubah, aktif/nonaktifkan personil; update tugas; "
                   "rekap link; absensi amplifikasi dan registrasi; kotak komplain"),
    ("clientrequest", "menu client (admin): kelola client dan personil, media sosial, impor "
                      "personil, rekap login, kotak komplain"),
    ("dirrequest", "menu direktorat: rekap absensi, laporan harian, Excel, ranking"),
    ("dashrequest", "menu dashboard: rekap data dan absensi client Anda"),
    ("wabot", "job terjadwal: lihat dan aktifkan/nonaktifkan"),
)
_BULK_HINT = ("• Kirim template *Permohonan Penghapusan Data Personil* (baris *1. NAMA – NRP – "
              "alasan*) untuk menonaktifkan personil")


def menu_for(identity: Identity, session: str, *, consoles: Collection[str] = (),
             admin: bool = False, bulk: bool = False) -> str:
    """The commands this person can use here: their own data, complaints, the consoles
    they may open (`consoles`), the bulk template and, for an admin, the admin commands."""
    lines = ["📋 *Menu Cicero*", ""]
    if IdentityKind.PERSONNEL in identity.kinds:
        lines.append("• *userrequest* – lihat dan ubah data Anda (nama, pangkat, satfung, "
                     "jabatan, Instagram, TikTok)")
        lines.append("• *notifwa#on* / *notifwa#off* – nyalakan / matikan pengingat tugas harian")
        lines.append("• *lapor* – laporkan link unggahan ulang (amplifikasi) tugas hari ini")
    else:
        lines.append("• *userrequest* – hubungkan nomor WhatsApp ini dengan NRP/NIP Anda")
    lines.append(_COMPLAINT_HINT)
    lines += [f"• *{name}* – {what}" for name, what in CONSOLE_LINES if name in consoles]
    if bulk:
        lines.append(_BULK_HINT)
    if admin:
        lines += ["", "*Perintah admin:*"]
        lines += [f"• *{name}* – {what}" for name, what in admin_texts.COMMANDS]
    lines += ["", "• *batal* – keluar dari menu, *kembali* – ke langkah sebelumnya"]
    return "\n".join(lines)


def unknown_command(identity: Identity, session: str, *, consoles: Collection[str] = (),
                    admin: bool = False, bulk: bool = False) -> str:
    if session == "gateway" and not (consoles or admin or bulk):
        return GATEWAY_ONLY
    return "Perintah tidak dikenali.\n\n" + menu_for(identity, session, consoles=consoles,
                                                      admin=admin, bulk=bulk)


def too_fast(window_seconds: int) -> str:
    """Told once to a sender over the inbound throttle; the window's other messages go
    unanswered."""
    wait = (f"{window_seconds // 60} menit" if window_seconds % 60 == 0
            else f"{window_seconds} detik")
    return (f"⏳ Anda mengirim pesan terlalu cepat. Mohon tunggu sekitar {wait}, lalu kirim "
            "kembali pesan Anda. Pesan yang masuk sebelum itu tidak akan dibalas.")
