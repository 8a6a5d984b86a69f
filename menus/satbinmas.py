"""What people read about official Satbinmas accounts over WhatsApp: the `#SatbinmasOfficial`
flow, the client console's account option, the result of an account check, the Instagram
profile of dirrequest 36 and the secUid sync of dirrequest 38."""

from __future__ import annotations

from menus.format import bold, number
from storage.grants import ClientRef
from storage.models import Platform, SatbinmasFetchOutcome
from storage.satbinmas_accounts import ProfileFacts, SatbinmasAccount

PLATFORM_NAMES = {Platform.INSTAGRAM: "Instagram", Platform.TIKTOK: "TikTok"}
COMMAND = "#SatbinmasOfficial"

REFUSED = (f"⛔ *{COMMAND}* hanya untuk operator satker dan pengguna dashboard Cicero dari "
           "satker (Polres) yang bersangkutan.")
CHOOSE_SATKER = "Pilih satker yang akun resminya akan didaftarkan:"
ASK_CONFIRM = "Balas *ya* untuk menambah atau mengubah akun resmi, atau *batal* untuk keluar."
ASK_PLATFORM = ("Pilih platform akun resmi:\n1️⃣ Instagram\n2️⃣ TikTok\n\n"
                "Balas angka atau nama platform. *kembali* ke langkah sebelumnya.")
ASK_NEXT = ("Balas *tambah* untuk platform lain, *ubah* untuk mengganti username, atau "
            "*selesai* untuk menutup.")
CLOSED = "✅ Pendaftaran akun resmi Satbinmas selesai. Terima kasih."
NO_ACCOUNTS = "Belum ada akun resmi yang terdaftar."
FETCH_UNAVAILABLE = ("⚠️ Pengambilan data akun resmi belum tersedia: RAPIDAPI_KEY belum "
                     "diatur. Hubungi admin.")
TASK_QUEUED = ("⏳ Sedang diproses untuk semua akun resmi Satbinmas. Rekapnya dikirim ke chat ini "
               "begitu selesai.")
TASK_RUNNING = ("⏳ Proses yang sama sedang berjalan. Hasilnya dikirim kepada yang memintanya; "
                "coba lagi setelah selesai.")
ASK_PROFILE = ("Kirim username Instagram akun resmi (contoh: *satbinmas_polres*), atau "
               "*CLIENT_ID username* (contoh: *POLRES_A satbinmas_polres*).")


def platform_name(platform: Platform | str) -> str:
    return PLATFORM_NAMES[Platform(platform)]


def profile_url(platform: Platform | str, username: str) -> str:
    if Platform(platform) is Platform.INSTAGRAM:
        return f"https://www.instagram.com/{username}"
    return f"https://www.tiktok.com/@{username}"


def _account_lines(position: int, account: SatbinmasAccount) -> list[str]:
    tick = " ☑️" if account.is_verified else ""
    lines = [f"{position}. {bold(platform_name(account.platform))}: @{account.username}{tick}"]
    if account.display_name:
        lines.append(f"   Nama: {account.display_name}")
    lines.append(f"   {profile_url(account.platform, account.username)}")
    return lines


def role_label(*, operator: bool, super_admin: bool, dashboard_username: str | None) -> str:
    roles = [label for label, held in (("operator satker", operator),
                                       ("super admin satker", super_admin)) if held]
    if dashboard_username:
        roles.append(f"pengguna dashboard {dashboard_username}")
    return ", ".join(roles) or "-"


def account_card(client_id: str, name: str, accounts: list[SatbinmasAccount],
                 role: str) -> str:
    lines = [f"🛡️ {bold('Akun Resmi Satbinmas')}", f"Client ID: {bold(client_id)}",
             f"Satker: {name}", f"Sebagai: {role}", ""]
    if accounts:
        lines.append(bold("Akun terdaftar:"))
        for position, account in enumerate(accounts, 1):
            lines += _account_lines(position, account)
    else:
        lines.append(NO_ACCOUNTS)
    return "\n".join([*lines, "", ASK_CONFIRM])


