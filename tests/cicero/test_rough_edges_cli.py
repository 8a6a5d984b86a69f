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
