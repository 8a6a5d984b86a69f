"""How long what people type may be, and the tidy form of free text (names, ranks, units,
jabatan, desa, satker names): one definition for the dashboard API and the imports."""

from __future__ import annotations

MAX_TEXT = 200
MAX_CLIENT_ID = 64


class TextTooLong(ValueError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"longer than {limit} characters")
        self.limit = limit


def tidy_text(value: str, limit: int = MAX_TEXT) -> str:
    """Runs of whitespace collapsed to one space, ends trimmed; TextTooLong past `limit`."""
    text = " ".join(value.split())
    if len(text) > limit:
        raise TextTooLong(limit)
    return text
