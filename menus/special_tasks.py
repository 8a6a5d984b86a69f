"""What an operator reads when registering a special task (tugas khusus, oprrequest 11)."""

from __future__ import annotations

from cicero.clock import clock
from menus.format import long_date, post_url
from storage.special_tasks import SpecialTask

SPECIAL_TASK = "Tugas khusus: daftarkan konten Instagram"
ASK_POST_LINK = ("Kirim link postingan Instagram yang dijadikan *tugas khusus* (akun mana pun).\n"
                 "Contoh: https://www.instagram.com/p/ABC123xyz\n\nBalas *0* untuk kembali ke "
                 "menu.")
NOT_A_POST_LINK = ("❌ Itu bukan link postingan Instagram. Kirim link seperti "
                   "https://www.instagram.com/p/ABC123xyz, atau *0* untuk kembali ke menu.")
QUEUED = "⏳ Konten sedang diambil dari Instagram; hasilnya dikirim ke chat ini."


def created(task: SpecialTask, client_name: str) -> str:
    post = task.post
    owner = f"Akun: @{post.owner_username}, " if post.owner_username else ""
    return (f"✅ Tugas khusus tercatat untuk *{client_name}*:\n"
            f"{post_url('instagram', post.shortcode)}\n"
            f"{owner}diunggah {long_date(clock.business_date(post.uploaded_at))}.\n\n"
            "Personel dapat melaporkan link unggahan ulangnya dengan mengetik *lapor* ke nomor "
            "personel Cicero hari ini.")


def already_registered(task: SpecialTask, client_name: str) -> str:
    since = long_date(clock.business_date(task.registered_at))
    return (f"ℹ️ Konten {post_url('instagram', task.post.shortcode)} sudah terdaftar sebagai "
            f"tugas khusus {client_name} sejak {since}.")


def not_found(shortcode: str) -> str:
    return (f"❌ Konten {post_url('instagram', shortcode)} tidak ditemukan di Instagram "
            "(dihapus, salah ketik, atau akun privat). Periksa link-nya lalu coba lagi.")


def fetch_failed(shortcode: str) -> str:
    return (f"⚠️ Konten {post_url('instagram', shortcode)} gagal diambil dari Instagram saat "
            "ini. Coba lagi beberapa saat lagi.")


UNAVAILABLE = ("⚠️ Pengambilan data Instagram belum dikonfigurasi di server ini (RAPIDAPI_KEY). "
               "Hubungi admin Cicero.")
CHOOSE_SPECIAL_TASK = "Pilih tugas khusus hari ini:"
NO_SPECIAL_TASK_TODAY = "Belum ada tugas khusus hari ini."
