"""Every report rendered on the demo data equals its reviewed golden file.

Regenerate after a deliberate change with `UPDATE_GOLDEN=1 pytest tests/menus/test_golden.py`
and review the diff like code.
"""

from __future__ import annotations

import io
import os
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest

from cicero.clock import clock
from menus.excel.sheets import XLSX_MIMETYPE
from menus.format import WHATSAPP_TEXT_LIMIT
from menus.reports import catalog
from menus.reports.base import ReportRequest, ReportSpec
from storage.report_periods import all_time_period
from tests.conftest import DEMO_DAY, DEMO_NOW

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
CLIENTS = {"org": "POLRES_LAMONGAN", "directorate": "DITBINMAS"}


def _cases() -> list[tuple[str, str]]:
    return [(name, mode) for name, spec in sorted(catalog.load().items()) for mode in spec.modes]


def _client_for(spec: ReportSpec) -> str:
    return CLIENTS["org"] if spec.name in ORG_REPORTS else CLIENTS["directorate"]


ORG_REPORTS = {"ig-likes", "tiktok-comments", "tiktok-analytic", "amplify", "registration",
               "khusus-link-recap", "khusus-link-recap-post", "link-recap", "link-recap-post"}


def _request(spec: ReportSpec, mode: str, period: str = "day") -> ReportRequest:
    span = {"day": clock.day, "week": clock.week, "month": clock.month}[period](DEMO_DAY)
    return ReportRequest(_client_for(spec), span, DEMO_NOW, mode)


def _as_text(rendered) -> str:
    """Messages and text files verbatim; a workbook by its sheet names."""
    parts = [f"--- message {n + 1} ---\n{message}" for n, message in enumerate(rendered.messages)]
    for attachment in rendered.files:
        if attachment.mimetype == XLSX_MIMETYPE:
            book = openpyxl.load_workbook(io.BytesIO(attachment.content), read_only=True)
            parts.append(f"--- workbook {attachment.filename} ---\n"
                         f"sheets: {', '.join(book.sheetnames)}")
        else:
            parts.append(f"--- file {attachment.filename} ---\n{attachment.content.decode()}")
    return "\n".join(parts) + "\n"


@pytest.mark.parametrize(("name", "mode"), _cases())
async def test_report_matches_golden(demo_engine, name: str, mode: str) -> None:
    spec = catalog.load()[name]
    request = _request(spec, mode)
    golden = GOLDEN / (f"{name}.txt" if mode == "all" else f"{name}.{mode}.txt")
    await _check_golden(demo_engine, spec, request, golden)


# The reports dirrequest asks for "semua" (all time): 30 (kasatker), 31, 32 (and 22's Excel).
ALL_TIME_REPORTS = ("personnel-ranking", "ranking", "kasatker")


@pytest.mark.parametrize("name", ALL_TIME_REPORTS)
async def test_all_time_report_matches_golden(demo_engine, name: str) -> None:
    spec = catalog.load()[name]
    period = await all_time_period(demo_engine, CLIENTS["directorate"], DEMO_DAY)
    request = ReportRequest(CLIENTS["directorate"], period, DEMO_NOW, all_time=True)
    await _check_golden(demo_engine, spec, request, GOLDEN / f"{name}.semua.txt")


async def _check_golden(demo_engine, spec: ReportSpec, request: ReportRequest,
                        golden: Path) -> None:
    with clock.frozen(DEMO_NOW):
        rendered = spec.render(await spec.build(demo_engine, request), request)
    assert rendered.messages, "a report always says something"
    assert all(len(message) <= WHATSAPP_TEXT_LIMIT for message in rendered.messages)
    _compare(golden, _as_text(rendered))


def _compare(golden: Path, actual: str) -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(actual)
    assert golden.exists(), f"no golden file {golden.name}: run with UPDATE_GOLDEN=1 and review"
    assert actual == golden.read_text()


@pytest.mark.parametrize("period", ["day", "week", "month"])
async def test_a_person_has_one_status_per_policy_platform_and_period(demo_engine,
                                                                      period: str) -> None:
    """Walk every report's structured result: the same person, policy, platform, posts
    (whose) and period never get two different statuses."""
    seen: dict[tuple[str, str, str, str], dict[str, tuple[str, str]]] = defaultdict(dict)
    compared = 0
    for name, spec in sorted(catalog.load().items()):
        request = _request(spec, "all", period)
        with clock.frozen(DEMO_NOW):
            document = spec.to_json(await spec.build(demo_engine, request), request)
        for entry in _people_sections(document):
            key = (entry["policy"], entry["platform"], entry.get("posts_of", ""), period)
            for person in entry["people"]:
                earlier = seen[key].get(person["user_id"])
                if earlier:
                    compared += 1
                    assert earlier[0] == person["status"], (
                        f"{person['user_id']} is {earlier[0]} in {earlier[1]} "
                        f"but {person['status']} in {name} ({key})")
                else:
                    seen[key][person["user_id"]] = (person["status"], name)
    assert compared > 0, "no two reports shared a person: the check checked nothing"


def _people_sections(document: dict) -> list[dict]:
    """Top-level people, or per-platform sections of combined reports."""
    sections = []
    if "people" in document:
        sections.append(document)
    for section in document.get("sections", []):
        if "people" in section:
            sections.append(section)
    return sections
