"""What a field officer reads while registering and updating their own data."""

from __future__ import annotations

from datetime import datetime

from menus.format import greeting
from storage.identifiers import NrpBadLength, NrpNotNumeric
from storage.personnel_profile import Profile, ProfileField

FIELD_LABELS: dict[ProfileField, str] = {
    ProfileField.NAME: "Nama",
    ProfileField.RANK: "Pangkat",
    ProfileField.SATFUNG: "Satfung",
    ProfileField.JABATAN: "Jabatan",
    ProfileField.INSTAGRAM: "Instagram",
    ProfileField.TIKTOK: "TikTok",
    ProfileField.DESA: "Desa Binaan",
}

ASK_NRP = ("Nomor WhatsApp ini belum terdaftar di Cicero.\n"
           "Untuk menampilkan data Anda, ketik *NRP/NIP* Anda (angka saja).\n"
           "Contoh: *87020990*\n\nKetik *batal* untuk keluar.")
NRP_NOT_NUMERIC = (f"❌ {NrpNotNumeric.default_message}\n"
                   "Contoh: *87020990*. Ketik *batal* untuk keluar.")
NRP_BAD_LENGTH = (f"❌ {NrpBadLength.default_message}\n"
                  "Contoh: *87020990*. Ketik *batal* untuk keluar.")
LINK_DECLINED = ("Nomor WhatsApp ini tetap belum terhubung.\n"
                 "Ketik *userrequest* untuk mencoba lagi, atau hubungi operator satker Anda.")
NUMBER_IN_USE = ("⛔ Nomor WhatsApp ini sudah terhubung dengan NRP lain.\n"
                 "Hubungi operator satker Anda bila data tersebut keliru.")
CLOSED = "Terima kasih. Sesi ditutup. Ketik *userrequest* untuk memulai lagi."
NOT_YOURS = ("Terima kasih atas konfirmasinya. Jika data tersebut bukan milik Anda, hubungi "
             "operator satker Anda agar nomor WhatsApp diperbaiki.\n"
             "Sesi ditutup. Ketik *userrequest* untuk memulai lagi.")
ASK_UPDATE = "Apakah Anda ingin mengubah data? Balas *ya* atau *tidak*."
ASK_MORE = "Apakah Anda ingin mengubah data lain? Balas *ya* atau *tidak*."
ASK_IDENTITY = "Apakah data di atas milik Anda? Balas *ya*, *tidak*, atau *batal*."
YES_NO_AGAIN = "Jawaban tidak dikenali. Balas *ya* atau *tidak*, atau *batal* untuk keluar."
INACTIVE_NO_EDIT = ("⛔ Status akun Anda *NONAKTIF*, sehingga data tidak dapat diubah lewat "
                    "WhatsApp. Hubungi operator satker Anda untuk mengaktifkan kembali.")
RESERVED_ACCOUNT = ("❌ Akun *@{name}* adalah akun milik admin sistem dan tidak dapat "
                    "didaftarkan sebagai akun pribadi.")
NOT_A_COMMAND = "❌ Itu kata perintah, bukan {label}. Ketik {label} yang baru."
NOT_A_VALUE = ("❌ *{value}* adalah jawaban ya/tidak, bukan {label}. Ketik {label} yang baru, "
               "atau *kembali* untuk memilih data lain.")
BAD_TEXT_LENGTH = "❌ {label} harus terdiri dari 2–100 karakter. Ketik {label} yang baru."
WHATSAPP_OWN_NUMBER = ("❌ Itu nomor WhatsApp Anda sendiri (operator). Masukkan nomor WhatsApp "
                       "milik personil tersebut.")
BAD_NAME = ("❌ Nama hanya boleh berisi huruf, spasi, titik, koma, tanda petik dan tanda "
            "hubung. Ketik nama yang baru.")


def not_linkable(nrp: str) -> str:
    """One answer whether the NRP is unknown, linked to another number or inactive: a stranger
    must not learn which NRPs exist or are linked."""
    return (f"❌ NRP/NIP *{nrp}* tidak dapat dihubungkan dengan nomor WhatsApp ini.\n"
            "Periksa kembali NRP/NIP Anda. Bila sudah benar, hubungi operator satker Anda "
            "(misalnya bila nomor WhatsApp pada data Anda perlu diganti).\n"
            "Masukkan NRP/NIP lain atau ketik *batal*.")


def confirm_link(nrp: str) -> str:
    return (f"✅ NRP/NIP *{nrp}* ditemukan. Nomor WhatsApp ini belum terdaftar.\n"
            "Hubungkan nomor ini dengan NRP/NIP tersebut? Balas *ya* atau *tidak*.")


