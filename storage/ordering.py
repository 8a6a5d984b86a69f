"""The one ordering of satfung, people and satker used by every list (spec/attendance.md)."""

from __future__ import annotations

from functools import lru_cache

# The one rank list, most senior first: Polri ranks, then civil-servant (PNS) grades. Sorting
# uses it whole; the picker offers OFFICIAL_RANKS, i.e. without the older spellings of
# BRIGADIR that stored data still carries.
RANKS: tuple[str, ...] = (
    "JENDERAL POLISI", "KOMJEN", "IRJEN", "BRIGJEN", "KOMISARIS BESAR POLISI", "AKBP", "KOMPOL",
    "AKP", "IPTU", "IPDA", "AIPTU", "AIPDA", "BRIPKA", "BRIGADIR POLISI", "BRIGPOL", "BRIGADIR",
    "BRIPTU", "BRIPDA", "ABRIP", "ABRIPTU", "ABRIPDA", "BHARAKA", "BHARATU", "BHARADA",
    "PEMBINA UTAMA", "PEMBINA UTAMA MADYA", "PEMBINA UTAMA MUDA", "PEMBINA TINGKAT I",
    "PEMBINA", "PENATA TINGKAT I", "PENATA", "PENATA MUDA TINGKAT I", "PENATA MUDA",
    "PENGATUR TINGKAT I", "PENGATUR", "PENGATUR MUDA TINGKAT I", "PENGATUR MUDA",
    "JURU TINGKAT I", "JURU", "JURU MUDA TINGKAT I", "JURU MUDA",
)
_OLDER_SPELLINGS = frozenset({"BRIGADIR POLISI", "BRIGPOL"})
OFFICIAL_RANKS: tuple[str, ...] = tuple(rank for rank in RANKS if rank not in _OLDER_SPELLINGS)
_RANK_POSITION = {rank: position for position, rank in enumerate(RANKS)}
_RANK_ALIASES = {"KOMBES": "KOMISARIS BESAR POLISI", "KOMBES POL": "KOMISARIS BESAR POLISI"}
SATFUNG_PREFIXES: tuple[str, ...] = ("BAG", "SAT", "SI", "SPKT", "POLSEK")
NO_SATFUNG = "-"


@lru_cache(maxsize=256)
def rank_position(rank: str | None) -> int:
    """Seniority: 0 for the most senior rank of RANKS; unknown ranks come last."""
    key = " ".join((rank or "").upper().replace(".", " ").split())
    key = _RANK_ALIASES.get(key, key)
    return _RANK_POSITION.get(key, len(RANKS))


def person_key(rank: str | None, name: str | None) -> tuple[int, str]:
    return rank_position(rank), (name or "").upper()


def satfung_key(satfung: str | None) -> tuple[int, str]:
    """BAG, SAT, SI, SPKT, POLSEK prefixes first in that order, then the rest alphabetically."""
    name = (satfung or NO_SATFUNG).upper()
    first_word = name.split(" ", 1)[0]
    for position, prefix in enumerate(SATFUNG_PREFIXES):
        if first_word == prefix:
            return position, name
    return len(SATFUNG_PREFIXES), name


def satker_key(*, is_directorate_itself: bool, completion_rate: float, personnel: int,
               name: str) -> tuple[int, float, int, str]:
    """The directorate itself first, then completion rate desc, personnel desc, name."""
    return (0 if is_directorate_itself else 1), -completion_rate, -personnel, name.upper()
