"""Indonesian formatting shared by every text people read (reference §3.0).

id-ID numbers (1.234; 45,5%), day and month names, WhatsApp bold, post links,
greetings by business-time hour, and splitting long texts into messages.
"""

from __future__ import annotations

from datetime import date, datetime

DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTH_NAMES = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
               "September", "Oktober", "November", "Desember")
WHATSAPP_TEXT_LIMIT = 4000
EMPTY_LIST = "-"


def number(value: int | float) -> str:
    """1234567 -> '1.234.567'."""
    return f"{round(value):,}".replace(",", ".")


def percent(ratio: float) -> str:
    """0.4553 -> '45,5%' (one decimal, comma separator)."""
    return f"{ratio * 100:,.1f}".replace(",", "_").replace(".", ",").replace("_", ".") + "%"


def share(part: int, whole: int) -> str:
    return percent(part / whole if whole else 0.0)


def day_name(day: date) -> str:
    return DAY_NAMES[day.weekday()]


def short_date(day: date) -> str:
    """6/12/2025, as id-ID prints it."""
    return f"{day.day}/{day.month}/{day.year}"


def numeric_date(day: date) -> str:
    """06/12/2025 (dd/mm/yyyy, the reference's list format)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def long_date(day: date) -> str:
    """06 Desember 2025."""
    return f"{day.day:02d} {MONTH_NAMES[day.month - 1]} {day.year}"


def clock_time(moment: datetime) -> str:
    """19.05.00 (id-ID uses dots)."""
    return moment.strftime("%H.%M.%S")


def hour_minute(moment: datetime) -> str:
    return moment.strftime("%H.%M")


def period_label(start: date, end: date) -> str:
    if start == end:
        return f"{day_name(start)}, {long_date(start)}"
    return f"{long_date(start)} - {long_date(end)}"


def greeting(moment: datetime) -> str:
    """Selamat pagi (04–10), siang (10–15), sore (15–18), malam otherwise."""
    hour = moment.hour
    if 4 <= hour < 10:
        return "Selamat pagi"
    if 10 <= hour < 15:
        return "Selamat siang"
    if 15 <= hour < 18:
        return "Selamat sore"
    return "Selamat malam"


def bold(text: str) -> str:
    return f"*{text}*"


def italic(text: str) -> str:
    return f"_{text}_"


def person_label(rank: str | None, name: str) -> str:
    """'BRIPDA BUDI SANTOSO' (pangkat nama)."""
    return f"{rank} {name}" if rank else name


def post_url(platform: str, external_id: str, account: str | None = None) -> str:
    if platform == "instagram":
        return f"https://www.instagram.com/p/{external_id}"
    if account:
        return f"https://www.tiktok.com/@{account}/video/{external_id}"
    return f"https://www.tiktok.com/video/{external_id}"


def dash_list(lines: list[str]) -> list[str]:
    """'- item' lines, or a lone '-' for an empty list."""
    return [f"- {line}" for line in lines] or [EMPTY_LIST]


def split_message(text: str, limit: int = WHATSAPP_TEXT_LIMIT) -> list[str]:
    """Split a long text into messages of at most `limit` characters: whole paragraphs (a
    satker's block, a section) stay together when they fit, else the paragraph is split on
    line boundaries; only a single line longer than the limit is cut where it must be."""
    messages: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            messages.append(current)
        if len(paragraph) <= limit:
            current = paragraph
            continue
        *whole, current = _split_lines(paragraph, limit)
        messages.extend(whole)
    messages.append(current)
    return [message.strip("\n") for message in messages if message.strip()]


def _split_lines(text: str, limit: int) -> list[str]:
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    return [*parts, current]
