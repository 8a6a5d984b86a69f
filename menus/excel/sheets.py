"""Building blocks shared by the Excel workbooks: sheet names, styles, widths, title and
summary rows. Pure: they only write into an xlsxwriter workbook held in memory.

Workbooks are written in xlsxwriter's constant-memory mode (a Polda month is ~40 sheets and
~600,000 cells): each row goes out when the next one starts, so every writer fills its rows
top to bottom, and a cell can only be merged with cells of its own row. A header that stands
over two header rows is drawn as one cell (`tall_header` + `tall_header_end`: no border
between them) instead of merged. The formats are made once per workbook (`Styles`)."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from menus.status_words import STATUS_NAMES
from storage.attendance import Policy, Status, Totals

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_NAME_LIMIT = 31
_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_RESERVED_SHEET_NAMES = {"history"}

DONE_FILL = "#C6EFCE"  # "Sudah" columns
MISSING_FILL = "#F8CBAD"  # "Belum" columns
HEADER_FILL = "#D9D9D9"
_STATUS_FILLS = {
    Status.DONE: DONE_FILL,
    Status.PARTIAL: "#FFEB9C",
    Status.NONE: MISSING_FILL,
    Status.NO_USERNAME: "#E7E6E6",
    Status.NO_POSTS: "#FFFFFF",
}
POLICY_LABELS = {"majority": "mayoritas", "all": "semua konten"}


class SheetNames:
    """Excel-safe, unique sheet names: at most 31 characters, none of []:*?/\\, no leading
    or trailing apostrophe, unique ignoring case (Excel compares names that way)."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def claim(self, wanted: str) -> str:
        base = " ".join(_FORBIDDEN_IN_SHEET_NAME.sub(" ", wanted).split()).strip("'").strip()
        if not base or base.casefold() in _RESERVED_SHEET_NAMES:
            base = f"{base or 'Sheet'} 1".strip()
        name = _fit(base, "")
        copy = 2
        while name.casefold() in self._used:
            name = _fit(base, f" ({copy})")
            copy += 1
        self._used.add(name.casefold())
        return name


def _fit(base: str, suffix: str) -> str:
    return base[: SHEET_NAME_LIMIT - len(suffix)].rstrip(" '") + suffix


class Styles:
    """The formats of one workbook, created once."""

    def __init__(self, workbook: Workbook) -> None:
        add = workbook.add_format
        border = {"border": 1, "valign": "vcenter"}
        header = {**border, "bold": True, "align": "center", "text_wrap": True}
        count = {**border, "num_format": "#,##0", "align": "center"}
        total = {**count, "bold": True, "bg_color": HEADER_FILL}
        self.title = add({"bold": True, "font_size": 14})
        self.subtitle = add({"bold": True, "font_size": 11})
        self.note = add({"italic": True})
        self.label = add({"bold": True})
        self.plain = add({})
        self.plain_count = add({"num_format": "#,##0", "align": "left"})
        self.header = add({**header, "bg_color": HEADER_FILL})
        self.header_upper = add({**header, "bg_color": HEADER_FILL, "bottom": 0})
        self.header_lower = add({**header, "bg_color": HEADER_FILL, "top": 0})
        self.header_done = add({**header, "bg_color": DONE_FILL})
        self.header_missing = add({**header, "bg_color": MISSING_FILL})
        self.header_link = add({**header, "bg_color": HEADER_FILL, "font_color": "blue",
                                "underline": 1})
        self.text = add(border)
        self.number = add({**border, "num_format": "0", "align": "center"})
        self.count = add(count)
        self.count_done = add({**count, "bg_color": DONE_FILL})
        self.count_missing = add({**count, "bg_color": MISSING_FILL})
        self.total_label = add({**total, "align": "left"})
        self.total = add(total)
        self.total_done = add({**total, "bg_color": DONE_FILL})
        self.total_missing = add({**total, "bg_color": MISSING_FILL})
        self.status = {status: add({**border, "bg_color": fill})
                       for status, fill in _STATUS_FILLS.items()}
        # A count shaded like the status it stands for (a day's posts: all, some, none).
        self.count_by_share = {status: add({**count, "bg_color": fill})
                               for status, fill in _STATUS_FILLS.items()}


