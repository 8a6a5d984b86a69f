"""What every console says the same way: its menu, the client chooser, choices, periods,
invalid answers, the "being prepared" line of a job."""

from __future__ import annotations

from menus.format import bold

KEYCAP = ("0️⃣", "1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣")
NOTHING_TO_CHOOSE = "Tidak ada pilihan yang tersedia saat ini."
CLOSED = "✅ {title} ditutup. Ketik *menu* untuk melihat perintah yang tersedia."
WORKING = ("⏳ Sedang disiapkan. Hasilnya dikirim ke chat ini begitu selesai; "
           "sementara itu menu tetap bisa dipakai.")
ASK_PERIOD = "Pilih periode:"
ASK_MODE = "Pilih tampilan:"
ASK_PLATFORM = "Pilih platform:"
ASK_CLIENT = "Pilih client:"
CLIENT_GONE = ("⛔ Client itu tidak lagi tersedia untuk Anda. Ketik *0* untuk kembali ke menu "
               "atau *batal* untuk keluar.")
PERIOD_LABELS = {
    "today": "Hari ini",
    "yesterday": "Kemarin",
    "this-week": "Minggu ini",
    "last-week": "Minggu lalu",
    "this-month": "Bulan ini",
    "last-month": "Bulan lalu",
    "all-time": "Semua waktu",
}
MODE_LABELS = {
    "all": "Semua personil",
    "done": "Yang sudah melaksanakan",
    "not-done": "Yang belum melaksanakan",
    "per-content": "Per konten",
}
PLATFORM_LABELS = {"instagram": "Instagram", "tiktok": "TikTok"}


def number_label(n: int) -> str:
    """1️⃣ … 9️⃣, then 10, 11 … in bold (keycaps stop at 9)."""
    return KEYCAP[n] if n < 10 else bold(str(n))


def menu(title: str, client: str | None, sections: list[tuple[str, list[str]]], *,
         top: bool) -> str:
    lines = [f"📋 {bold(title)}"]
    if client:
        lines.append(f"Client: {bold(client)}")
    n = 0
    for section, labels in sections:
        lines += ["", bold(section)] if section else [""]
        for label in labels:
            n += 1
            lines.append(f"{number_label(n)} {label}")
    lines += ["", f"Balas angka 1–{n}. "
              + ("*0* atau *batal* untuk menutup menu." if top
                 else "*0* untuk kembali ke menu sebelumnya, *batal* untuk menutup.")]
    return "\n".join(lines)


def choose_client(title: str, clients: list[tuple[str, str]]) -> str:
    lines = [f"📋 {bold(title)}", "", "Pilih client:"]
    lines += [f"{number_label(n)} {name} ({client_id})"
              for n, (client_id, name) in enumerate(clients, 1)]
    lines += ["", f"Balas angka 1–{len(clients)} atau client ID-nya. *batal* untuk keluar."]
    return "\n".join(lines)


def client_label(client_id: str, name: str, active: bool = True) -> str:
    return f"{name} ({client_id})" + ("" if active else " – nonaktif")


def choice(prompt: str, labels: list[str]) -> str:
    lines = [prompt]
    lines += [f"{number_label(n)} {label}" for n, label in enumerate(labels, 1)]
    lines += ["", f"Balas angka 1–{len(labels)}. *0* kembali ke menu, *kembali* ke langkah "
                  "sebelumnya."]
    return "\n".join(lines)


def invalid_choice(count: int) -> str:
    if count == 0:
        return "❌ Tidak ada pilihan. Ketik *0* untuk kembali ke menu atau *batal* untuk keluar."
    return f"❌ Pilihan tidak dikenal. Balas angka 1–{count}, atau *batal* untuk keluar."


def confirm_again(words: str) -> str:
    return (f"Belum dikonfirmasi. Ketik {bold(words)} untuk melanjutkan, *0* kembali ke menu, "
            "atau *batal* untuk keluar.")
FETCH_QUEUED = ("⏳ Pengambilan data dimulai. Ringkasannya dikirim ke chat ini begitu "
                "selesai (biasanya 1–3 menit).")
FETCH_RUNNING = ("⏳ Pengambilan data client ini sedang berjalan. Hasilnya dikirim kepada yang "
                 "memintanya; coba lagi setelah selesai.")
ASK_POST = "Pilih konten:"
NO_POSTS_TODAY = "Belum ada konten Instagram hari ini untuk client ini."
NOT_AVAILABLE = "Menu ini belum tersedia."
