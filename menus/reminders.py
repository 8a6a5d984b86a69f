"""The evening WhatsApp reminder and its thank-you (reference §6, data_and_reports §3).

Pure functions of a `storage.reminders.Reminder` and the moment of sending (greeting).
"""

from __future__ import annotations

from datetime import datetime

from menus.format import bold, day_name, greeting, long_date, person_label, post_url
from storage.models import Platform
from storage.reminders import Addressee, PlatformDuty, Reminder

OPT_OUT = "Balas *notifwa#off* untuk berhenti menerima pengingat."
TIPS = (
    "💡 Tips:",
    "1️⃣ Buka setiap link lalu tekan like/suka memakai akun yang terdaftar di Cicero.",
    "2️⃣ Tulis komentar yang positif, sopan dan sesuai isi konten.",
)
THANK_YOU = ("Terima kasih, semua tugas like dan komentar sosial media hari ini sudah "
             "Anda laksanakan. 🙏")
_HEADINGS = {Platform.INSTAGRAM: ("📸", "Instagram", "di-like", "like"),
             Platform.TIKTOK: ("🎵", "TikTok", "dikomentari", "komentar")}


def _names(addressees: tuple[Addressee, ...]) -> str:
    labels = [person_label(a.rank, a.name) for a in addressees]
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} dan {labels[-1]}"


def salutation(reminder: Reminder, moment: datetime) -> str:
    return f"{greeting(moment)}, Bapak/Ibu {_names(reminder.addressees)}"


def _duty_lines(duty: PlatformDuty) -> list[str]:
    icon, name, done_verb, action = _HEADINGS[duty.platform]
    heading = f"{icon} {bold(name)}"
    if not duty.has_username:
        lines = [f"{heading}: username {name} Anda belum terdata, jadi {action} Anda belum "
                 "bisa dihitung.",
                 f"Kirim {bold('userrequest')} untuk mendaftarkan username {name} Anda.",
                 f"Konten {name} hari ini ({len(duty.pending)}):"]
    elif duty.complete:
        return [f"{heading}: semua konten sudah {done_verb} ✅"]
    else:
        lines = [f"{heading}: belum {done_verb} ({len(duty.pending)} dari {duty.posts} konten):"]
    return lines + [f"{n}. {post_url(post.platform, post.external_id, post.account)}"
                    for n, post in enumerate(duty.pending, start=1)]


def render_thank_you(reminder: Reminder, moment: datetime) -> str:
    return "\n".join([salutation(reminder, moment), "", THANK_YOU, "", OPT_OUT])


def render_pending(reminder: Reminder, moment: datetime) -> str:
    lines = [salutation(reminder, moment), "",
             f"👋 Pengingat tugas sosial media hari {day_name(reminder.day)}, "
             f"{long_date(reminder.day)}."]
    for duty in reminder.duties:
        lines += ["", *_duty_lines(duty)]
    return "\n".join([*lines, "", *TIPS, "", OPT_OUT])


def render_reminder(reminder: Reminder, moment: datetime) -> str:
    """The thank-you when everything is done, otherwise the links still to do."""
    if reminder.complete:
        return render_thank_you(reminder, moment)
    return render_pending(reminder, moment)