def choose_satker(satkers: list[tuple[str, str]]) -> str:
    """(client id, name) of each satker offered."""
    lines = [CHOOSE_SATKER]
    lines += [f"{n}. {name} ({client_id})" for n, (client_id, name) in enumerate(satkers, 1)]
    return "\n".join([*lines, "", f"Balas angka 1–{len(satkers)}, atau *batal* untuk keluar."])


def invalid_satker(count: int) -> str:
    return f"❌ Pilihan tidak dikenal. Balas angka 1–{count}, atau *batal* untuk keluar."


def ask_username(platform: Platform | str, satker_name: str) -> str:
    name = platform_name(platform)
    return (f"Kirim username {name} akun resmi Satbinmas {bold(satker_name)} (boleh dengan @ "
            f"atau link profil). *kembali* untuk memilih platform lain.")


def checking(platform: Platform | str, username: str) -> str:
    return (f"⏳ Memeriksa akun {platform_name(platform)} @{username}… Hasilnya dikirim "
            "sebentar lagi.")


def _stored(account: SatbinmasAccount, verb: str) -> str:
    lines = [f"✅ Akun {platform_name(account.platform)} resmi {bold(account.client_name)} "
             f"{verb}: @{account.username}"]
    if account.display_name:
        lines.append(f"Nama: {account.display_name}")
    lines.append(f"Terverifikasi: {'ya ☑️' if account.is_verified else 'tidak'}")
    if account.followers is not None:
        lines.append(f"Pengikut: {number(account.followers)}")
    lines.append(f"Profil: {profile_url(account.platform, account.username)}")
    return "\n".join(lines)


def check_result(outcome: str, platform: Platform, username: str,
                 account: SatbinmasAccount | None, *, in_flow: bool = True) -> str:
    """The answer to a registration once the platform was asked; `in_flow`: with what the
    `#SatbinmasOfficial` flow expects next."""
    name = platform_name(platform)
    if outcome in ("created", "updated") and account is not None:
        verb = "ditambahkan" if outcome == "created" else "diperbarui"
        return f"{_stored(account, verb)}\n\n{ASK_NEXT}" if in_flow else _stored(account, verb)
    retry = ("\n\nBalas *ubah* untuk mengirim username lain, atau *selesai*." if in_flow
             else "")
    reasons = {
        "not_found": f"❌ Akun {name} @{username} tidak ditemukan.",
        "private": (f"🔒 Akun {name} @{username} privat. Akun resmi harus publik agar kontennya "
                    "bisa dipantau."),
        "taken": f"❌ @{username} sudah terdaftar sebagai akun resmi {name} satker lain.",
        "unavailable": "⚠️ Pemeriksaan akun belum tersedia (RAPIDAPI_KEY belum diatur).",
    }
    reason = reasons.get(outcome, f"⚠️ Akun {name} @{username} belum bisa diperiksa karena "
                                  "layanan sedang bermasalah.")
    return f"{reason} Akun tidak disimpan.{retry}"


def username_taken(platform: Platform | str, username: str) -> str:
    """Said before any lookup, while the username is still asked."""
    return (f"❌ @{username} sudah terdaftar sebagai akun resmi {platform_name(platform)} "
            "satker lain. Kirim username lain, atau *batal* untuk keluar.")


def instagram_profile(facts: ProfileFacts, satker: ClientRef | None) -> str:
    lines = [f"📇 {bold('Profil Instagram')}"]
    if satker is not None:
        lines += [f"Client ID: {bold(satker.client_id)}", f"Satker: {satker.name}"]
    lines += [f"Username: @{facts.username}",
              f"Nama: {facts.display_name or '-'}",
              f"Pengikut: {number(facts.followers or 0)}",
              f"Mengikuti: {number(facts.following or 0)}",
              f"Postingan: {number(facts.post_count or 0)}",
              f"Terverifikasi: {'ya' if facts.is_verified else 'tidak'}",
              f"Privat: {'ya' if facts.is_private else 'tidak'}",
              f"Bio: {facts.biography or '-'}",
              f"Profil: {profile_url(Platform.INSTAGRAM, facts.username)}"]
    return "\n".join(lines)


