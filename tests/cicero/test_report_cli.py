"""`cicero report`: names, text, the JSON shape of spec/interfaces.md, Excel, clear errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl

from menus.reports import catalog
from tests.conftest import run_cli

SPEC_NAMES = {"ig-likes", "tiktok-comments", "tiktok-analytic", "directorate-ig",
              "directorate-tiktok", "simple-ig", "simple-tiktok", "report-ig", "report-tiktok",
              "laphar", "completeness", "completeness-summary", "top-bottom", "ranking",
              "kasat-ig", "kasat-tiktok", "kasatker", "amplify", "registration"}


def test_every_report_name_of_the_spec_is_registered() -> None:
    assert SPEC_NAMES <= set(catalog.load())


def test_report_text_json_and_excel_from_the_command_line(
    engine, cli_env: dict[str, str], tmp_path: Path
) -> None:
    seeded = run_cli("seed", "demo", env=cli_env)
    assert seeded.returncode == 0, seeded.stderr

    listing = run_cli("report", "--list", env=cli_env)
    assert listing.returncode == 0
    assert SPEC_NAMES <= {line.split()[0] for line in listing.stdout.splitlines() if line}

    text = run_cli("report", "ig-likes", "--client", "POLRES_LAMONGAN", env=cli_env)
    assert text.returncode == 0, text.stderr
    assert "Rekap Akumulasi Likes Instagram" in text.stdout and "POLRES LAMONGAN" in text.stdout

    raw = run_cli("report", "ig-likes", "--client", "polres_lamongan", "--json", env=cli_env)
    assert raw.returncode == 0, raw.stderr
    document = json.loads(raw.stdout)
    assert {"report", "client", "policy", "period", "posts", "people"} <= set(document)
    assert (document["report"], document["client"], document["policy"]) == \
        ("ig-likes", "POLRES_LAMONGAN", "majority")
    assert set(document["period"]) == {"start", "end"}
    assert {"platform", "id", "url", "engagers"} <= set(document["posts"][0])
    person = document["people"][0]
    assert {"user_id", "name", "rank", "satker", "satfung", "username", "engaged", "posts",
            "status"} <= set(person)
    statuses = {p["status"] for p in document["people"]}
    assert statuses <= {"done", "partial", "none", "no_username", "no_posts"}
    assert {"done", "none", "no_username"} <= statuses

    workbook = tmp_path / "rekap.xlsx"
    excel = run_cli("report", "ig-likes", "--client", "POLRES_LAMONGAN", "--period", "week",
                    "--xlsx", str(workbook), env=cli_env)
    assert excel.returncode == 0, excel.stderr
    book = openpyxl.load_workbook(io.BytesIO(workbook.read_bytes()))
    assert book.sheetnames


def test_report_errors_are_one_clear_line(engine, cli_env: dict[str, str]) -> None:
    unknown = run_cli("report", "nope", "--client", "X", env=cli_env)
    assert unknown.returncode == 2 and "tidak dikenal" in unknown.stderr
    no_client = run_cli("report", "ig-likes", "--client", "POLRES_NOWHERE", env=cli_env)
    assert no_client.returncode == 2 and "POLRES_NOWHERE" in no_client.stderr
    bad_date = run_cli("report", "ig-likes", "--client", "X", "--date", "06-12-2025",
                       env=cli_env)
    assert bad_date.returncode == 2 and "--date" in bad_date.stderr
