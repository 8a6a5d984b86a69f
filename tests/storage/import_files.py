"""Import files for the import tests: writers for .csv / .xlsx, the clients every personnel
import needs, and a generated person row."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import transaction
from storage.importing import import_clients

CLIENT_HEADER = ["client_id", "nama", "type", "parent_id", "operator_whatsapp", "group_jid"]
CLIENT_ROWS = [
    ["POLDA_JATIM", "POLDA JAWA TIMUR", "polda", "", "", ""],
    ["polres_a", "POLRES A", "ORG", "POLDA_JATIM", "081234567001", "120363012345678901@g.us"],
    ["POLRES_B", "POLRES B", "", "POLDA_JATIM", "", ""],
    ["DITBINMAS", "DIREKTORAT BINMAS", "direktorat", "POLDA_JATIM", "", ""],
]
PERSON_HEADER = ["user_id", "nama", "pangkat", "satfung", "jabatan", "client_id", "whatsapp",
                 "instagram", "tiktok", "email", "status", "directorates"]


def write_csv(path: Path, header: list[str], rows: list[list[object]],
              delimiter: str = ",", encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


async def scalar(engine: AsyncEngine, statement) -> object:
    async with transaction(engine) as session:
        return (await session.execute(statement)).scalar_one()


async def setup_clients(engine: AsyncEngine, tmp_path: Path) -> None:
    summary = await import_clients(engine, write_csv(tmp_path / "clients.csv", CLIENT_HEADER,
                                                     CLIENT_ROWS))
    assert (summary.created, summary.rejected) == (4, [])


def person(i: int) -> list[object]:
    return [str(87000000 + i), f"Personil  {i}", "bripda", "sat binmas", "ba", "polres_a" if i % 2
            else "POLRES_B", f"0812-3400-{i:04d}", f"@user.{i}", f"tt_{i}", f"P{i}@Polri.go.id",
            "aktif", "DITBINMAS" if i % 10 == 0 else ""]
