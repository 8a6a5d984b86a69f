"""What people read about a client's official Satbinmas accounts (reference §4.5, §7)."""

from __future__ import annotations

from collections.abc import Sequence

from menus.format import bold, dash_list, number
from storage.models import Platform
from storage.official_accounts import Coverage, OfficialAccount, SaveOutcome

TITLE = "Menu Akun Resmi Satbinmas"
REFUSED = ("⛔ Maaf, nomor ini tidak memiliki akses ke *#SatbinmasOfficial*: menu ini untuk "
           "pengguna dashboard, operator dan super admin satker yang terdaftar, dan admin "
           "Cicero.")
SHOW = "Lihat akun resmi client ini"
SAVE = "Daftarkan / ubah akun resmi"
COVERAGE = "Absensi akun resmi Satbinmas (semua satker)"
ASK_USERNAME = "Ketik *username* akun resmi (boleh dengan @ atau link profil):"
PLATFORM_NAMES = {Platform.INSTAGRAM: "Instagram", Platform.TIKTOK: "TikTok"}


def _name(platform: Platform | str) -> str:
    return PLATFORM_NAMES[Platform(platform)]


def account_list(client_name: str, accounts: Sequence[OfficialAccount]) -> str:
    if not accounts:
        return (f"ℹ️ {bold(client_name)} belum punya akun resmi Satbinmas terdaftar. Pilih "
                f"*{SAVE}* untuk mendaftarkannya.")
    lines = [f"🏢 {bold('Akun resmi Satbinmas ' + client_name)}"]
    for account in accounts:
        state = "🟢 aktif" if account.active else "🔴 tidak aktif"
        tick = " ☑️ terverifikasi" if account.verified else ""
        lines += ["", f"*{_name(account.platform)}:* @{account.username} ({state}{tick})",
                  f"Nama: {account.display_name or '-'}",
                  f"Link: {account.profile_url or '-'}"]
    return "\n".join(lines)


def queued(platform: Platform | str, username: str) -> str:
    return (f"⏳ Akun {_name(platform)} *@{username}* sedang diperiksa; hasilnya dikirim ke "
            "chat ini begitu selesai.")


def saved(client_id: str, platform: Platform, username: str, outcome: SaveOutcome, *,
          display_name: str | None, profile_url: str | None, secuid: str | None,
          active: bool, verified: bool) -> str:
    what = "ditambahkan" if outcome is SaveOutcome.ADDED else "diperbarui"
    lines = [f"✅ Akun resmi {_name(platform)} {bold(client_id)} {what}: *@{username}*",
             f"• Nama: {display_name or '-'}", f"• Link: {profile_url or '-'}",
             f"• Status: {'🟢 aktif' if active else '🔴 tidak aktif'}",
             f"• Terverifikasi: {'ya' if verified else 'tidak'}"]
    if secuid:
        lines.append(f"• secUid: {secuid}")
    return "\n".join(lines)


def not_found(platform: Platform, username: str) -> str:
    return (f"❌ Akun {_name(platform)} *@{username}* tidak ditemukan; tidak ada yang "
            "disimpan. Periksa username-nya lalu coba lagi.")


def lookup_failed(platform: Platform, username: str) -> str:
    return (f"❌ Akun {_name(platform)} *@{username}* belum dapat diperiksa (layanan sedang "
            "bermasalah). Silakan coba lagi nanti.")


def taken(platform: Platform, username: str, holder: str | None) -> str:
    return (f"⛔ *@{username}* sudah terdaftar sebagai akun resmi {_name(platform)} client "
            f"{bold(holder or '-')}; tidak ada yang diubah.")


def coverage(rows: Sequence[Coverage]) -> str:
    both = [row for row in rows if {"instagram", "tiktok"} <= row.platforms]
    partial = [row for row in rows if row.platforms and row not in both]
    missing = [row for row in rows if not row.platforms]
    lines = [f"📋 {bold('Absensi akun resmi Satbinmas')}", "",
             f"✅ {bold(f'Lengkap Instagram & TikTok ({number(len(both))})')}",
             *dash_list([row.name for row in both]), "",
             f"⚠️ {bold(f'Baru satu platform ({number(len(partial))})')}",
             *dash_list([f"{row.name} (belum {_missing(row)})" for row in partial]), "",
             f"❌ {bold(f'Belum ada akun ({number(len(missing))})')}",
             *dash_list([row.name for row in missing]), "",
             "Satker yang belum lengkap: kirim *#SatbinmasOfficial* ke WhatsApp Cicero untuk "
             "mendaftarkan akun resminya."]
    return "\n".join(lines)


def _missing(row: Coverage) -> str:
    return " & ".join(_name(p) for p in (Platform.INSTAGRAM, Platform.TIKTOK)
                      if p.value not in row.platforms)
