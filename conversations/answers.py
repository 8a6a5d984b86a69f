"""Lenient reading of what people type: `Ya.`, `iya`, `y` are all yes."""

from __future__ import annotations

import re
from enum import Enum

_EDGE_PUNCTUATION = re.compile(r"^[\s.,!?*_~\"'`]+|[\s.,!?*_~\"'`]+$")
_YES = frozenset({"ya", "iya", "y", "yes", "yaa", "iyaa", "iy", "ok", "oke", "okay", "benar",
                  "betul", "setuju", "lanjut"})
_NO = frozenset({"tidak", "tdk", "t", "no", "n", "nggak", "ngga", "gak", "ga", "enggak", "bukan",
                 "jangan"})


class Answer(Enum):
    YES = "yes"
    NO = "no"


def word(text: str) -> str:
    """Lower case, inner spaces collapsed, punctuation and WhatsApp styling trimmed at the ends."""
    return " ".join(_EDGE_PUNCTUATION.sub("", text.lower()).split())


def yes_no(text: str) -> Answer | None:
    answer = word(text)
    if answer in _YES:
        return Answer.YES
    if answer in _NO:
        return Answer.NO
    return None


def choice(text: str, options: list[str]) -> str | None:
    """An option picked by its 1-based number or its exact name (case-insensitive)."""
    answer = word(text)
    if answer.isdigit():
        index = int(answer)
        return options[index - 1] if 1 <= index <= len(options) else None
    by_name = {option.lower(): option for option in options}
    return by_name.get(answer)
