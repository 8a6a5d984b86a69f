"""What people read about a complaint ("Pesan Komplain"): the answer to the reporter, the
summary for an operator who sent it on their behalf, the refusal, and the notice that
forwards an unanswered complaint to the satker's operators."""

from __future__ import annotations

from datetime import datetime

from menus.format import dash_list, greeting, long_date, person_label, post_url, split_message
from menus.link_reports import task_url
from storage.complaints import (
    ComplaintForm,
    InboxComplaint,
    PlatformActivity,
    Reporter,
    TodayPosts,
)
from storage.link_reports import Task
from storage.models import Platform

REFUSED = ("⛔ Komplain tidak dapat diproses dari nomor ini.\n"
           "Komplain hanya diterima dari nomor WhatsApp yang terdaftar pada NRP/NIP pelapor, "
           "atau dari operator satker pelapor. Periksa kembali NRP/NIP yang Anda tulis, atau "
           "minta operator satker Anda mengirimkan komplain tersebut.")
FIX_NRP_HINT = ("Kirim *NRP/NIP* yang benar (angka saja), atau kirim ulang *Pesan Komplain* "
                "dengan NRP/NIP yang benar. Ketik *batal* untuk keluar.")

_PLATFORM_NAMES = {Platform.INSTAGRAM: "Instagram", Platform.TIKTOK: "TikTok"}


def _how_to_register(platform: str) -> str:
    return (f"kirim *userrequest* ke WhatsApp Cicero, ikuti petunjuknya sampai menu ubah data, "
            f"lalu pilih *{platform}* dan kirim link profil atau username akun Anda.")


def _reporter_label(reporter: Reporter) -> str:
    return person_label(reporter.rank, reporter.name)


def nrp_not_found(nrp: str, *, in_group: bool = False) -> str:
    hint = ("Kirim ulang *Pesan Komplain* dengan NRP/NIP yang benar." if in_group
            else FIX_NRP_HINT)
    return f"❌ NRP/NIP *{nrp}* tidak ditemukan di data personel.\n{hint}"


# --- solutions, one per issue type ---------------------------------------------------------

INACTIVE = ("Status akun Anda di Cicero *NONAKTIF*, sehingga aktivitas Anda tidak diabsen. "
            "Mintalah operator satker Anda untuk mengaktifkan kembali akun Anda.")
NO_USERNAME = ("Username Instagram dan TikTok Anda belum terdaftar di Cicero, sehingga "
               "aktivitas Anda belum dapat diabsen.\n"
               "Cara mendaftarkan: kirim *userrequest* ke WhatsApp Cicero, ikuti petunjuknya "
               "sampai menu ubah data, lalu pilih *Instagram* dan/atau *TikTok* dan kirim link "
               "profil atau username akun Anda.")


def _no_username_on(platform: Platform) -> str:
    name = _PLATFORM_NAMES[platform]
    return (f"Username {name} Anda belum terdaftar di Cicero, sehingga aktivitas {name} "
            f"belum dapat diabsen.\nCara mendaftarkan: {_how_to_register(name)}")


def activity_solution(activity: PlatformActivity) -> str:
    """`sudah melaksanakan … belum terdata` for one platform."""
    platform = activity.platform
    name = _PLATFORM_NAMES[platform]
    if not activity.registered:
        return _no_username_on(platform)
    action = "like" if platform is Platform.INSTAGRAM else "komentar"
    menu = ("Absensi Likes Instagram" if platform is Platform.INSTAGRAM
            else "Absensi Komentar TikTok")
    if activity.recorded_posts:
        return (f"✅ *{name}:* aktivitas tercatat ({activity.recorded_posts} konten dalam "
                f"{activity.days} hari terakhir) untuk akun *@{activity.registered}*. "
                f"Data {action} diperbarui berkala; muat ulang menu *{menu}* di dashboard, "
                "atau tunggu rekap berikutnya.")
    lines = [f"*{name}:* belum ada {action} dari akun *@{activity.registered}* yang tercatat "
             f"dalam {activity.days} hari terakhir."]
    if activity.mismatch:
        lines.append(f"⚠️ Username di komplain (*@{activity.claimed}*) berbeda dengan yang "
                     f"terdaftar di Cicero (*@{activity.registered}*). Absensi hanya membaca "
                     f"akun *@{activity.registered}*. Jika akun Anda adalah "
                     f"*@{activity.claimed}*, perbarui datanya: {_how_to_register(name)}")
    else:
        lines.append(f"Username {name} yang terdaftar: *@{activity.registered}*.")
    steps = [f"Lakukan {action} dari akun *@{activity.registered}*, bukan dari akun lain.",
             "Pastikan akun tidak dikunci (private) dan username tidak berubah; perhatikan "
             "titik (.) dan garis bawah (_).",
             f"Pastikan konten yang di-{action} adalah konten resmi satker pada hari itu.",
             "Data ditarik berkala: tunggu sekitar 1 jam setelah melaksanakan."]
    if platform is Platform.TIKTOK:
        steps.append("Tulis komentar berupa kalimat; komentar yang hanya berisi emoji bisa "
                     "tidak terbaca.")
    lines.append("Langkah pemeriksaan:")
    lines += [f"{number}. {step}" for number, step in enumerate(steps, 1)]
    lines.append("Jika setelah 1 jam masih belum terdata, kirim tangkapan layar profil dan "
                 "link konten yang sudah dilaksanakan kepada operator satker Anda.")
    return "\n".join(lines)


