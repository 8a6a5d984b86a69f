"""What an officer reads while reporting re-share links (`lapor`), and why a link or a
report is refused."""

from __future__ import annotations

from datetime import date

from menus.format import day_name, long_date, post_url
from storage.link_reports import PLATFORMS, Links, Task, TaskKind
from storage.share_links import NotAShareLink, Refusal

PLATFORM_LABELS = {"instagram": "Instagram", "facebook": "Facebook", "twitter": "X/Twitter",
                   "tiktok": "TikTok", "youtube": "YouTube"}
PLATFORM_ICONS = {"instagram": "📸", "facebook": "📘", "twitter": "🐦", "tiktok": "🎵",
                  "youtube": "▶️"}
NIHIL = "Nihil"
ACCEPTED = "Instagram, Facebook, X/Twitter, TikTok atau YouTube"

UNREGISTERED = ("⛔ Nomor WhatsApp ini belum terhubung dengan data personel, sehingga laporan "
                "link tidak dapat dicatat.\nKetik *userrequest* di chat pribadi ke nomor ini "
                "untuk menghubungkan nomor Anda dengan NRP/NIP.")
INACTIVE = ("⛔ Data personel Anda berstatus *NONAKTIF*, sehingga laporan link tidak dapat "
            "dicatat. Hubungi operator satker Anda.")
NOTHING_STORED = "Tidak ada link yang disimpan. Perbaiki lalu kirim ulang."
TWO_TASKS = ("❌ Pesan ini menyebut lebih dari satu konten tugas. Laporkan satu tugas per "
             "pesan.")
ASK_NUMBER = "Balas *nomor* tugas yang akan dilaporkan, atau *batal* untuk keluar."


def task_url(task: Task) -> str:
    return post_url("instagram", task.shortcode)


def _task_line(task: Task, today: date) -> str:
    special = "⭐ Tugas khusus: " if task.kind is TaskKind.SPECIAL else ""
    when = " – kemarin" if task.day < today else ""
    return f"{special}{task_url(task)} ({task.client_name}{when})"


def _reported_platforms(links: Links) -> str:
    names = [PLATFORM_LABELS[platform] for platform in PLATFORMS if links.get(platform)]
    return ", ".join(names) or NIHIL


def no_tasks(today: date) -> str:
    return (f"Belum ada tugas amplifikasi untuk Anda hari ini ({day_name(today)}, "
            f"{long_date(today)}).")


def task_list(tasks: list[Task], today: date, *, in_group: bool = False) -> str:
    """Open tasks first, then the reported ones (reporting again replaces links); numbered
    across both lists in the order the officer answers."""
    open_tasks = [task for task in tasks if not task.reported]
    reported = [task for task in tasks if task.reported]
    lines = [f"📋 *Tugas Amplifikasi* – {day_name(today)}, {long_date(today)}", ""]
    if open_tasks:
        lines.append(f"*Belum dilaporkan ({len(open_tasks)}):*")
        lines += [f"{number}. {_task_line(task, today)}"
                  for number, task in enumerate(open_tasks, start=1)]
    else:
        lines.append("✅ Semua tugas sudah Anda laporkan.")
    if reported:
        lines += ["", "*Sudah dilaporkan* (laporkan lagi untuk mengganti link):"]
        lines += [f"{number}. {_task_line(task, today)} – "
                  f"{_reported_platforms(task.report or {})}"
                  for number, task in enumerate(reported, start=len(open_tasks) + 1)]
    lines.append("")
    if in_group:
        lines.append("Kirim *link konten tugas* bersama *link unggahan ulang* Anda dalam satu "
                     "pesan, atau ketik *lapor* di chat pribadi ke nomor personel Cicero.")
    else:
        lines.append(ASK_NUMBER)
    return "\n".join(lines)


def ordered(tasks: list[Task]) -> list[Task]:
    """The tasks in the numbering of `task_list`."""
    return [task for task in tasks if not task.reported] + [task for task in tasks
                                                          if task.reported]


def invalid_number(count: int) -> str:
    return f"Pilihan tidak dikenal. Balas angka 1–{count}, atau *batal* untuk keluar."


def ask_links(task: Task) -> str:
    return (f"Kirim link unggahan ulang Anda untuk tugas:\n{task_url(task)} "
            f"({task.client_name})\n\nBoleh beberapa link sekaligus dalam satu pesan: "
            f"{ACCEPTED}. Ketik *batal* untuk keluar.")


_REASONS = {Refusal.NOT_A_URL: "bukan alamat link yang lengkap",
            Refusal.OTHER_SITE: f"bukan link {ACCEPTED}",
            Refusal.NO_CONTENT: "hanya halaman utama, bukan link unggahan",
            Refusal.TOO_LONG: "terlalu panjang"}


def refusal_reason(refusal: Refusal) -> str:
    return _REASONS[refusal]


def refused_links(refused: tuple[NotAShareLink, ...]) -> str:
    lines = ["❌ Link berikut tidak dapat dicatat:"]
    lines += [f"- {exc.raw}: {refusal_reason(exc.refusal)}." for exc in refused]
    return "\n".join([*lines, "", NOTHING_STORED])


def two_links_of(platform: str, count: int) -> str:
    label = PLATFORM_LABELS[platform]
    return (f"❌ Ada {count} link {label} dalam pesan ini. Satu laporan menyimpan satu link "
            f"per platform; kirim ulang dengan satu link {label} saja.")


def official_as_reshare(task: Task) -> str:
    return (f"❌ {task_url(task)} adalah link konten tugas itu sendiri, bukan link unggahan "
            "ulang Anda. Kirim link postingan di akun media sosial Anda.")


def other_client(url: str) -> str:
    return (f"❌ Konten {url} bukan tugas amplifikasi satker Anda, sehingga tidak dapat "
            "dilaporkan.")


def too_old(url: str, grace_hours: int) -> str:
    late = (f" (tugas kemarin sampai pukul {grace_hours:02d}.00)" if grace_hours else "")
    return (f"❌ Batas waktu pelaporan konten {url} sudah lewat. Laporan diterima untuk tugas "
            f"hari ini{late}.")


def pick_task_for_links(tasks: list[Task], today: date) -> str:
    return ("Link Anda untuk tugas yang mana?\n\n" + task_list(tasks, today))


def group_needs_task(count: int) -> str:
    return (f"Anda memiliki {count} tugas amplifikasi. Sertakan *link konten tugas* bersama "
            "link unggahan ulang Anda dalam satu pesan, atau ketik *lapor* di chat pribadi ke "
            "nomor personel Cicero.")


def stored(task: Task, links: Links, changed: set[str], replaced: set[str],
           remaining: int) -> str:
    """What is stored for the task now, per platform, marking what this message changed."""
    lines = ["✅ Terima kasih, laporan amplifikasi Anda tercatat.",
             f"Tugas: {task_url(task)} ({task.client_name})", ""]
    for platform in PLATFORMS:
        url = links.get(platform)
        mark = " _(diganti)_" if platform in replaced else (" _(baru)_" if platform in changed
                                                            else "")
        lines.append(f"{PLATFORM_ICONS[platform]} {PLATFORM_LABELS[platform]}: "
                     f"{url or NIHIL}{mark}")
    if remaining:
        lines += ["", f"Masih ada {remaining} tugas yang belum Anda laporkan. Ketik *lapor* "
                      "untuk melanjutkan."]
    return "\n".join(lines)
