"""The field-officer scenarios of reference/conversations_field.md §11 as replay scripts.

Each `scenarios/*.jsonl` file is a `cicero sandbox replay` file (from / now / run lines) with
checks in between, played through the same `replay()` the command uses:

- `{"expect": ["…", …], "to": PHONE?, "session": NAME?, "count": N?, "absent": ["…"]?,
  "documents": ["file.xlsx", …]?}`: the messages sent since the previous check (only those
  to PHONE / on NAME when given) contain every listed text; `count` pins how many there were,
  `absent` texts must not appear, `documents` are exactly the files among them.
  A check consumes the messages it looked at; the others wait for the next check.
  `"documents": [{"name": "…", "mimetype": "…", "sheets": […]?, "cells": {"Sheet!B3": v}?,
  "image": [width, height]?}, …]`: among those messages, a document whose file name contains
  `name`, of that MIME type; a workbook whose first sheets are `sheets` and whose cells read
  back with openpyxl hold those values; a PNG of that size in pixels.
- `{"sql": "SELECT …", "is": VALUE}`: the query's single value; without "is" the statement is
  executed (scenario-specific set-up).

The jobs a step queued (reports, account checks) run on a real worker before the step's
messages are checked; their RapidAPI calls reach the fake of conftest.py.
"""

from __future__ import annotations

import io
import json
import struct
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import text

from cicero.sandbox_bot import parse_replay, replay
from jobs.runner import execute
from jobs.schedule import by_key
from jobs.worker import close_context, open_context, run_queued_jobs
from storage.identifiers import phone_to_jid
from tests.conftest import run_cli

SCENARIOS = Path(__file__).with_name("scenarios")
_CHECKS = ("expect", "sql")


def _split(path: Path) -> list[tuple[str, Any]]:
    """The file as steps: ("replay", replay line text) and ("check", dict)."""
    steps: list[tuple[str, Any]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.lstrip().startswith("//"):
            continue
        item = json.loads(raw)
        steps.append(("check", item) if any(k in item for k in _CHECKS) else ("replay", raw))
    return steps


def _shown(message: dict[str, Any]) -> str:
    """A message's text; a document as '📎 name (MIME type)' plus its caption."""
    if "document_filename" not in message:
        return message["text"]
    return (f"📎 {message['document_filename']} ({message['document_mimetype']}) "
            f"{message['text']}").rstrip()


def _check_messages(check: dict[str, Any], sent: list[dict[str, Any]], where: str) -> None:
    to = check.get("to")
    chat = None if to is None else to if "@" in to else phone_to_jid(to)  # a group as it is
    chosen = [m for m in sent
              if (chat is None or m["to"] == chat)
              and ("session" not in check or m["session"] == check["session"])]
    sent[:] = [m for m in sent if m not in chosen]
    joined = "\n---\n".join(_shown(m) for m in chosen)
    if "count" in check:
        assert len(chosen) == check["count"], f"{where}: {len(chosen)} messages:\n{joined}"
    for expected in check["expect"]:
        assert expected in joined, f"{where}: {expected!r} not in:\n{joined}"
    for unexpected in check.get("absent", []):
        assert unexpected not in joined, f"{where}: {unexpected!r} found in:\n{joined}"
    documents = [m for m in chosen if "document_filename" in m]
    for expected in check.get("documents", []):
        _check_document(expected, documents, where)


def _first_rows(sheet: Any, rows: int = 8) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(max_row=rows, values_only=True))


def _check_document(expected: dict[str, Any], documents: list[dict[str, Any]],
                    where: str) -> None:
    names = [m["document_filename"] for m in documents]
    matching = [m for m in documents if expected["name"] in m["document_filename"]]
    assert matching, f"{where}: no document named *{expected['name']}* in {names}"
    document = matching[0]
    assert document["document_mimetype"] == expected["mimetype"], where
    content = document["document_content"]
    assert len(content) == document["document_bytes"] > 0, where
    if "sheets" in expected or "cells" in expected:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        sheets = workbook.sheetnames
        wanted = expected.get("sheets", [])
        assert sheets[:len(wanted)] == wanted, f"{where}: sheets {sheets}"
        for address, value in expected.get("cells", {}).items():
            sheet, _, cell = address.rpartition("!")
            actual = workbook[sheet][cell].value
            assert actual == value, (f"{where}: {address} is {actual!r}, not {value!r}; the "
                                     f"sheet begins {_first_rows(workbook[sheet])}")
    if "image" in expected:
        assert content[:8] == b"\x89PNG\r\n\x1a\n", f"{where}: not a PNG"
        width, height = struct.unpack(">II", content[16:24])  # the IHDR chunk
        assert [width, height] == expected["image"], f"{where}: PNG is {width}×{height}"


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.jsonl")), ids=lambda p: p.stem)
async def test_scenario(path: Path, bot, world, database_url: str, redis_url: str) -> None:
    context = await open_context(bot.service.settings, database_url, redis_url)
    sent: list[dict[str, Any]] = []

    async def run_job(key: str) -> None:
        await execute(context, by_key()[key], force=True)

    async def run_queued() -> None:
        await run_queued_jobs(bot.service.settings, database_url, redis_url)

    try:
        for number, (kind, value) in enumerate(_split(path), 1):
            where = f"{path.name} step {number}"
            if kind == "replay":
                await replay(bot, parse_replay(value, set(by_key())), run_job, sent.append,
                             run_queued)
            elif "expect" in value:
                _check_messages(value, sent, where)
            else:
                async with world.begin() as connection:
                    result = await connection.execute(text(value["sql"]))
                    if "is" in value:
                        assert result.scalar() == value["is"], where
    finally:
        await close_context(context)


async def test_replay_command_prints_every_outbound_message(world, cli_env, tmp_path) -> None:
    """The real `cicero sandbox replay` on a scenario's replay lines."""
    script = tmp_path / "t01.jsonl"
    script.write_text("\n".join(raw for kind, raw in _split(SCENARIOS / "t01_register.jsonl")
                                if kind == "replay"), encoding="utf-8")
    result = run_cli("sandbox", "replay", str(script), env=cli_env)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["session"] for line in lines] == ["user"] * len(lines)
    assert {line["to"] for line in lines} == {"6281200000001@s.whatsapp.net"}
    assert "NRP/NIP" in lines[0]["text"] and "berhasil dihubungkan" in lines[2]["text"]
    async with world.connect() as connection:
        linked = await connection.scalar(text(
            "SELECT whatsapp FROM personnel WHERE user_id = '87020990'"))
    assert linked == "6281200000001"


def test_a_malformed_replay_file_names_its_line(cli_env, tmp_path) -> None:
    script = tmp_path / "bad.jsonl"
    script.write_text('{"from": "081200000001", "text": "halo"}\n{"from": 1\n', encoding="utf-8")
    result = run_cli("sandbox", "replay", str(script), env=cli_env)
    assert result.returncode == 2
    assert "baris 2" in result.stderr and "JSON" in result.stderr
    script.write_text('{"run": "tidak-ada"}\n', encoding="utf-8")
    result = run_cli("sandbox", "replay", str(script), env=cli_env)
    assert result.returncode == 2 and "job tidak dikenal" in result.stderr
