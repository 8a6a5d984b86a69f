"""What the scheduled jobs console (wabot) says."""

from __future__ import annotations

from itertools import pairwise

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


def _minutes(hour_minute: str) -> int:
    hour, minute = hour_minute.split(":")
    return int(hour) * 60 + int(minute)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def schedule_words(times: tuple[str, ...], *, month_end: bool = False) -> str:
    """A schedule as people say it: "pukul 08:00, 12:00", "tiap 30 menit 06:30–22:00
    (kecuali 15:00, 18:00)", "hari terakhir tiap bulan pukul 23:00"."""
    if not times:
        return "hanya bila dijalankan manual"
    prefix = "hari terakhir tiap bulan " if month_end else ""
    if len(times) <= 3:
        return prefix + "pukul " + ", ".join(times)
    minutes = sorted(_minutes(t) for t in times)
    step = max(1, min(b - a for a, b in pairwise(minutes)))
    missing = [m for m in range(minutes[0], minutes[-1] + 1, step) if m not in minutes]
    if len(missing) <= 3 and all((m - minutes[0]) % step == 0 for m in minutes):
        words = f"tiap {step} menit {_clock(minutes[0])}–{_clock(minutes[-1])}"
        if missing:
            words += " (kecuali " + ", ".join(_clock(m) for m in missing) + ")"
        return prefix + words
    return prefix + f"{len(times)} kali sehari, {times[0]}–{times[-1]}"


def run_summary(last_run) -> str:
    """A run's outcome in a few words: its status, a catch-up, the error or its counts."""
    if last_run is None:
        return "belum pernah"
    counts = dict(last_run.counts or {})
    words = [_STATUS_WORDS.get(last_run.status, last_run.status)]
    if counts.pop("caught_up", None):
        words.append("susulan")
    if last_run.error:
        words.append(last_run.error.splitlines()[0][:60])
    else:
        failures = counts.pop("failures", None)
        words += [f"{key} {value}" for key, value in counts.items()
                  if isinstance(value, int | float | str) and not isinstance(value, bool)][:4]
        if failures:
            words.append(f"{len(failures)} gagal")
    return " · ".join(words)


def job_card(name: str, key: str, times: tuple[str, ...], active: bool, last_run, *,
             month_end: bool = False) -> str:
    lines = [f"⚙️ {bold(name)}", f"Kunci: {key}",
             f"Jadwal: {schedule_words(times, month_end=month_end)}",
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
