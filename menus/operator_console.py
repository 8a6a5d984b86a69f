"""What operators and admins read while managing personnel in the consoles (oprrequest,
clientrequest): the questions, the person's card and the outcome of each change."""

from __future__ import annotations

from menus.format import bold, person_label
from menus.profile import FIELD_LABELS
from storage.personnel_profile import Profile, ProfileField

ASK_NRP = "Ketik *NRP/NIP* personil (angka saja):"
ASK_NEW_NRP = "Ketik *NRP/NIP* personil baru (angka saja):"
ASK_NAME = "Ketik *nama lengkap* personil:"
ASK_RANK = "Pilih *pangkat* personil:"
ASK_SATFUNG = "Pilih *satfung* personil:"
ASK_JABATAN = "Ketik *jabatan* personil:"
ASK_FIELD = "Pilih data yang akan diubah:"
ASK_STATUS = "Pilih status baru:"
ASK_EXCEPTION = "Jadikan personil ini *pengecualian* (selalu dihitung sudah melaksanakan)?"
ASK_TARGET_CLIENT = "Pindahkan ke client:"
ACTIVE, INACTIVE = "Aktif", "Nonaktif"
EXCEPTION_ON, EXCEPTION_OFF = "Ya, pengecualian", "Bukan pengecualian"
CLEAR_WHATSAPP = "Hapus nomor WhatsApp"
WHATSAPP = "WhatsApp"

# The fields an operator may change (ProfileField values, WhatsApp and clearing it).
FIELD_CHOICES: tuple[tuple[str, str], ...] = (
    (ProfileField.NAME.value, FIELD_LABELS[ProfileField.NAME]),
    (ProfileField.RANK.value, FIELD_LABELS[ProfileField.RANK]),
    (ProfileField.SATFUNG.value, FIELD_LABELS[ProfileField.SATFUNG]),
    (ProfileField.JABATAN.value, FIELD_LABELS[ProfileField.JABATAN]),
    ("whatsapp", WHATSAPP),
    (ProfileField.INSTAGRAM.value, FIELD_LABELS[ProfileField.INSTAGRAM]),
    (ProfileField.TIKTOK.value, FIELD_LABELS[ProfileField.TIKTOK]),
    ("clear-whatsapp", CLEAR_WHATSAPP),
)
_VALUE_PROMPTS = {
    ProfileField.NAME.value: "Ketik *nama lengkap* yang baru:",
    ProfileField.JABATAN.value: "Ketik *jabatan* yang baru:",
    "whatsapp": "Ketik *nomor WhatsApp* personil (mis. 081234567890):",
    ProfileField.INSTAGRAM.value: ("Kirim *link profil Instagram* atau *username* personil.\n"
                                   "Contoh: https://instagram.com/nama.personil"),
    ProfileField.TIKTOK.value: ("Kirim *link profil TikTok* atau *username* personil.\n"
                                "Contoh: https://www.tiktok.com/@nama.personil"),
}


def value_prompt(field: str) -> str:
    return _VALUE_PROMPTS[field]


def field_label(field: str) -> str:
    return dict(FIELD_CHOICES)[field]


def person_card(profile: Profile, title: str = "Data Personil") -> str:
    lines = [f"👤 {bold(title)}", "",
             f"*NRP/NIP:* {profile.user_id}",
             f"*Nama:* {profile.name}",
             f"*Pangkat:* {profile.rank or '-'}",
             f"*Satfung:* {profile.satfung or '-'}",
             f"*Jabatan:* {profile.jabatan or '-'}",
             f"*Satker:* {profile.client_name or profile.client_id}",
             f"*WhatsApp:* {profile.whatsapp or '-'}",
             f"*Instagram:* {'@' + profile.instagram if profile.instagram else '-'}",
             f"*TikTok:* {'@' + profile.tiktok if profile.tiktok else '-'}",
             f"*Status:* {'🟢 AKTIF' if profile.active else '🔴 NONAKTIF'}"]
    if profile.exception:
        lines.append("*Pengecualian:* ya")
    return "\n".join(lines)


def not_found(nrp: str, client: str | None) -> str:
    where = f" di {bold(client)}" if client else ""
    return (f"❌ NRP/NIP {bold(nrp)} tidak ditemukan{where}. Ketik NRP/NIP lain, *0* kembali ke "
            "menu, atau *batal* untuk keluar.")


def already_registered(profile: Profile) -> str:
    return ("⚠️ NRP/NIP ini sudah terdaftar; tidak ada data yang ditambahkan.\n\n"
            + person_card(profile))


def registered_elsewhere(nrp: str) -> str:
    return (f"⚠️ NRP/NIP {bold(nrp)} sudah terdaftar di satker lain; tidak ada data yang "
            "ditambahkan. Hubungi admin bila personil tersebut pindah satker.")


def added(profile: Profile) -> str:
    return "✅ Personil baru berhasil ditambahkan.\n\n" + person_card(profile)


def updated(field: str, profile: Profile) -> str:
    return (f"✅ Data {bold(field_label(field))} NRP/NIP {profile.user_id} berhasil diubah.\n\n"
            + person_card(profile))


def status_question(profile: Profile) -> str:
    return person_card(profile) + "\n\n" + ASK_STATUS


def status_changed(profile: Profile) -> str:
    state = "AKTIF" if profile.active else "NONAKTIF"
    return (f"✅ Status {person_label(profile.rank, profile.name)} ({profile.user_id}) sekarang "
            f"{bold(state)}.\n\n" + person_card(profile))


def exception_question(profile: Profile) -> str:
    return person_card(profile) + "\n\n" + ASK_EXCEPTION


def exception_changed(profile: Profile) -> str:
    state = "pengecualian" if profile.exception else "bukan pengecualian"
    return (f"✅ {person_label(profile.rank, profile.name)} ({profile.user_id}) sekarang "
            f"{bold(state)}.")


def move_question(profile: Profile) -> str:
    return person_card(profile) + "\n\n" + ASK_TARGET_CLIENT


def moved(profile: Profile) -> str:
    return (f"✅ {person_label(profile.rank, profile.name)} ({profile.user_id}) dipindahkan ke "
            f"{bold(profile.client_name or profile.client_id)}.")


def clear_whatsapp_question(profile: Profile) -> str:
    return (person_card(profile) + "\n\nHapus nomor WhatsApp personil ini? Ketik *ya* untuk "
            "melanjutkan.")


def whatsapp_cleared(profile: Profile) -> str:
    return (f"✅ Nomor WhatsApp {person_label(profile.rank, profile.name)} ({profile.user_id}) "
            "dihapus.")


NO_WHATSAPP = "ℹ️ Personil ini belum punya nomor WhatsApp; tidak ada yang dihapus."
SAME_CLIENT = "ℹ️ Personil sudah berada di client tersebut; tidak ada yang diubah."
CONFLICT = ("❌ Nilai itu sudah dipakai personil lain (username atau nomor WhatsApp harus unik). "
            "Tidak ada data yang diubah.")
