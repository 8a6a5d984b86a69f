"""`cicero sandbox replay` runs the jobs a step queued, so its output shows what they send
(a workbook a console prepared, an account check's answer)."""

from __future__ import annotations

import json

from tests.conftest import run_cli
from tests.conversations.conftest import DIRECTORATE_USER


def test_a_replayed_console_request_prints_the_workbook_its_job_sent(world, cli_env,
                                                                     tmp_path) -> None:
    script = tmp_path / "excel.jsonl"
    script.write_text("\n".join(json.dumps(line) for line in (
        {"now": "2025-12-06T10:00:00+07:00"},
        {"from": DIRECTORATE_USER, "session": "operator", "text": "dirrequest"},
        {"from": DIRECTORATE_USER, "session": "operator", "text": "4"},
    )), encoding="utf-8")
    result = run_cli("sandbox", "replay", str(script), env=cli_env)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert "Sedang disiapkan" in lines[1]["text"]
    [document] = [line["document"] for line in lines if "document" in line]
    assert document["filename"].endswith(".xlsx") and document["bytes"] > 0