def today_solution(today: TodayPosts, tasks: list[Task] | None = None) -> str:
    """`terabsen kurang`: today's Instagram posts still without the reporter's like, and
    (as the reference does) today's amplification tasks without their link report."""
    likes = _likes_today(today)
    if not tasks:
        return likes
    return likes + "\n\n" + unreported_tasks(tasks)


def unreported_tasks(tasks: list[Task]) -> str:
    label = "*Laporan link amplifikasi hari ini:*"
    open_tasks = [task for task in tasks if not task.reported]
    if not open_tasks:
        return f"✅ {label} semua {len(tasks)} tugas sudah Anda laporkan."
    return "\n".join([
        f"{label} {len(open_tasks)} dari {len(tasks)} tugas belum dilaporkan link unggahan "
        "ulangnya:", *dash_list([task_url(task) for task in open_tasks]),
        "Laporkan dengan mengetik *lapor* ke nomor personel Cicero (atau menu *Update Tugas* "
        "di aplikasi)."])


def _likes_today(today: TodayPosts) -> str:
    if not today.username:
        return _no_username_on(Platform.INSTAGRAM)
    day = long_date(today.day)
    label = "*Absensi hari ini:*"
    if not today.posts:
        return f"{label} belum ada konten Instagram yang wajib dilaksanakan ({day})."
    if not today.missed:
        return (f"✅ {label} semua {today.posts} konten Instagram ({day}) sudah tercatat "
                f"di-like oleh akun *@{today.username}*. Muat ulang menu *Absensi Likes "
                "Instagram* di dashboard.")
    links = [post_url(post.platform, post.external_id) for post in today.missed]
    return "\n".join([
        f"{label} dari {today.posts} konten Instagram hari ini ({day}), "
        f"{len(today.missed)} konten belum tercatat di-like oleh akun *@{today.username}*:",
        *dash_list(links),
        "Silakan like konten tersebut dari akun terdaftar; data diperbarui berkala "
        "(sekitar 1 jam)."])


# --- delivery -------------------------------------------------------------------------------


def answer(reporter: Reporter, form: ComplaintForm, solutions: list[str],
           now: datetime, complaint_id: int) -> list[str]:
    """The official answer for the reporter's own WhatsApp (one or more messages)."""
    text = "\n".join([
        f"{greeting(now)}, Bapak/Ibu *{_reporter_label(reporter)}*.",
        "",
        f"Kami menindaklanjuti laporan komplain Anda (No. *{complaint_id}*).",
        "",
        f"*NRP/NIP:* {reporter.user_id}",
        "*Kendala:*",
        *dash_list(list(form.issues)),
        "",
        "*Solusi / Tindak Lanjut:*",
        "\n\n".join(solutions),
    ])
    return split_message(text)


def sent_summary(reporter: Reporter, complaint_id: int) -> str:
    return (f"✅ Respon komplain No. *{complaint_id}* telah dikirim ke "
            f"{_reporter_label(reporter)} ({reporter.user_id}).")


def undeliverable(reporter: Reporter) -> str:
    return (f"ℹ️ {_reporter_label(reporter)} ({reporter.user_id}) belum memiliki nomor "
            "WhatsApp terdaftar, sehingga respon tidak dapat dikirim langsung. Sampaikan "
            "respon berikut kepada yang bersangkutan.")