def profile_missing(username: str) -> str:
    return f"❌ Akun Instagram @{username} tidak ditemukan."


def profile_failed(username: str) -> str:
    return (f"⚠️ Profil Instagram @{username} belum bisa diambil karena layanan sedang "
            "bermasalah. Coba lagi nanti.")


FAILURE_REASONS = {
    SatbinmasFetchOutcome.NOT_FOUND: "akun tidak ditemukan",
    SatbinmasFetchOutcome.PRIVATE: "akun privat",
    SatbinmasFetchOutcome.FAILED: "layanan gagal merespons",
}


def secuid_sync(synced: list[tuple[str, str, str | None]],
                failed: list[tuple[str, str, SatbinmasFetchOutcome]],
                without: list[str]) -> str:
    lines = [f"🎵 {bold('Sinkronisasi secUid TikTok akun resmi Satbinmas')}",
             f"Akun diperiksa: {number(len(synced) + len(failed))} · berhasil: "
             f"{number(len(synced))} · gagal: {number(len(failed))}", "",
             bold(f"✅ Tersinkron ({number(len(synced))})")]
    lines += [f"{n}. {name} — @{username}: {sec_uid or 'secUid kosong'}"
              for n, (name, username, sec_uid) in enumerate(synced, 1)] or ["-"]
    if failed:
        lines += ["", bold(f"⚠️ Gagal ({number(len(failed))})")]
        lines += [f"{n}. {name} — @{username}: {FAILURE_REASONS[outcome]}"
                  for n, (name, username, outcome) in enumerate(failed, 1)]
    lines += ["", bold(f"🚫 Belum input akun TikTok ({number(len(without))})")]
    lines += [f"{n}. {name}" for n, name in enumerate(without, 1)] or ["-"]
    return "\n".join(lines)


# --- console options (dirrequest 36–41, clientrequest 1.2.5) -----------------------------------

SECTION = "Monitoring Satbinmas Official"
OPTION_PROFILE = "Metadata profil Instagram akun resmi"
OPTION_FETCH_INSTAGRAM = "Ambil konten Instagram hari ini (semua akun resmi)"
OPTION_SYNC_SECUID = "Sinkronkan secUid TikTok akun resmi"
OPTION_FETCH_TIKTOK = "Ambil konten TikTok hari ini (semua akun resmi)"
OPTION_RECAP_INSTAGRAM = "Rekap konten Instagram akun resmi (harian/mingguan/bulanan)"
OPTION_RECAP_TIKTOK = "Rekap konten TikTok akun resmi (harian/mingguan/bulanan)"
OPTION_REGISTER = "Akun resmi Satbinmas (tambah/ubah)"
OPTION_COVERAGE = "Absensi akun resmi Satbinmas"
ASK_ACCOUNT_USERNAME = "Kirim username akun resmi (boleh dengan @ atau link profil)."
NOT_YOURS = "⛔ Anda tidak berhak mengubah akun resmi satker ini."


def ask_account_platform(name: str, accounts: list[SatbinmasAccount]) -> str:
    """The platform question of the client console, with the satker's current accounts."""
    current = [f"• {platform_name(a.platform)}: @{a.username}" for a in accounts] \
        or [NO_ACCOUNTS]
    return "\n".join([f"🛡️ Akun resmi Satbinmas {bold(name)}", *current, "",
                      "Pilih platform yang akan ditambah/diubah:"])


def fetching_profile(username: str) -> str:
    return f"⏳ Mengambil profil Instagram @{username}… Hasilnya dikirim sebentar lagi."


def unknown_client(client_id: str) -> str:
    return f"❌ Client {client_id} tidak ditemukan.\n\n{ASK_PROFILE}"
