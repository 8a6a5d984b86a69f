"""Reading import files (.csv / .xlsx) and parsing one row into normalised values.

No database here: `storage.importing` loads the stored state and decides what to
write. A parsed row carries the values present in the file and the
problems found in its own cells (reasons in Indonesian, naming field and value).

An empty cell means "no value in the file": on an existing row the stored value is
kept; on a new row the default applies. Set-valued columns (contacts, directorates)
are the exception: when the column is present, its cell is the whole new set.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from storage.identifiers import (
    InvalidIdentifier,
    normalize_email,
    normalize_group_jid,
    normalize_nrp,
    normalize_phone,
    parse_instagram_username,
    parse_tiktok_username,
)
from storage.models import ClientType, ContactKind
from storage.personnel_profile import RESERVED_INSTAGRAM
from storage.text_limits import MAX_CLIENT_ID, TextTooLong, tidy_text

PERSONNEL_REQUIRED = ("user_id", "nama")
CLIENT_REQUIRED = ("client_id", "nama")

_TRUE = frozenset({"aktif", "true", "1", "ya", "y", "yes"})
_FALSE = frozenset({"nonaktif", "non aktif", "tidak aktif", "false", "0", "tidak", "n", "no"})
_ALIASES = {"nrp": "user_id", "nip": "user_id", "title": "pangkat", "divisi": "satfung",
            "satker": "client_id", "insta": "instagram"}
_ALIAS_HINT = {"user_id": " (atau nrp / nip)", "client_id": " (atau satker)"}
_CLIENT_TYPES = {"org": ClientType.ORG, "directorate": ClientType.DIRECTORATE,
                 "direktorat": ClientType.DIRECTORATE, "polda": ClientType.POLDA}
_CLIENT_ID_RE = re.compile(r"[A-Z0-9_.\-]+")
_SHOWN = 40  # characters of a refused value quoted back in its reason
_LIST_SEP_RE = re.compile(r"[,;\n]")

# file column -> (model field, label used in reasons)
_PERSON_TEXT = {"pangkat": "rank", "satfung": "satfung", "jabatan": "jabatan", "desa": "desa"}
_PERSON_FLAGS = {"status": "status", "exception": "exception"}
_CLIENT_FLAGS = ("status", "instagram_status", "tiktok_status", "amplify_status")
CONTACT_COLUMNS = {
    "operator_whatsapp": (ContactKind.OPERATOR.value, "nomor WhatsApp operator", normalize_phone),
    "super_whatsapp": (ContactKind.SUPER_ADMIN.value, "nomor WhatsApp super admin",
                       normalize_phone),
    "group_jid": (ContactKind.GROUP.value, "ID grup WhatsApp", normalize_group_jid),
}
_USERNAMES: dict[str, tuple[str, Callable[[str], str]]] = {
    "instagram": ("username Instagram", parse_instagram_username),
    "tiktok": ("username TikTok", parse_tiktok_username),
}


class ImportFileError(Exception):
    """The file as a whole cannot be imported; str(exc) is an Indonesian sentence."""


@dataclass
class ParsedRow:
    line: int
    raw_id: str
    row_id: str | None = None  # the normalised id, None when missing or invalid
    values: dict[str, Any] = field(default_factory=dict)  # model field -> value in the file
    sets: dict[str, frozenset[str]] = field(default_factory=dict)  # set name -> whole new set
    problems: list[str] = field(default_factory=list)


def shown(value: str) -> str:
    """A value quoted in a reason: a long one is cut (a reason is printed, not the cell)."""
    return value if len(value) <= _SHOWN else value[:_SHOWN] + "…"


def _text(value: str, label: str, problems: list[str]) -> str | None:
    """The tidy text of a cell, None when empty or too long (a problem then)."""
    try:
        return tidy_text(value) or None
    except TextTooLong as exc:
        problems.append(f"{label} terlalu panjang (maksimal {exc.limit} karakter)")
        return None


def free_text(value: str, label: str, problems: list[str]) -> str | None:
    """Upper-cased tidy text (see _text)."""
    text = _text(value, label, problems)
    return text.upper() if text else None


def split_list(value: str) -> list[str]:
    return [part.strip() for part in _LIST_SEP_RE.split(value) if part.strip()]


def _bool(value: str, label: str, problems: list[str]) -> bool | None:
    word = " ".join(value.split()).lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    problems.append(f'{label} tidak valid: "{shown(value)}" (pakai aktif/nonaktif)')
    return None


def _identifier(value: str, label: str, parse: Callable[[str], str],
                problems: list[str]) -> str | None:
    try:
        return parse(value)
    except InvalidIdentifier:
        problems.append(f'{label} tidak valid: "{shown(value)}"')
        return None


def _put(row: ParsedRow, name: str, value: Any) -> None:
    if value is not None:
        row.values[name] = value


def parse_person(line: int, cells: dict[str, str]) -> ParsedRow:
    row = ParsedRow(line, cells.get("user_id", ""))
    problems = row.problems
    if not row.raw_id:
        problems.append("NRP/NIP kosong")
    else:
        row.row_id = _identifier(row.raw_id, "NRP/NIP", normalize_nrp, problems)
    if not cells.get("nama", "").strip():
        problems.append("nama kosong")
    _put(row, "name", free_text(cells.get("nama", ""), "nama", problems))
    for column, model_field in _PERSON_TEXT.items():
        _put(row, model_field, free_text(cells.get(column, ""), column, problems))
    _put(row, "client_id", _client_id(cells.get("client_id", ""), "client_id", problems))
    if whatsapp := cells.get("whatsapp"):
        _put(row, "whatsapp", _identifier(whatsapp, "nomor WhatsApp", normalize_phone, problems))
    for column, (label, parse) in _USERNAMES.items():
        if raw := cells.get(column):
            _put(row, column, _identifier(raw, label, parse, problems))
    if row.values.get("instagram") in RESERVED_INSTAGRAM:
        problems.append(f'username Instagram "{row.values.pop("instagram")}" milik sistem')
    if email := cells.get("email"):
        _put(row, "email", _identifier(email, "email", normalize_email, problems))
    for column, model_field in _PERSON_FLAGS.items():
        if flag := cells.get(column):
            _put(row, model_field, _bool(flag, column, problems))
    if "directorates" in cells:
        found = [_client_id(d, "direktorat", problems) for d in split_list(cells["directorates"])]
        row.sets["directorates"] = frozenset(d for d in found if d)
    return row


def _client_id(value: str, label: str, problems: list[str]) -> str | None:
    if len(value) > MAX_CLIENT_ID:
        problems.append(f"{label} terlalu panjang (maksimal {MAX_CLIENT_ID} karakter)")
        return None
    return value.upper() or None


def parse_client(line: int, cells: dict[str, str]) -> ParsedRow:
    row = ParsedRow(line, cells.get("client_id", ""))
    problems = row.problems
    client_id = _client_id(row.raw_id, "client_id", problems)
    if not row.raw_id:
        problems.append("client_id kosong")
    elif client_id is None:
        pass
    elif not _CLIENT_ID_RE.fullmatch(client_id):
        problems.append(f'client_id tidak valid: "{shown(row.raw_id)}" '
                        "(hanya huruf, angka, _ . -)")
    else:
        row.row_id = client_id
    if not cells.get("nama", "").strip():
        problems.append("nama kosong")
    _put(row, "name", _text(cells.get("nama", ""), "nama", problems))
    if raw_type := cells.get("type"):
        client_type = _CLIENT_TYPES.get(raw_type.lower())
        if client_type is None:
            problems.append(
                f'type tidak valid: "{shown(raw_type)}" (pilih org, directorate atau polda)')
        _put(row, "type", client_type and client_type.value)
    if parent := _client_id(cells.get("parent_id", ""), "parent_id", problems):
        if parent == client_id:
            problems.append(f'parent_id sama dengan client_id: "{parent}"')
        row.values["parent_id"] = parent
    for column, (label, parse) in _USERNAMES.items():
        if raw := cells.get(column):
            _put(row, column, _identifier(raw, label, parse, problems))
    _put(row, "tiktok_secuid", _text(cells.get("tiktok_secuid", ""), "tiktok_secuid", problems))
    for column in _CLIENT_FLAGS:
        if flag := cells.get(column):
            _put(row, column, _bool(flag, column, problems))
    for column, (kind, label, parse) in CONTACT_COLUMNS.items():
        if column in cells:
            values = [_identifier(v, label, parse, problems) for v in split_list(cells[column])]
            row.sets[kind] = frozenset(v for v in values if v)
    return row


# --- reading files --------------------------------------------------------------------------


def _header_name(raw: str) -> str:
    name = re.sub(r"[\s\-]+", "_", raw.replace("\ufeff", "").strip().lower())
    return _ALIASES.get(name, name)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


_ZEROS_FORMAT_RE = re.compile(r"0+")


def _shown_cell_text(value: object, number_format: str | None) -> str:
    """A cell as the spreadsheet shows it: a number formatted `00000000` (how Excel keeps
    the leading zero of an NRP typed as a number) is read with its zeros."""
    text = _cell_text(value)
    if (isinstance(value, int | float) and not isinstance(value, bool) and text.isdigit()
            and number_format and _ZEROS_FORMAT_RE.fullmatch(number_format)):
        return text.zfill(len(number_format))
    return text


def _csv_table(path: Path) -> list[tuple[int, list[str]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ImportFileError(f"File {path.name} tidak bisa dibaca: {exc.strerror}.") from None
    except UnicodeDecodeError:
        raise ImportFileError(f"File {path.name} bukan teks UTF-8. Simpan ulang sebagai "
                              "\"CSV UTF-8\" atau sebagai .xlsx.") from None
    header = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table, start = [], 1
    try:
        for cells in reader:
            table.append((start, [cell.strip() for cell in cells]))
            start = reader.line_num + 1
    except csv.Error as exc:
        message = f"File {path.name} rusak di baris {reader.line_num}: {exc}."
        raise ImportFileError(message) from None
    return table


def _xlsx_table(path: Path) -> list[tuple[int, list[str]]]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError):
        message = f"File {path.name} bukan file Excel .xlsx yang bisa dibaca."
        raise ImportFileError(message) from None
    try:
        sheet = workbook.worksheets[0]
        return [(number, [_shown_cell_text(cell.value, cell.number_format) for cell in cells])
                for number, cells in enumerate(sheet.iter_rows(), start=1)]
    finally:
        workbook.close()


def read_table(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The canonical header names and the non-blank data rows (see importing.read_rows)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = _csv_table(path)
    elif suffix in (".xlsx", ".xlsm"):
        table = _xlsx_table(path)
    else:
        raise ImportFileError(f"Jenis file {suffix or '(tanpa ekstensi)'} tidak didukung. "
                              "Pakai .csv atau .xlsx.")
    table = [(line, cells) for line, cells in table if any(cells)]
    if not table:
        raise ImportFileError(f"File {path.name} kosong: tidak ada baris judul kolom.")
    columns: dict[str, int] = {}
    for index, raw in enumerate(table[0][1]):
        if not (name := _header_name(raw)):
            continue
        if name in columns:
            raise ImportFileError(f'Kolom "{name}" muncul lebih dari sekali di baris judul.')
        columns[name] = index
    rows = [(line, {name: cells[i] if i < len(cells) else "" for name, i in columns.items()})
            for line, cells in table[1:]]
    return list(columns), [(line, cells) for line, cells in rows if any(cells.values())]


def read_required(path: Path, required: Iterable[str]) -> list[tuple[int, dict[str, str]]]:
    headers, rows = read_table(path)
    missing = [name + _ALIAS_HINT.get(name, "") for name in required if name not in headers]
    if missing:
        raise ImportFileError(f"Kolom wajib tidak ada: {', '.join(missing)}. "
                              f"Kolom yang ditemukan: {', '.join(headers)}.")
    return rows
