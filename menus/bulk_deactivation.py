"""What the sender of a bulk deactivation template reads: every line's outcome."""

from __future__ import annotations

from menus.format import bold, dash_list, number, person_label
from storage.bulk_deactivation import Outcome, Result

NOTHING_TO_DO = (
    "ℹ️ Tidak ada baris personil yang terbaca, tidak ada yang diubah. Format tiap baris:\n"
    "*1. NAMA – NRP – alasan*\n"
    "contoh: 1. BUDI SANTOSO – 87020991 – mutasi")
ASK_TEMPLATE = (
    "Kirim template berikut kapan saja di chat ini, satu personil per baris:\n\n"
    "Permohonan Penghapusan Data Personil\n"
    "1. NAMA – NRP – alasan\n"
    "2. NAMA – NRP – alasan\n\n"
    "Setiap personil dinonaktifkan, nomor WhatsApp-nya dihapus dan alasannya dicatat.")

_TITLES = {
    Outcome.DEACTIVATED: "✅ Dinonaktifkan",
    Outcome.ALREADY_INACTIVE: "ℹ️ Sudah nonaktif sebelumnya",
    Outcome.OTHER_CLIENT: "⛔ Bukan personil satker Anda (tidak diubah)",
    Outcome.NOT_FOUND: "❌ NRP tidak ditemukan",
}


def _line(result: Result) -> str:
    request = result.request
    if result.name is not None:
        who = f"{request.nrp} {person_label(result.rank, result.name)}"
    else:
        who = f"{request.nrp} ({request.name})" if request.name else request.nrp
    return f"{who} – {request.reason}" if request.reason else who


def summary(results: list[Result], unreadable: list[int]) -> str:
    done = sum(1 for result in results if result.outcome is Outcome.DEACTIVATED)
    lines = [f"📋 {bold('Hasil penonaktifan personil')}",
             f"{number(done)} dari {number(len(results) + len(unreadable))} baris "
             "dinonaktifkan."]
    for outcome, title in _TITLES.items():
        chosen = [_line(result) for result in results if result.outcome is outcome]
        if chosen:
            lines += ["", bold(f"{title} ({number(len(chosen))}):"), *dash_list(chosen)]
    if unreadable:
        lines += ["", bold(f"❌ NRP tidak terbaca ({number(len(unreadable))}):"),
                  *dash_list([f"baris {n}" for n in unreadable])]
    return "\n".join(lines)
