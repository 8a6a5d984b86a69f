"""Bulk import of clients and personnel from CSV / XLSX (storage/importing.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import transaction
from storage.importing import (
    ImportFileError,
    ImportSummary,
    RejectedRow,
    import_clients,
    import_personnel,
    read_rows,
)
from storage.models import Client, ClientContact, DirectorateMembership, Personnel, PersonnelChange
from tests.conftest import run_cli
from tests.storage.import_files import (
    CLIENT_HEADER,
    CLIENT_ROWS,
    PERSON_HEADER,
    person,
    scalar,
    setup_clients,
    write_csv,
    write_xlsx,
)

TAKEN_NRP = "11110000"


def acceptance_rows() -> tuple[list[list[object]], dict[int, str]]:
    """1,000 data rows (lines 2..1001); exactly five are bad: line -> expected reason part."""
    rows = [person(i) for i in range(1000)]
    rows[99][6] = "0812abc"                      # line 101
    rows[200][5] = "POLRES_X"                    # line 202
    rows[301][7] = "https://instagram.com/Taken.User/"  # line 303
    rows[402][0] = ""                            # line 404
    rows[503][0] = rows[0][0]                    # line 505: same NRP as line 2
    return rows, {
        101: 'nomor WhatsApp tidak valid: "0812abc"',
        202: 'satker tidak dikenal: "POLRES_X"',
        303: f'username Instagram "taken.user" sudah dipakai NRP {TAKEN_NRP}',
        404: "NRP/NIP kosong",
        505: "NRP/NIP ganda dalam file (lihat baris 2)",
    }


async def insert_taken_person(engine: AsyncEngine) -> None:
    async with transaction(engine) as session:
        session.add(Personnel(user_id=TAKEN_NRP, name="PEMILIK", client_id="POLRES_A",
                              instagram="taken.user"))


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
async def test_thousand_rows_with_five_bad_ones_then_reimport(
        engine: AsyncEngine, tmp_path: Path, kind: str) -> None:
    await setup_clients(engine, tmp_path)
    await insert_taken_person(engine)
    rows, expected = acceptance_rows()
    if kind == "csv":
        path = write_csv(tmp_path / "personnel.csv", PERSON_HEADER, rows)
    else:  # numbers as spreadsheet floats: 87000001.0 must read as "87000001"
        rows = [[float(row[0]) if row[0] else None, *row[1:]] for row in rows]
        path = write_xlsx(tmp_path / "personnel.xlsx", PERSON_HEADER, rows)
    calls: list[tuple[int, int]] = []

    started = time.perf_counter()
    summary = await import_personnel(engine, path, progress=lambda d, t: calls.append((d, t)))
    elapsed = time.perf_counter() - started
    print(f"{kind}: 1,000-row import took {elapsed:.2f}s")

    assert [r.line for r in summary.rejected] == sorted(expected)
    for rejected in summary.rejected:
        assert expected[rejected.line] in rejected.reason
    assert (summary.created, summary.updated, summary.unchanged) == (995, 0, 0)
    assert await scalar(engine, select(func.count()).select_from(Personnel)) == 995 + 1
    assert calls[-1] == (1000, 1000)
    memberships = await scalar(engine, select(func.count()).select_from(DirectorateMembership))
    assert memberships == 99  # every tenth row, but line 202 was rejected
    stored = await scalar(engine, select(Personnel).where(Personnel.user_id == "87000003"))
    assert isinstance(stored, Personnel)
    assert (stored.name, stored.rank, stored.satfung, stored.client_id, stored.whatsapp,
            stored.instagram, stored.tiktok, stored.email, stored.status, stored.exception) == (
        "PERSONIL 3", "BRIPDA", "SAT BINMAS", "POLRES_A", "6281234000003", "user.3", "tt_3",
        "p3@polri.go.id", True, False)
    assert elapsed < 10

    again = await import_personnel(engine, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 995)
    assert again.rejected == summary.rejected
    assert await scalar(engine, select(func.count()).select_from(PersonnelChange)) == 995


async def test_read_rows_aliases_case_bom_semicolon_and_blank_rows(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("\ufeffNRP ; Nama;TITLE;Divisi;SATKER;Insta;Catatan\n"
                    "87020990;Budi;Bripda;Sat Binmas;polres_a;@budi;x\n"
                    ";;;;;;\n\n"
                    '87020991;"Ani; S";;;POLRES_A;;\n', encoding="utf-8")
    assert read_rows(path) == [
        (2, {"user_id": "87020990", "nama": "Budi", "pangkat": "Bripda", "satfung": "Sat Binmas",
             "client_id": "polres_a", "instagram": "@budi", "catatan": "x"}),
        (5, {"user_id": "87020991", "nama": "Ani; S", "pangkat": "", "satfung": "",
             "client_id": "POLRES_A", "instagram": "", "catatan": ""}),
    ]


async def test_read_rows_xlsx_sheet_row_numbers_and_numbers(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", ["User_ID", "nama", "whatsapp", "status"],
                      [[87020990.0, "Budi", 6281234567890, True], [None, None, None, None],
                       [87020991, " Ani ", 81234567890.0, 0]])
    assert read_rows(path) == [
        (2, {"user_id": "87020990", "nama": "Budi", "whatsapp": "6281234567890",
             "status": "true"}),
        (4, {"user_id": "87020991", "nama": "Ani", "whatsapp": "81234567890", "status": "0"}),
    ]


async def test_semicolon_csv_with_aliases_imports(engine: AsyncEngine, tmp_path: Path) -> None:
    await setup_clients(engine, tmp_path)
    path = write_csv(tmp_path / "p.csv", ["NIP", "NAMA", "Title", "DIVISI", "Satker", "INSTA"],
                     [["198001012005011001", "Siti", "penata", "bag sdm", "polres_b", "Siti.A"]],
                     delimiter=";", encoding="utf-8-sig")
    summary = await import_personnel(engine, path)
    assert (summary.created, summary.rejected) == (1, [])
    stored = await scalar(engine, select(Personnel))
    assert isinstance(stored, Personnel)
    assert (stored.user_id, stored.rank, stored.satfung, stored.client_id, stored.instagram) == (
        "198001012005011001", "PENATA", "BAG SDM", "POLRES_B", "siti.a")


async def test_several_problems_in_one_row_are_joined(engine: AsyncEngine, tmp_path: Path) -> None:
    await setup_clients(engine, tmp_path)
    path = write_csv(tmp_path / "p.csv", ["user_id", "nama", "client_id", "email", "status"],
                     [["abc", "", "POLRES_A", "bukan-email", "mungkin"]])
    summary = await import_personnel(engine, path)
    assert summary.rejected == [RejectedRow(2, "abc", "; ".join([
        'NRP/NIP tidak valid: "abc"', "nama kosong", 'email tidak valid: "bukan-email"',
        'status tidak valid: "mungkin" (pakai aktif/nonaktif)']))]


async def test_update_writes_person_change_and_absent_columns_are_kept(
        engine: AsyncEngine, tmp_path: Path) -> None:
    await setup_clients(engine, tmp_path)
    first = write_csv(tmp_path / "a.csv", PERSON_HEADER, [person(1), person(2)])
    assert (await import_personnel(engine, first)).created == 2
    changed = write_csv(tmp_path / "b.csv", ["nrp", "nama", "pangkat"],
                        [["87000001", "Personil 1", "BRIPTU"], ["87000002", "personil 2", ""]])
    summary = await import_personnel(engine, changed)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    async with transaction(engine) as session:
        changes = (await session.execute(
            select(PersonnelChange).where(PersonnelChange.field != "created"))).scalars().all()
        kept = await session.get(Personnel, "87000002")
    assert [(c.user_id, c.field, c.old_value, c.new_value, c.changed_by) for c in changes] == [
        ("87000001", "rank", "BRIPDA", "BRIPTU", "import")]
    assert kept is not None and (kept.rank, kept.instagram) == ("BRIPDA", "user.2")


async def test_directorates_column_replaces_memberships(
        engine: AsyncEngine, tmp_path: Path) -> None:
    await setup_clients(engine, tmp_path)
    async with transaction(engine) as session:
        session.add(Client(client_id="DITLANTAS", name="DIREKTORAT LANTAS", type="directorate"))
    header = ["user_id", "nama", "client_id", "directorates"]

    async def members() -> set[str]:
        async with transaction(engine) as session:
            result = await session.execute(select(DirectorateMembership.directorate_id)
                                           .where(DirectorateMembership.user_id == "87000001"))
            return set(result.scalars())

    await import_personnel(engine, write_csv(tmp_path / "a.csv", header,
                                             [["87000001", "A", "POLRES_A", "ditbinmas"]]))
    assert await members() == {"DITBINMAS"}
    summary = await import_personnel(engine, write_csv(
        tmp_path / "b.csv", header, [["87000001", "A", "POLRES_A", "DITLANTAS, DITBINMAS"]]))
    assert summary.updated == 1 and await members() == {"DITBINMAS", "DITLANTAS"}
    summary = await import_personnel(engine, write_csv(
        tmp_path / "c.csv", header, [["87000001", "A", "POLRES_A", "DITLANTAS"],
                                     ["87000002", "B", "POLRES_A", "POLRES_B"]]))
    assert summary.updated == 1 and await members() == {"DITLANTAS"}
    assert summary.rejected == [RejectedRow(3, "87000002", 'satker "POLRES_B" bukan direktorat')]
    change = await scalar(engine, select(PersonnelChange).where(
        PersonnelChange.field == "directorates").order_by(PersonnelChange.id.desc()).limit(1))
    assert isinstance(change, PersonnelChange)
    assert (change.old_value, change.new_value) == ("DITBINMAS,DITLANTAS", "DITLANTAS")
    summary = await import_personnel(engine, write_csv(
        tmp_path / "d.csv", header, [["87000001", "A", "POLRES_A", ""]]))
    assert summary.updated == 1 and await members() == set()


async def test_username_claimed_by_earlier_row_and_released_by_owner(
        engine: AsyncEngine, tmp_path: Path) -> None:
    await setup_clients(engine, tmp_path)
    await insert_taken_person(engine)
    header = ["user_id", "nama", "client_id", "instagram"]
    summary = await import_personnel(engine, write_csv(tmp_path / "p.csv", header, [
        ["87000001", "A", "POLRES_A", "budi"],
        ["87000002", "B", "POLRES_A", "@Budi"],
        [TAKEN_NRP, "PEMILIK", "POLRES_A", "pemilik.baru"],  # releases taken.user ...
        ["87000003", "C", "POLRES_A", "taken.user"],          # ... which C may then take
    ]))
    assert summary.rejected == [RejectedRow(
        3, "87000002", 'username Instagram "budi" sudah dipakai NRP 87000001 (baris 2)')]
    assert (summary.created, summary.updated) == (2, 1)
    owner = await scalar(engine, select(Personnel.user_id).where(
        Personnel.instagram == "taken.user"))
    assert owner == "87000003"


async def test_database_error_rejects_only_that_row(
        engine: AsyncEngine, tmp_path: Path) -> None:
    """A row PostgreSQL refuses (here a trigger; in life a value taken meanwhile) is rejected
    with the database's reason; the rest of its batch is written."""
    await setup_clients(engine, tmp_path)
    async with engine.begin() as connection:
        await connection.execute(text("""
            CREATE FUNCTION refuse_87000002() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.user_id = '87000002' THEN
                    RAISE EXCEPTION 'baris ini ditolak pemicu uji';
                END IF;
                RETURN NEW;
            END $$"""))
        await connection.execute(text(
            "CREATE TRIGGER refuse_87000002 BEFORE INSERT ON personnel FOR EACH ROW "
            "EXECUTE FUNCTION refuse_87000002()"))
    try:
        path = write_csv(tmp_path / "p.csv", PERSON_HEADER, [person(1), person(2), person(3)])
        summary = await import_personnel(engine, path)
    finally:
        async with engine.begin() as connection:
            await connection.execute(text("DROP TRIGGER refuse_87000002 ON personnel"))
            await connection.execute(text("DROP FUNCTION refuse_87000002()"))
    assert summary.created == 2
    assert summary.rejected == [
        RejectedRow(3, "87000002", "gagal disimpan: baris ini ditolak pemicu uji")]
    ids = await scalar(engine, select(func.array_agg(Personnel.user_id)))
    assert sorted(ids) == ["87000001", "87000003"]  # type: ignore[arg-type]
    changes = await scalar(engine, select(func.count()).select_from(PersonnelChange))
    assert changes == 2


