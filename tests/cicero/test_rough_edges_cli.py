"""Issue 21: what a new operator trips over on the command line (real `cicero` processes)."""

from __future__ import annotations

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
