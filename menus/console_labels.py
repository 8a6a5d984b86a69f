"""Titles, section names and option labels of the consoles (dirrequest, dashrequest, …)."""

from __future__ import annotations

# --- dirrequest -------------------------------------------------------------------------------
DIRREQUEST = "Menu Direktorat"
DIRREQUEST_REFUSED = (
    "⛔ *dirrequest* hanya untuk pengguna dashboard dengan peran direktorat, super admin "
    "direktorat, dan admin Cicero. Ketik *menu* untuk melihat perintah yang tersedia untuk Anda.")
SECTION_DATA = "Rekap data personil"
SECTION_ATTENDANCE = "Absensi"
SECTION_FETCH = "Ambil data"
SECTION_REPORTS = "Laporan"
SECTION_WEEKLY = "Mingguan"
SECTION_MONTHLY = "Bulanan"
SECTION_KASAT = "Monitoring Kasatker"

COMPLETENESS = "Kelengkapan data personil per satker"
COMPLETENESS_SUMMARY = "Ringkasan pengisian data (User Insight)"
COMPLETENESS_EXCEL = "Matriks update data satker (Excel)"
DIRECTORATE_IG = "Absensi likes Instagram per satker"
SIMPLE_IG = "Absensi likes Instagram staf direktorat (ringkas)"
REPORT_IG = "Absensi likes Instagram staf direktorat (rinci per satfung)"
DIRECTORATE_TIKTOK = "Absensi komentar TikTok per satker"
SIMPLE_TIKTOK = "Absensi komentar TikTok staf direktorat (ringkas)"
REPORT_TIKTOK = "Absensi komentar TikTok staf direktorat (rinci per satfung)"
FETCH_NOW = "Ambil data sekarang (konten & engagement) + daftar tugas"
LAPHAR = "Laporan harian IG & TikTok (narasi + berkas .txt)"
RANKING_EXCEL = "Ranking engagement satker (Excel)"
TOP_BOTTOM = "5 personil teratas & terbawah IG & TikTok"
IG_PER_CONTENT_EXCEL = "Likes Instagram per konten (Excel)"
TIKTOK_PER_CONTENT_EXCEL = "Komentar TikTok per konten (Excel)"
IG_LIKES_EXCEL = "Rekap likes Instagram (Excel)"
TIKTOK_COMMENTS_EXCEL = "Rekap komentar TikTok (Excel)"
KASATKER = "Laporan kepatuhan Kasatker"
KASAT_IG = "Absensi likes Instagram Kasat Binmas"
KASAT_TIKTOK = "Absensi komentar TikTok Kasat Binmas"

# --- dashrequest ------------------------------------------------------------------------------
DASHREQUEST = "Menu Dashboard"
DASHREQUEST_REFUSED = (
    "⛔ *dashrequest* hanya untuk pengguna dashboard Cicero yang sudah disetujui. Daftar di "
    "dashboard, atau ketik *menu* untuk melihat perintah yang tersedia untuk Anda.")
AMPLIFY = "Rekap amplifikasi link"
IG_LIKES = "Absensi likes Instagram"
TIKTOK_COMMENTS = "Absensi komentar TikTok"

# --- oprrequest -------------------------------------------------------------------------------
OPRREQUEST = "Menu Operator"
OPRREQUEST_REFUSED = (
    "⛔ Maaf, nomor ini tidak memiliki akses ke *oprrequest*: menu ini untuk operator dan super "
    "admin satker yang terdaftar, dan admin Cicero. Ketik *menu* untuk melihat perintah yang "
    "tersedia untuk Anda.")
SECTION_PERSONNEL = "Data personil"
SECTION_TASKS = "Tugas & rekap"
SECTION_SPECIAL = "Tugas khusus"
SECTION_INBOX = "Komplain"
ADD_PERSON = "Tambah personil"
UPDATE_PERSON = "Ubah data personil"
PERSON_STATUS = "Aktifkan / nonaktifkan personil"
CHECK_PERSON = "Cek data personil"
UPDATE_TASKS = "Update tugas (ambil konten & engagement sekarang)"
LINK_RECAP_TODAY = "Rekap link amplifikasi hari ini"
LINK_RECAP_YESTERDAY = "Rekap link amplifikasi kemarin"
LINK_RECAP_POST = "Rekap link amplifikasi per konten"
AMPLIFY_ATTENDANCE = "Absensi amplifikasi link"
REGISTRATION_ATTENDANCE = "Absensi registrasi WhatsApp personil"
SPECIAL_TASK_POST = "Daftarkan konten tugas khusus"
SPECIAL_LINK_RECAP = "Rekap link tugas khusus hari ini"
SPECIAL_LINK_RECAP_POST = "Rekap link tugas khusus per konten"
SPECIAL_ATTENDANCE = "Absensi amplifikasi tugas khusus"
COMPLAINT_INBOX = "Kotak komplain (jawab / tutup)"
