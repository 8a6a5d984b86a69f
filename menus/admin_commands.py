"""What admins read about the one-shot `xxx#` commands."""

from __future__ import annotations

from menus.format import bold

COMMANDS = (
    ("fetchinsta#ID", "ambil konten & likes Instagram client"),
    ("fetchtiktok#ID", "ambil konten & komentar TikTok client"),
    ("absensilikes#ID[#sudah|#belum]", "absensi likes Instagram"),
    ("absensikomentar#ID[#sudah|#belum]", "absensi komentar TikTok"),
    ("clientinfo#ID", "info client"),
    ("addnewclient#ID#NAMA", "tambah client"),
    ("updateclient#ID#FIELD#NILAI", "ubah satu data client"),
    ("removeclient#ID", "hapus client (ditolak bila masih punya data)"),
    ("approvedash#USERNAME / denydash#USERNAME", "setujui / tolak akun dashboard"),
    ("savecontact", "simpan nomor WhatsApp personil ke Google Contacts"),
)


def usage(form: str) -> str:
    return f"❌ Format perintah: {bold(form)}"


def unknown(command: str) -> str:
    lines = [f"❌ Perintah {bold(command)} tidak dikenal. Perintah admin yang tersedia:"]
    lines += [f"• *{name}* – {what}" for name, what in COMMANDS]
    return "\n".join(lines)