def forwarded(reporter: Reporter, complaint_id: int, *, own: bool, has_recipients: bool) -> str:
    whose = "Komplain Anda" if own else (f"Komplain {_reporter_label(reporter)} "
                                         f"({reporter.user_id})")
    who = (f"operator {reporter.client_name or reporter.client_id}" if has_recipients
           else "admin Cicero")
    return (f"📨 {whose} tercatat dengan nomor *{complaint_id}*. Kendala tersebut belum "
            f"dapat dijawab otomatis dan telah diteruskan ke {who} untuk ditindaklanjuti.")


def operator_notice(reporter: Reporter, form: ComplaintForm, complaint_id: int,
                    sender: str) -> str:
    """For the satker's operators: a complaint the bot could not answer."""
    sent_by = ("pelapor sendiri" if sender == reporter.whatsapp else sender)
    return "\n".join([
        f"📨 *Komplain No. {complaint_id} perlu ditindaklanjuti*",
        "",
        f"*Pelapor:* {_reporter_label(reporter)} ({reporter.user_id})",
        f"*Satker:* {reporter.client_name or reporter.client_id}",
        f"*WhatsApp pelapor:* {reporter.whatsapp or '-'}",
        f"*Dikirim oleh:* {sent_by}",
        "*Kendala:*",
        *dash_list(list(form.issues)),
        "",
        "Kendala ini tidak dapat dijawab otomatis. Hubungi pelapor secara langsung untuk "
        "menindaklanjutinya.",
    ])


# --- the inbox (operator and admin consoles, `cicero complaints`) -----------------------------

ASK_COMPLAINT = "Pilih komplain yang akan ditangani:"
NO_OPEN_COMPLAINTS = "✅ Tidak ada komplain terbuka."
ASK_DECISION = "Tindak lanjut:"
ANSWER = "Jawab (jawaban dikirim ke pelapor, komplain ditutup)"
CLOSE = "Tutup tanpa jawaban"
ASK_RESPONSE = "Ketik *jawaban* untuk pelapor (dikirim apa adanya):"
RESPONSE_TOO_SHORT = "❌ Jawaban terlalu pendek. Ketik jawaban untuk pelapor, atau *0* ke menu."


def _inbox_reporter(item: InboxComplaint) -> str:
    if item.name is None:
        return f"NRP {item.user_id or '-'}"
    return f"{person_label(item.rank, item.name)} ({item.user_id})"


def inbox_line(item: InboxComplaint) -> str:
    issue = item.issues[0] if item.issues else "-"
    if len(issue) > 50:
        issue = issue[:49] + "…"
    return f"No. {item.id} · {_inbox_reporter(item)} · {issue}"


def inbox_card(item: InboxComplaint) -> str:
    lines = [f"📨 *Komplain No. {item.id}*", "",
             f"*Pelapor:* {_inbox_reporter(item)}",
             f"*Satker:* {item.client_name or item.client_id or '-'}",
             f"*WhatsApp pelapor:* {item.reporter_whatsapp or '-'}",
             f"*Dikirim oleh:* {item.from_phone}",
             f"*Masuk:* {long_date(item.created_at.date())} {item.created_at:%H.%M}",
             "*Kendala:*", *dash_list(list(item.issues))]
    if item.response:
        lines += ["*Jawaban:*", item.response]
    return "\n".join(lines)


def decision_question(item: InboxComplaint) -> str:
    return inbox_card(item) + "\n\n" + ASK_DECISION


def inbox_answer(item: InboxComplaint, response: str, answered_by: str) -> str:
    """What the reporter receives."""
    who = f"Bapak/Ibu *{person_label(item.rank, item.name)}*" if item.name else "Bapak/Ibu"
    return "\n".join([f"📨 *Jawaban Komplain No. {item.id}*", "",
                      f"{who},", "", "*Kendala:*", *dash_list(list(item.issues)), "",
                      "*Jawaban:*", response, "", f"_Dijawab oleh {answered_by}._"])


def answered(item: InboxComplaint, delivered_to: str | None) -> str:
    where = (f"dikirim ke {delivered_to}" if delivered_to
             else "tidak dapat dikirim (pelapor tanpa nomor WhatsApp); sampaikan langsung")
    return f"✅ Komplain No. *{item.id}* dijawab dan ditutup. Jawaban {where}."


def closed(item: InboxComplaint) -> str:
    return f"✅ Komplain No. *{item.id}* ditutup tanpa jawaban."


def already_handled(complaint_id: int) -> str:
    return f"ℹ️ Komplain No. *{complaint_id}* sudah ditangani sebelumnya; tidak ada yang diubah."
