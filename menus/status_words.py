"""What each attendance status is called, for each audience, in one place.

People read words: "Lengkap / Kurang / Belum" in WhatsApp reports and Excel workbooks
(reference §3; the Kasat Binmas recap says "Sebagian" for partial, as the reference's did).
The dashboard (Cicero_Web, reference §2.3) reads codes: "sudah / kurang / belum", with the
legend it shows beside them.
"""

from __future__ import annotations

from storage.attendance import Status

STATUS_NAMES: dict[Status, str] = {
    Status.DONE: "Lengkap",
    Status.PARTIAL: "Kurang",
    Status.NONE: "Belum",
    Status.NO_USERNAME: "Belum input username",
    Status.NO_POSTS: "Tidak ada konten",
}
KASAT_STATUS_NAMES: dict[Status, str] = {**STATUS_NAMES, Status.PARTIAL: "Sebagian"}

DASHBOARD_STATUS: dict[Status, str] = {
    Status.DONE: "sudah",
    Status.PARTIAL: "kurang",
    Status.NONE: "belum",
    Status.NO_USERNAME: "no_username",
    Status.NO_POSTS: "no_posts",
}
STATUS_LEGEND = [
    {"status": "sudah", "label": "Sudah", "description": "Memenuhi target like"},
    {"status": "kurang", "label": "Kurang", "description": "Sudah like, belum memenuhi target"},
    {"status": "belum", "label": "Belum", "description": "Belum like satu pun konten"},
    {"status": "no_username", "label": "Tanpa username",
     "description": "Belum mengisi username Instagram"},
    {"status": "no_posts", "label": "Tidak ada konten",
     "description": "Tidak ada konten pada periode ini"},
]
