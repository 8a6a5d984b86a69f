"""What the scheduled jobs console (wabot) says."""

from __future__ import annotations

from cicero.clock import clock
from menus.format import bold, hour_minute, long_date

TITLE = "Menu Job Terjadwal"
REFUSED = ("⛔ Menu job terjadwal hanya untuk admin Cicero dan pengguna dashboard direktorat. "
           "Ketik *menu* untuk melihat perintah yang tersedia untuk Anda.")
SWITCH_JOBS = "Lihat dan aktifkan/nonaktifkan job terjadwal"
CHOOSE_JOB = "Pilih job:"
ENABLE = "Aktifkan"
DISABLE = "Nonaktifkan"
_STATUS_WORDS = {"success": "berhasil", "failed": "gagal", "running": "sedang berjalan",
                 "skipped": "dilewati"}


def _state(active: bool) -> str:
    return "🟢 aktif" if active else "🔴 nonaktif"


def job_line(name: str, active: bool) -> str:
    return f"{name} ({_state(active)})"


def schedule_words(times: tuple[str, ...]) -> str:
    if not times:
        return "hanya bila dijalankan manual"
    if len(times) <= 4:
        return "pukul " + ", ".join(times)
    return f"{len(times)} kali sehari, {times[0]}–{times[-1]}"


def job_card(name: str, key: str, times: tuple[str, ...], active: bool, last_run) -> str:
    lines = [f"⚙️ {bold(name)}", f"Kunci: {key}", f"Jadwal: {schedule_words(times)}",
             f"Status: {_state(active)}"]
    if last_run is None:
        lines.append("Terakhir berjalan: belum pernah")
    else:
        started = last_run.started_at.astimezone(clock.tz)
        status = _STATUS_WORDS.get(last_run.status, last_run.status)
        lines.append(f"Terakhir berjalan: {long_date(started.date())} {hour_minute(started)} "
                     f"({status})")
    lines += ["", "Ubah status job ini?"]
    return "\n".join(lines)


def confirm_switch(key: str, active: bool) -> str:
    action = "MENGAKTIFKAN" if active else "MENONAKTIFKAN"
    return f"Anda akan {action} job {bold(key)}. Ketik *ya* untuk melanjutkan, *0* untuk batal."


def switched(name: str, active: bool) -> str:
    return f"✅ Job {bold(name)} sekarang {'aktif' if active else 'nonaktif'}."