class Sheet:
    """A worksheet that remembers the widest value of each column for auto-width."""

    def __init__(self, worksheet: Worksheet, styles: Styles) -> None:
        self.ws = worksheet
        self.styles = styles
        self._widths: dict[int, int] = defaultdict(int)

    def measure(self, col: int, value: str | int) -> None:
        self._widths[col] = max(self._widths[col], len(str(value)))

    def text(self, row: int, col: int, value: str, fmt: Any = None) -> None:
        self.ws.write_string(row, col, value, fmt or self.styles.text)
        self.measure(col, value)

    def number(self, row: int, col: int, value: int, fmt: Any = None) -> None:
        self.ws.write_number(row, col, value, fmt or self.styles.count)
        self.measure(col, f"{value:,}")

    def header(self, row: int, col: int, value: str, fmt: Any = None, *,
               cols: int = 1) -> None:
        """A header cell, merged over `cols` cells of its row when wider than one."""
        fmt = fmt or self.styles.header
        if cols == 1:
            self.ws.write_string(row, col, value, fmt)
            self._measure_header(col, value)
        else:
            self.ws.merge_range(row, col, row, col + cols - 1, value, fmt)

    def tall_header(self, row: int, col: int, value: str) -> None:
        """The upper half of a header over two rows; `tall_header_end` draws the lower half
        when the next row is written."""
        self.ws.write_string(row, col, value, self.styles.header_upper)
        self._measure_header(col, value)

    def tall_header_end(self, row: int, col: int) -> None:
        self.ws.write_blank(row, col, None, self.styles.header_lower)

    def _measure_header(self, col: int, value: str) -> None:
        # Headers wrap: only their longest word has to fit.
        self.measure(col, max(value.split(), key=len, default=""))

    def column_sum(self, row: int, col: int, first: int, last: int, value: int,
                   fmt: Any = None) -> None:
        """`=SUM(<col><first>:<col><last>)` with its value cached for readers without a
        calculation engine."""
        if last < first:
            self.number(row, col, 0, fmt)
            return
        cells = f"{xl_rowcol_to_cell(first, col)}:{xl_rowcol_to_cell(last, col)}"
        self.ws.write_formula(row, col, f"=SUM({cells})", fmt or self.styles.total, value)
        self.measure(col, f"{value:,}")

    def fit_columns(self, minimum: int = 5, maximum: int = 45) -> None:
        for col, width in self._widths.items():
            self.ws.set_column(col, col, min(max(width + 2, minimum), maximum))


class Book:
    """A workbook written in constant-memory mode into a buffer, with its styles and its
    register of sheet names."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(self._buffer, {"constant_memory": True})
        self.styles = Styles(self.workbook)
        self._names = SheetNames()

    def sheet(self, wanted_name: str) -> Sheet:
        return Sheet(self.workbook.add_worksheet(self._names.claim(wanted_name)), self.styles)

    def content(self) -> bytes:
        self.workbook.close()
        return self._buffer.getvalue()


def write_summary(sheet: Sheet, row: int, totals: Totals, policy: Policy, posts: int,
                  stamp: str) -> int:
    """The four status classes (never merged into one another), what "lengkap" means, and
    the data time, below a table (labels in columns B:C, counts in D). Returns the row after
    the block."""
    styles = sheet.styles
    rule = (f"Status personil (kebijakan {POLICY_LABELS.get(policy.name, policy.name)}: "
            f"lengkap = minimal {policy.required(posts)} dari {posts} konten)")
    sheet.ws.write_string(row, 1, rule, styles.label)
    lines = (
        (STATUS_NAMES[Status.DONE], totals.done),
        (STATUS_NAMES[Status.PARTIAL], totals.partial),
        (STATUS_NAMES[Status.NONE], totals.none),
        (STATUS_NAMES[Status.NO_USERNAME], totals.no_username),
        ("Sudah melaksanakan (lengkap + kurang)", totals.acted),
        ("Jumlah personil", totals.total),
    )
    for offset, (label, value) in enumerate(lines, start=1):
        # The label spans two columns so that it never hides behind the count.
        sheet.ws.merge_range(row + offset, 1, row + offset, 2, label, styles.plain)
        sheet.ws.write_number(row + offset, 3, value, styles.plain_count)
    sheet.ws.write_string(row + len(lines) + 1, 1, stamp, styles.note)
    return row + len(lines) + 2


@dataclass(frozen=True)
class Words:
    """Platform words of the titles and file names."""

    platform: str  # Instagram / TikTok (titles)
    file_platform: str  # Instagram / Tiktok (file names, as the reference)
    action: str  # Likes / Komentar
    engaged: str  # "konten yang sudah di-like" / "… dikomentari"

    @classmethod
    def of(cls, platform: str) -> Words:
        if platform == "instagram":
            return cls("Instagram", "Instagram", "Likes", "di-like")
        return cls("TikTok", "Tiktok", "Komentar", "dikomentari")
