"""The Kasatker compliance levels (reference §2.6, dirrequest 30): a satker's score is the mean
of its Instagram and TikTok acted rates; AKTIF from 90%, SEDANG from 50%, RENDAH below. The
compliance letter sorts satkers into them; satker ranking charts draw AKTIF as the target."""

from __future__ import annotations

# (level, lowest score in percent points), highest first.
KASATKER_LEVELS = (("AKTIF", 90.0), ("SEDANG", 50.0), ("RENDAH", 0.0))
ACTIVE_SHARE = KASATKER_LEVELS[0][1] / 100


def compliance_level(score: float) -> str:
    points = round(score * 100, 6)  # 0.9 must count as 90 whatever the float rounding
    return next(level for level, floor in KASATKER_LEVELS if points >= floor)
