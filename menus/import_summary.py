"""The summary of a personnel import sent over WhatsApp: the same counts and rejected rows
`cicero import personnel` prints."""

from __future__ import annotations

from menus.format import bold, number, split_message
from storage.importing import ImportSummary

MAX_REJECTED_LINES = 100
ASK_FILE = ("Kirim file personil (*.xlsx* atau *.csv*) sebagai dokumen di chat ini. Kolom wajib "
            "seperti `cicero import personnel`: nrp, nama, client_id (untuk personil baru).")
NOT_A_FILE = ("❌ Belum ada dokumen. Kirim file *.xlsx* atau *.csv* sebagai dokumen, atau *0* "
              "kembali ke menu.")
WRONG_TYPE = "❌ Hanya file *.xlsx* atau *.csv* yang bisa diimpor. Kirim file lain."
TOO_LARGE = "❌ File terlalu besar (maksimal 5 MB)."
QUEUED = "⏳ File diterima dan sedang diimpor. Ringkasannya dikirim ke chat ini begitu selesai."


def import_summary(filename: str, summary: ImportSummary) -> list[str]:
    lines = [f"✅ Impor personil dari {bold(filename)} selesai.",
             f"• Dibuat: {number(summary.created)}",
             f"• Diperbarui: {number(summary.updated)}",
             f"• Tidak berubah: {number(summary.unchanged)}",
             f"• Ditolak: {number(len(summary.rejected))}"]
    if summary.rejected:
        lines += ["", bold("Baris ditolak:")]
        lines += [f"- baris {row.line} ({row.row_id or '-'}): {row.reason}"
                  for row in summary.rejected[:MAX_REJECTED_LINES]]
        hidden = len(summary.rejected) - MAX_REJECTED_LINES
        if hidden > 0:
            lines.append(f"… dan {number(hidden)} baris lainnya.")
    return split_message("\n".join(lines))


def import_failed(filename: str, reason: str) -> str:
    return f"❌ File {bold(filename)} tidak dapat diimpor: {reason}"
