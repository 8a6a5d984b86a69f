"""What an admin reads in the client console (clientrequest) and its one-shot commands:
clients added, changed, switched off or deleted, their info card, the exception list and the
web-login recap."""

from __future__ import annotations

from collections.abc import Sequence

from menus.format import bold, dash_list, long_date, number, person_label
from storage.client_admin import ClientCard, Dependents
from storage.login_recaps import LoginRecap
from storage.models import ClientType

TITLE = "Menu Client"
REFUSED = ("⛔ Maaf, nomor ini tidak memiliki akses ke *clientrequest*: menu ini khusus admin "
           "Cicero. Ketik *menu* untuk melihat perintah yang tersedia untuk Anda.")
SECTION_MANAGE = "Client & personil"
SECTION_SOCIAL = "Media sosial"
SECTION_REPORTS = "Laporan, impor & komplain"
SECTION_ADMIN = "Administratif"
MANAGE = "Kelola client & personil"
SOCIAL = "Operasi media sosial"
REPORTS = "Laporan, impor & komplain"
ADMINISTRATIVE = "Administratif"
ADD_CLIENT = "Tambah client"
MANAGE_CLIENT = "Kelola client (ubah data, hapus, info, aktif/nonaktif)"
MANAGE_PERSONNEL = "Kelola personil"
CLEAR_WHATSAPP = "Hapus nomor WhatsApp personil"
BULK_DEACTIVATION = "Penonaktifan personil massal (template)"
UPDATE_PERSON = "Ubah data personil"
EXCEPTION = "Status pengecualian personil"
PERSON_STATUS = "Aktifkan / nonaktifkan personil"
MOVE_PERSON = "Pindahkan personil ke client lain"
FETCH_INSTAGRAM = "Ambil konten & likes Instagram sekarang"
IG_ATTENDANCE = "Absensi likes Instagram"
FETCH_TIKTOK = "Ambil konten & komentar TikTok sekarang"
TIKTOK_ATTENDANCE = "Absensi komentar TikTok"
FETCH_VIDEO = "Ambil satu video TikTok (link / ID)"
DELETE_VIDEO = "Hapus satu video TikTok (link / ID)"
USERNAME_ATTENDANCE = "Absensi username Instagram & TikTok personil"
AMPLIFY_EXCEL = "Excel amplifikasi link (bulan ini / bulan lalu)"
IMPORT_PERSONNEL = "Impor personil dari file (.xlsx / .csv)"
WEB_LOGINS = "Rekap login dashboard"
COMPLAINTS = "Kotak komplain (jawab / tutup)"
EXCEPTIONS = "Daftar personil pengecualian"
SAVE_CONTACTS = "Simpan nomor WhatsApp personil ke Google Contacts"

ASK_CLIENT_ID = "Ketik *ID client* baru (huruf, angka, garis bawah; mis. POLRES_B):"
ASK_CLIENT_NAME = "Ketik *nama client* (mis. POLRES B):"
ASK_CLIENT_TYPE = "Pilih jenis client:"
TYPE_LABELS = {ClientType.ORG.value: "Satker (Polres)", ClientType.DIRECTORATE.value:
               "Direktorat", ClientType.POLDA.value: "Polda"}
BAD_CLIENT_ID = ("❌ ID client hanya boleh huruf, angka dan garis bawah, 2–40 karakter. Ketik "
                 "ID lain, atau *0* kembali ke menu.")
BAD_CLIENT_NAME = "❌ Nama client harus 2–100 karakter. Ketik nama lain."
ASK_OPERATION = "Pilih tindakan:"
OPERATION_UPDATE = "Ubah data client"
OPERATION_DELETE = "Hapus client"
OPERATION_INFO = "Info client"
OPERATION_TOGGLE = "Aktifkan / nonaktifkan client"
ASK_FIELD = "Pilih data client yang diubah:"
ACTIVE, INACTIVE = "Aktif", "Nonaktif"
NO_PARENT = "Tanpa induk"
DEFAULT_POLICY = "Bawaan laporan"
POLICY_LABELS = {"majority": "Mayoritas konten", "all": "Semua konten"}
FIELD_LABELS = {
    "name": "Nama client", "type": "Jenis client", "parent_id": "Client induk",
    "instagram": "Akun Instagram", "tiktok": "Akun TikTok", "tiktok_secuid": "TikTok secUid",
    "status": "Status client", "instagram_status": "Absensi Instagram",
    "tiktok_status": "Absensi TikTok", "amplify_status": "Amplifikasi link",
    "attendance_policy": "Aturan absensi", "operator": "Nomor operator",
    "super_admin": "Nomor super admin", "group": "Grup WhatsApp",
}
_VALUE_PROMPTS = {
    "name": "Ketik *nama client* yang baru:",
    "instagram": "Kirim *username* atau link profil Instagram client (*-* untuk mengosongkan):",
    "tiktok": "Kirim *username* atau link profil TikTok client (*-* untuk mengosongkan):",
    "tiktok_secuid": "Ketik *secUid* TikTok client (*-* untuk mengosongkan):",
    "operator": ("Ketik nomor WhatsApp *operator* (boleh beberapa, pisahkan dengan koma; "
                 "*-* untuk mengosongkan). Nomor lama diganti."),
    "super_admin": ("Ketik nomor WhatsApp *super admin* (boleh beberapa, pisahkan dengan koma; "
                    "*-* untuk mengosongkan). Nomor lama diganti."),
    "group": ("Ketik *ID grup WhatsApp* client (mis. 120363012345678901@g.us; boleh beberapa, "
              "pisahkan dengan koma; *-* untuk mengosongkan)."),
}
ASK_VALUE = "Pilih nilai baru:"
BAD_SECUID = "❌ secUid tidak valid: hanya huruf, angka, '_', '-' dan '.', 10–200 karakter."
CLIENT_MISSING = "❌ Client tidak ditemukan."