async def test_clients_parent_later_in_file_and_multiple_operators(
        engine: AsyncEngine, tmp_path: Path) -> None:
    header = ["Client_ID", "NAMA", "TYPE", "parent_id", "instagram", "operator_whatsapp",
              "super_whatsapp", "group_jid", "amplify_status"]
    rows = [
        ["POLRES_A", "Polres A", "org", "polda_x", "https://www.instagram.com/PolresA/",
         "0812-3456-7001, 0812 3456 7002;\n+62 812 3456 7003", "081234567099",
         "120363012345678901@g.us", "nonaktif"],
        ["POLDA_X", "Polda X", "Polda", "", "", "", "", "", ""],
    ]
    summary = await import_clients(engine, write_csv(tmp_path / "c.csv", header, rows))
    assert (summary.created, summary.rejected) == (2, [])
    async with transaction(engine) as session:
        client = await session.get(Client, "POLRES_A")
        contacts = (await session.execute(select(ClientContact.kind, ClientContact.value)
                                          .order_by(ClientContact.kind, ClientContact.value))).all()
    assert client is not None
    assert (client.parent_id, client.type, client.instagram, client.amplify_status,
            client.status) == ("POLDA_X", "org", "polresa", False, True)
    assert [tuple(c) for c in contacts] == [
        ("group", "120363012345678901@g.us"), ("operator", "6281234567001"),
        ("operator", "6281234567002"), ("operator", "6281234567003"),
        ("super_admin", "6281234567099")]

    again = await import_clients(engine, write_csv(tmp_path / "c.csv", header, rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    rows[0][5] = "081234567002"
    replaced = await import_clients(engine, write_csv(tmp_path / "c2.csv", header, rows))
    assert (replaced.updated, replaced.unchanged) == (1, 1)
    operators = await scalar(engine, select(func.array_agg(ClientContact.value)).where(
        ClientContact.kind == "operator"))
    assert operators == ["6281234567002"]


async def test_clients_bad_rows_are_rejected_with_reasons(
        engine: AsyncEngine, tmp_path: Path) -> None:
    header = ["client_id", "nama", "type", "parent_id", "group_jid"]
    summary = await import_clients(engine, write_csv(tmp_path / "c.csv", header, [
        ["POLRES_A", "Polres A", "org", "", "https://chat.whatsapp.com/AbCdEf"],
        ["POLRES_B", "Polres B", "kantor", "", ""],
        ["POLRES_C", "Polres C", "", "POLRES_B", ""],
        ["POLRES_D", "Polres D", "", "POLRES_E", ""],
        ["POLRES_E", "Polres E", "", "POLRES_D", ""],
        ["POLRES_F", "Polres F", "", "", "120363012345678901@g.us"],
        ["polres_f", "Polres F lagi", "", "", ""],
    ]))
    assert summary.created == 1
    assert summary.rejected == [
        RejectedRow(2, "POLRES_A", 'ID grup WhatsApp tidak valid: '
                                   '"https://chat.whatsapp.com/AbCdEf"'),
        RejectedRow(3, "POLRES_B",
                    'type tidak valid: "kantor" (pilih org, directorate atau polda)'),
        RejectedRow(4, "POLRES_C", 'parent_id tidak dikenal: "POLRES_B" (baris 3 ditolak)'),
        RejectedRow(5, "POLRES_D", 'parent_id "POLRES_E" membentuk siklus'),
        RejectedRow(6, "POLRES_E", 'parent_id "POLRES_D" membentuk siklus'),
        RejectedRow(8, "POLRES_F", "client_id ganda dalam file (lihat baris 7)"),
    ]


async def test_file_level_errors(engine: AsyncEngine, tmp_path: Path) -> None:
    missing = write_csv(tmp_path / "p.csv", ["nama", "satker"], [["Budi", "POLRES_A"]])
    with pytest.raises(ImportFileError, match=r"Kolom wajib tidak ada: user_id \(atau nrp"):
        await import_personnel(engine, missing)
    clients = write_csv(tmp_path / "c.csv", ["client_id"], [["POLRES_A"]])
    with pytest.raises(ImportFileError, match="Kolom wajib tidak ada: nama"):
        await import_clients(engine, clients)
    other = tmp_path / "p.xls"
    other.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ImportFileError, match=r"\.xls tidak didukung"):
        read_rows(other)
    broken = tmp_path / "p.xlsx"
    broken.write_text("bukan excel")
    with pytest.raises(ImportFileError, match="bukan file Excel"):
        read_rows(broken)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("user_id,nama\n1,Jos\xe9\n".encode("latin-1"))
    with pytest.raises(ImportFileError, match="UTF-8"):
        read_rows(latin)
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n")
    with pytest.raises(ImportFileError, match="kosong"):
        read_rows(empty)
    assert await import_personnel(engine, write_csv(tmp_path / "h.csv", ["nrp", "nama"], [])) \
        == ImportSummary()


async def test_cli_import_prints_rejected_lines(
        engine: AsyncEngine, cli_env: dict[str, str], tmp_path: Path) -> None:
    clients = write_csv(tmp_path / "clients.csv", CLIENT_HEADER, CLIENT_ROWS)
    done = run_cli("import", "clients", str(clients), env=cli_env)
    assert done.returncode == 0, done.stderr + done.stdout
    rows = [person(i) for i in range(20)]
    rows[4][6] = "0812abc"       # line 6
    rows[14][5] = "POLRES_X"     # line 16
    path = write_csv(tmp_path / "personnel.csv", PERSON_HEADER, rows)
    done = run_cli("import", "personnel", str(path), env=cli_env)  # rows refused: exit 1
    assert done.returncode == 1, done.stderr + done.stdout
    lines = [line for line in done.stdout.splitlines() if "tidak valid" in line
             or "tidak dikenal" in line]
    assert len(lines) == 2
    assert "6" in lines[0].split() and "0812abc" in lines[0]
    assert "16" in lines[1].split() and "POLRES_X" in lines[1]
    assert await scalar(engine, select(func.count()).select_from(Personnel)) == 18
    bad = run_cli("import", "personnel", str(clients), env=cli_env)
    assert bad.returncode == 2 and "Kolom wajib tidak ada" in bad.stdout + bad.stderr