def confirm_link_hint(nrp: str) -> str:
    return (f"Balas *ya* untuk menghubungkan nomor ini dengan NRP/NIP *{nrp}*, atau *tidak* "
            "untuk membatalkan.")


def linked(nrp: str) -> str:
    return f"✅ Nomor WhatsApp ini berhasil dihubungkan dengan NRP/NIP *{nrp}*."


def profile_card(profile: Profile) -> str:
    lines = [
        "👤 *Identitas Anda*",
        "",
        f"*Satker:* {profile.client_name or profile.client_id or '-'}",
        f"*Nama:* {profile.name or '-'}",
        f"*Pangkat:* {profile.rank or '-'}",
        f"*NRP/NIP:* {profile.user_id}",
        f"*Satfung:* {profile.satfung or '-'}",
        f"*Jabatan:* {profile.jabatan or '-'}",
    ]
    if profile.directorate_member:
        lines.append(f"*Desa Binaan:* {profile.desa or '-'}")
    lines += [
        f"*Instagram:* {'@' + profile.instagram if profile.instagram else '-'}",
        f"*TikTok:* {'@' + profile.tiktok if profile.tiktok else '-'}",
        f"*Status:* {'🟢 AKTIF' if profile.active else '🔴 NONAKTIF'}",
    ]
    return "\n".join(lines)


def identity_question(profile: Profile, now: datetime) -> str:
    return f"{greeting(now)}, Bapak/Ibu.\n\n{profile_card(profile)}\n\n{ASK_IDENTITY}"


def field_menu(fields: list[ProfileField]) -> str:
    lines = ["✏️ *Pilih data yang ingin diubah:*", ""]
    lines += [f"{number}. {FIELD_LABELS[field]}" for number, field in enumerate(fields, 1)]
    lines += ["", "Balas dengan *angka*, atau ketik *batal* untuk keluar."]
    return "\n".join(lines)


def invalid_field(fields: list[ProfileField]) -> str:
    return f"❌ Pilihan tidak valid. Balas dengan angka 1–{len(fields)}.\n\n" + field_menu(fields)


def numbered(title: str, options: list[str]) -> str:
    lines = [f"*{title}:*"] + [f"{number}. {option}" for number, option in enumerate(options, 1)]
    return "\n".join(lines)


_VALUE_HINTS: dict[ProfileField, str] = {
    ProfileField.NAME: "Ketik *nama lengkap* Anda yang baru.",
    ProfileField.JABATAN: "Ketik *jabatan* Anda yang baru.",
    ProfileField.DESA: "Ketik nama *desa binaan* Anda.",
    ProfileField.INSTAGRAM: ("Kirim *link profil Instagram* atau *username* Anda.\n"
                             "Contoh: https://instagram.com/nama.anda atau @nama.anda"),
    ProfileField.TIKTOK: ("Kirim *link profil TikTok* atau *username* Anda.\n"
                          "Contoh: https://www.tiktok.com/@nama.anda atau @nama.anda"),
    ProfileField.RANK: "Balas dengan *nomor* atau *nama pangkat* dari daftar di atas.",
    ProfileField.SATFUNG: "Balas dengan *nomor* atau *nama satfung* dari daftar di atas.",
}


def ask_value(field: ProfileField, options: list[str] | None = None) -> str:
    hint = _VALUE_HINTS[field] + "\nKetik *kembali* untuk memilih data lain."
    if options:
        return numbered(f"Daftar {FIELD_LABELS[field]}", options) + "\n\n" + hint
    return hint


def invalid_option(field: ProfileField, options: list[str]) -> str:
    return (f"❌ {FIELD_LABELS[field]} tidak valid. Pilih dari daftar berikut.\n\n"
            + ask_value(field, options))


def username_taken(field: ProfileField, username: str) -> str:
    return (f"❌ Username {FIELD_LABELS[field]} *@{username}* sudah terdaftar pada pengguna "
            "lain. Jika itu akun Anda, hubungi operator satker Anda.\n"
            "Kirim username lain atau ketik *batal*.")


def whatsapp_taken(phone: str) -> str:
    return (f"❌ Nomor WhatsApp {phone} sudah terhubung dengan personil lain. Kosongkan dulu "
            "nomor pada personil tersebut, atau masukkan nomor lain.")


def updated(field: ProfileField, nrp: str, value: str) -> str:
    shown = f"@{value}" if field in (ProfileField.INSTAGRAM, ProfileField.TIKTOK) else value
    return (f"✅ Data *{FIELD_LABELS[field]}* untuk NRP/NIP {nrp} berhasil diubah menjadi "
            f"*{shown}*.")