def value_prompt(field: str) -> str:
    return _VALUE_PROMPTS[field]


def _yes_no(value: bool) -> str:
    return "🟢 aktif" if value else "🔴 nonaktif"


def _numbers(values: Sequence[str]) -> str:
    return ", ".join(values) if values else "-"


def client_card(card: ClientCard) -> str:
    lines = [f"🏢 {bold(card.name)} ({card.client_id})", "",
             f"*Jenis:* {TYPE_LABELS.get(card.type, card.type)}",
             f"*Induk:* {card.parent_id or '-'}",
             f"*Status:* {_yes_no(card.status)}",
             f"*Instagram:* {'@' + card.instagram if card.instagram else '-'} "
             f"(absensi {_yes_no(card.instagram_status)})",
             f"*TikTok:* {'@' + card.tiktok if card.tiktok else '-'} "
             f"(absensi {_yes_no(card.tiktok_status)})",
             f"*TikTok secUid:* {card.tiktok_secuid or '-'}",
             f"*Amplifikasi link:* {_yes_no(card.amplify_status)}",
             f"*Aturan absensi:* {POLICY_LABELS.get(card.attendance_policy or '', DEFAULT_POLICY)}",
             f"*Operator:* {_numbers(card.operators)}",
             f"*Super admin:* {_numbers(card.super_admins)}",
             f"*Grup:* {_numbers(card.groups)}",
             f"*Personil:* {number(card.active_personnel)} aktif, "
             f"{number(card.inactive_personnel)} nonaktif",
             f"*Konten tersimpan:* {number(card.posts)}",
             f"*Akun dashboard:* {number(card.dashboard_accounts)}"]
    return "\n".join(lines)


def operation_question(card: ClientCard) -> str:
    return f"🏢 {bold(card.name)} ({card.client_id}) – {_yes_no(card.status)}\n\n{ASK_OPERATION}"


def client_exists(client_id: str) -> str:
    return f"⚠️ Client {bold(client_id)} sudah ada; tidak ada yang ditambahkan."


def confirm_add(client_id: str, name: str, type_: str) -> str:
    return (f"Tambahkan client {bold(name)} ({client_id}), jenis "
            f"{TYPE_LABELS.get(type_, type_)}? Ketik *ya* untuk menyimpan.")


def client_added(card: ClientCard) -> str:
    return "✅ Client baru tersimpan.\n\n" + client_card(card)


def client_updated(field: str, card: ClientCard) -> str:
    return f"✅ {bold(FIELD_LABELS[field])} diperbarui.\n\n" + client_card(card)


def confirm_toggle(card: ClientCard) -> str:
    action = "NONAKTIFKAN" if card.status else "AKTIFKAN"
    return f"{action} client {bold(card.name)} ({card.client_id})? Ketik *ya* untuk melanjutkan."


def toggled(card: ClientCard) -> str:
    return f"✅ Client {bold(card.name)} sekarang {_yes_no(card.status)}."


def confirm_delete(card: ClientCard) -> str:
    return (f"⚠️ Hapus client {bold(card.name)} ({card.client_id}) beserta kontak dan akses "
            "dashboard-nya? Tindakan ini tidak bisa dibatalkan. Ketik *ya hapus* untuk "
            "menghapus.")


def cannot_delete(client_id: str, found: Dependents) -> str:
    parts = [f"{number(found.personnel)} personil" if found.personnel else "",
             f"{number(found.posts)} konten" if found.posts else "",
             f"{number(found.children)} client di bawahnya" if found.children else ""]
    listed = ", ".join(part for part in parts if part)
    return (f"⛔ Client {bold(client_id)} masih punya {listed}; menghapusnya akan membuat data "
            "tersebut yatim atau hilang. Pindahkan personil dan client di bawahnya lebih dulu, "
            "atau cukup nonaktifkan client ini. Tidak ada yang dihapus.")


def deleted(client_id: str) -> str:
    return f"✅ Client {bold(client_id)} dihapus."


def not_found(client_id: str) -> str:
    return f"❌ Client {bold(client_id)} tidak ditemukan."


def exception_list(client_name: str, people: Sequence[tuple[str, str | None, str, str]]) -> str:
    """(satfung, rank, name, NRP) of the client's exception personnel."""
    if not people:
        return f"ℹ️ Tidak ada personil pengecualian di {bold(client_name)}."
    lines = [f"📋 {bold('Personil pengecualian ' + client_name)} ({number(len(people))} pers)"]
    current = None
    for satfung, rank, name, user_id in people:
        if satfung != current:
            lines += ["", bold(satfung)]
            current = satfung
        lines.append(f"- {person_label(rank, name)} ({user_id})")
    return "\n".join(lines)


def login_recap(recap: LoginRecap) -> str:
    period = recap.period
    when = (long_date(period.start) if period.start == period.end
            else f"{long_date(period.start)} - {long_date(period.end)}")
    lines = [f"📋 {bold('Rekap login dashboard')}", f"Periode: {when}", "",
             f"👥 Akun aktif: {number(len(recap.accounts))}",
             f"✅ Pernah login: {number(len(recap.logged_in))}",
             f"❌ Belum login: {number(len(recap.never))}", "",
             bold(f"✅ Login ({number(len(recap.logged_in))}):")]
    lines += dash_list([f"{account.username} ({account.role}) – {number(account.logins)}× login, "
                        f"terakhir {long_date(account.last_login.date())}"
                        for account in recap.logged_in if account.last_login is not None])
    lines += ["", bold(f"❌ Belum login ({number(len(recap.never))}):"),
              *dash_list([f"{account.username} ({account.role})" for account in recap.never])]
    return "\n".join(lines)
