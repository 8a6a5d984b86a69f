"""Issue 21.17: the README is self-contained (links only inside the repository) and its
operator guide's import columns are the ones a real import accepts."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
from sqlalchemy import text

from tests.conftest import PROJECT_ROOT, run_cli

README = (PROJECT_ROOT / "README.md").read_text()


def _table_columns(heading: str) -> list[str]:
    """The backticked names (aliases too) in the first cell of each row of the table after
    `heading`."""
    table = README.split(heading, 1)[1].split("\n\n", 2)[1]
    names = []
    for row in table.splitlines()[2:]:
        first = row.split("|")[1]
        names.extend(re.findall(r"`([^`]+)`", first))
    return names


def test_readme_points_only_inside_the_repository() -> None:
    for target in re.findall(r"`(\.\./[^`]*)`|\]\(([^)]+)\)", README):
        path = next(part for part in target if part)
        assert not path.startswith("../"), path
        if not path.startswith(("http://", "https://", "#")):
            assert (PROJECT_ROOT / path).exists(), path
    assert "../shared" not in README
    guide = README.split("## First day as the IT officer", 1)[1].split("\n## ", 1)[0]
    for session in ("`user` (personel)", "`operator` (nomor utama)", "`gateway` (grup)"):
        assert session in guide
    assert "cicero wa login --session user" in guide


async def test_the_guides_import_columns_are_what_the_import_accepts(
        engine, cli_env: dict[str, str], tmp_path: Path) -> None:
    clients = _table_columns("Satkers (`cicero import clients`)")
    assert clients[:2] == ["client_id", "nama"]
    values = {"client_id": "POLRES_X", "nama": "Polres X", "type": "org", "parent_id": "POLDA_X",
              "instagram": "polresx", "tiktok": "polresx", "tiktok_secuid": "MS4wLjAB",
              "status": "aktif", "instagram_status": "aktif", "tiktok_status": "aktif",
              "amplify_status": "aktif", "operator_whatsapp": "081234500001",
              "super_whatsapp": "081234500002", "group_jid": "120363012345678901@g.us"}
    assert set(clients) == set(values)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(clients)
    sheet.append(["POLDA_X", "Polda X", "polda"] + [""] * (len(clients) - 3))
    sheet.append([values[name] for name in clients])
    book.save(tmp_path / "satker.xlsx")
    done = run_cli("import", "clients", str(tmp_path / "satker.xlsx"), env=cli_env)
    assert done.returncode == 0, done.stdout + done.stderr

    personnel = _table_columns("Personnel (`cicero import personnel`)")
    assert personnel[0] == "nrp" and "nama" in personnel
    person = {"nrp": "01055189", "nip": None, "user_id": None, "nama": "Adi", "satker": "POLRES_X",
              "client_id": None, "pangkat": "bripka", "title": None, "satfung": "sat binmas",
              "divisi": None, "jabatan": "ba", "desa": "sumberjo", "whatsapp": "081234500003",
              "instagram": "adi.ig", "tiktok": "adi.tt", "email": "adi@polri.go.id",
              "status": "aktif", "exception": "nonaktif", "directorates": ""}
    assert set(personnel) == set(person)
    used = [name for name in personnel if person[name] is not None]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(used)
    sheet.append([person[name] for name in used])
    book.save(tmp_path / "personil.xlsx")
    done = run_cli("import", "personnel", str(tmp_path / "personil.xlsx"), env=cli_env)
    assert done.returncode == 0, done.stdout + done.stderr
    async with engine.connect() as connection:
        stored = (await connection.execute(text(
            "SELECT user_id, name, client_id, rank, satfung, desa, whatsapp, instagram "
            "FROM personnel"))).all()
    assert [tuple(row) for row in stored] == [
        ("01055189", "ADI", "POLRES_X", "BRIPKA", "SAT BINMAS", "SUMBERJO", "6281234500003",
         "adi.ig")]
