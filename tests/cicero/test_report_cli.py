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
              "kasat-ig", "kasat-tiktok", "kasatker", "amplify", "registration",
              "laphar-ig", "laphar-tiktok", "personnel-ranking", "kasat-attendance",
              "dashboard-registration"}


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
    bad_period = run_cli("report", "ig-likes", "--client", "X", "--period", "year",
                         env=cli_env)
    assert bad_period.returncode == 2 and "--period harus day, week, month, all" in \
        bad_period.stderr
    no_chart = run_cli("report", "ig-likes", "--client", "X", "--png", "x.png", env=cli_env)
    assert no_chart.returncode == 2 and "tidak punya bentuk grafik" in no_chart.stderr


def test_list_shows_modes_forms_and_client_types(cli_env: dict[str, str]) -> None:
    listing = run_cli("report", "--list", env=cli_env)
    assert listing.returncode == 0, listing.stderr
    lines = {line.split()[0]: line for line in listing.stdout.splitlines() if line.strip()}
    assert lines["laporan"].split() == ["laporan", "bentuk", "--mode", "klien", "keterangan"]
    assert "teks, xlsx " in lines["ig-likes"] and "all, done, not-done, per-content" in \
        lines["ig-likes"] and "direktorat, ORG, Polda" in lines["ig-likes"]
    assert "teks, xlsx, png" in lines["directorate-ig"]
    assert lines["directorate-ig"].split("  ")[-1].strip().startswith("Rekap likes")
    assert " direktorat " in lines["kasat-attendance"] and "teks " in lines["kasat-attendance"]
    assert "all, done, not-done" in lines["dashboard-registration"]
    assert "--period: day (default), week, month, all" in listing.stdout


def test_directorate_files_all_time_and_refusals_from_the_command_line(
    engine, cli_env: dict[str, str], tmp_path: Path
) -> None:
    seeded = run_cli("seed", "demo", env=cli_env)
    assert seeded.returncode == 0, seeded.stderr

    refused = run_cli("report", "directorate-ig", "--client", "POLRES_LAMONGAN", env=cli_env)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "Gagal: Laporan directorate-ig hanya untuk direktorat; POLRES LAMONGAN "
        "(POLRES_LAMONGAN) adalah satker ORG (Polres)."]
    assert refused.stdout == ""

    workbook = tmp_path / "bulanan.xlsx"
    excel = run_cli("report", "directorate-ig", "--client", "DITBINMAS", "--period", "month",
                    "--xlsx", str(workbook), env=cli_env)
    assert excel.returncode == 0, excel.stderr
    book = openpyxl.load_workbook(io.BytesIO(workbook.read_bytes()))
    # One sheet per satker: the directorate first, then the Polres by completion.
    assert book.sheetnames[0] == "DIREKTORAT BINMAS"
    assert sorted(book.sheetnames[1:]) == ["POLRES BOJONEGORO", "POLRES LAMONGAN",
                                           "POLRES NGAWI"]
    assert book["POLRES NGAWI"]["A1"].value == "POLRES NGAWI – Rekap Engagement Instagram"

    chart = tmp_path / "ranking.png"
    png = run_cli("report", "ranking", "--client", "DITBINMAS", "--period", "week",
                  "--png", str(chart), env=cli_env)
    assert png.returncode == 0, png.stderr
    assert f"Grafik tersimpan: {chart}" in png.stdout.replace("\n", "")
    assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    ranking = run_cli("report", "personnel-ranking", "--client", "DITBINMAS", "--period",
                      "all", env=cli_env)
    assert ranking.returncode == 0, ranking.stderr
    assert "Top Ranking Like & Komentar Personel" in ranking.stdout
    assert "Periode: semua (" in ranking.stdout

    laphar = run_cli("report", "laphar-ig", "--client", "DITBINMAS", "--out", str(tmp_path),
                     env=cli_env)
    assert laphar.returncode == 0, laphar.stderr
    attached = sorted(path.name for path in tmp_path.iterdir() if "Engagement" in path.name)
    assert [name.split("_")[:3] for name in attached] == [
        ["Absensi", "All", "Engagement"], ["Absensi", "Belum", "Engagement"],
        ["Rekap", "Engagement", "Instagram"]]
