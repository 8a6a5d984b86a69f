"""Issue 21: what a new operator trips over on the command line (real `cicero` processes)."""

from __future__ import annotations

import socket
from pathlib import Path

from tests.conftest import run_cli


def test_report_to_a_missing_folder_and_piped_text(
    engine, cli_env: dict[str, str], tmp_path: Path
) -> None:
    seeded = run_cli("seed", "demo", env=cli_env)
    assert seeded.returncode == 0, seeded.stderr

    missing = tmp_path / "tidak-ada" / "a.xlsx"
    excel = run_cli("report", "ig-likes", "--client", "POLRES_LAMONGAN", "--xlsx",
                    str(missing), env=cli_env)
    assert excel.returncode == 2
    assert excel.stderr.strip().splitlines() == [
        f"Gagal: --xlsx: folder {missing.parent} tidak ada."]
    assert "Traceback" not in excel.stderr

    # Piped into another program, a report keeps its own lines whatever the width.
    narrow = {k: v for k, v in cli_env.items() if k != "COLUMNS"}
    text = run_cli("report", "kasatker", "--client", "DITBINMAS", env=narrow)
    assert text.returncode == 0, text.stderr
    longest = max(text.stdout.splitlines(), key=len)
    assert len(longest) > 80 and longest.rstrip() == longest


def test_up_on_a_busy_port_says_so_before_starting(cli_env: dict[str, str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for command in ("up", "web"):
            result = run_cli(command, "--port", str(port), env=cli_env, timeout=30)
            assert result.returncode == 2
            assert "berjalan" not in result.stdout
            assert result.stderr.strip().splitlines() == [
                f"Gagal: port {port} di 127.0.0.1 sudah dipakai proses lain; hentikan proses "
                "itu atau pilih --port lain."]


def test_a_command_in_another_folder_names_the_empty_home_it_used(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    elsewhere = tmp_path / "lain"
    elsewhere.mkdir()
    env = {k: v for k, v in cli_env.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "CICERO_HOME")}
    listed = run_cli("account", "list", env=env, cwd=elsewhere)
    assert listed.returncode == 2
    home = elsewhere.resolve() / ".cicero"
    assert listed.stderr.strip().splitlines() == [
        f"Gagal: CICERO_HOME {home} kosong: folder data ini baru dibuat, belum ada database. "
        "Jalankan perintah dari folder tempat `cicero up` biasa dijalankan atau set "
        "CICERO_HOME ke folder datanya; untuk memulai database baru di sini: cicero db upgrade"]

    # Once it holds a database, an unmigrated state still names the home it is about.
    downgraded = run_cli("db", "upgrade", "0001", env=env, cwd=elsewhere)
    assert downgraded.returncode == 0, downgraded.stderr
    behind = run_cli("account", "list", env={**env, "CICERO_HOME": ".cicero"}, cwd=elsewhere)
    assert behind.returncode == 2
    assert behind.stderr.strip().endswith(f"Jalankan: cicero db upgrade (CICERO_HOME: {home})")


def test_usage_and_setting_errors_are_indonesian(cli_env: dict[str, str], tmp_path: Path) -> None:
    cases = {
        ("report", "--bogus"): ["Gagal: opsi tidak dikenal: --bogus (mungkin: --out)",
                                "Lihat: cicero report --help"],
        ("import", "personnel", str(tmp_path / "x.csv")): [
            f"Gagal: nilai 'file' tidak valid: file '{tmp_path / 'x.csv'}' tidak ada.",
            "Lihat: cicero import personnel --help"],
        ("web", "--port", "abc"): ["Gagal: nilai '--port' tidak valid: harus bilangan bulat.",
                                   "Lihat: cicero web --help"],
        ("web", "--workers", "0"): ["Gagal: nilai '--workers' tidak valid: minimal 1.",
                                    "Lihat: cicero web --help"],
        ("account", "create"): ["Gagal: 'username' wajib diisi.",
                                "Lihat: cicero account create --help"],
        ("nope",): ["Gagal: perintah tidak dikenal: 'nope'.", "Lihat: cicero --help"],
    }
    for args, expected in cases.items():
        result = run_cli(*args, env=cli_env)
        assert result.returncode == 2, args
        assert result.stderr.strip().splitlines() == expected, result.stderr

    for name, value, reason in (
            ("WEB_PORT", "x", "harus bilangan bulat"),
            ("WA_TRANSPORT", "baileys", "pilih salah satu: neonize atau sandbox"),
            ("CONVERSATION_IDLE_SECONDS", "5", "minimal 30")):
        result = run_cli("jobs", "list", env={**cli_env, name: value})
        assert result.returncode == 2
        assert result.stderr.strip() == f"Gagal: Konfigurasi {name} tidak valid: {reason}"

    helped = run_cli("import", "--help", env=cli_env)
    assert helped.returncode == 0
    assert "Perintah" in helped.stdout and "Commands" not in helped.stdout
