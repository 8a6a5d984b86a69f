"""Every registered report, for every period a menu can ask (day, week, month, all time), in
every form it has (text, JSON, Excel, chart); and the client types each one accepts."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from cicero.clock import clock
from menus.charts import PNG_MIMETYPE
from menus.excel.sheets import XLSX_MIMETYPE
from menus.format import WHATSAPP_TEXT_LIMIT
from menus.reports import catalog
from menus.reports.base import DIRECTORATE_ONLY, ClientNotAccepted, ReportRequest, ReportSpec
from storage.models import ClientType
from storage.report_periods import all_time_period
from tests.conftest import DEMO_DAY, DEMO_NOW

DIRECTORATE, ORG, POLDA = "DITBINMAS", "POLRES_LAMONGAN", "POLDA_JATIM"
# The directorate-only reports: a Polres gets a refusal, never an empty "0 pers" recap.
DIRECTORATE_REPORTS = {
    "directorate-ig", "directorate-tiktok", "simple-ig", "simple-tiktok", "report-ig",
    "report-tiktok", "laphar", "laphar-ig", "laphar-tiktok", "ranking", "kasat-ig",
    "kasat-tiktok", "kasatker", "kasat-attendance", "dashboard-registration"}


def _client(spec: ReportSpec) -> str:
    return DIRECTORATE if spec.accepts(ClientType.DIRECTORATE) and spec.name not in {
        "ig-likes", "tiktok-comments", "tiktok-analytic", "amplify", "registration"} else ORG


async def _request(engine, spec: ReportSpec, period: str) -> ReportRequest:
    client = _client(spec)
    if period == "all":
        return ReportRequest(client, await all_time_period(engine, client, DEMO_DAY), DEMO_NOW,
                             all_time=True)
    span = {"day": clock.day, "week": clock.week, "month": clock.month}[period](DEMO_DAY)
    return ReportRequest(client, span, DEMO_NOW)


@pytest.mark.parametrize("period", ["day", "week", "month", "all"])
@pytest.mark.parametrize("name", sorted(catalog.load()))
async def test_every_report_in_every_period_and_form(demo_engine, name: str,
                                                     period: str) -> None:
    spec = catalog.load()[name]
    request = await _request(demo_engine, spec, period)
    with clock.frozen(DEMO_NOW):
        data = await spec.build(demo_engine, request)
        rendered = spec.render(data, request)
        assert rendered.messages and all(len(m) <= WHATSAPP_TEXT_LIMIT
                                         for m in rendered.messages)
        if request.all_time and "Periode" in rendered.text:
            assert "semua (29 November 2025 - 06 Desember 2025)" in rendered.text
        json.dumps(spec.to_json(data, request))
        if spec.workbook:
            file = spec.workbook(data, request)
            assert file.mimetype == XLSX_MIMETYPE
            assert openpyxl.load_workbook(io.BytesIO(file.content), read_only=True).sheetnames
        if spec.chart and period != "all":
            file = spec.chart(data, request)
            assert file.mimetype == PNG_MIMETYPE and file.content.startswith(b"\x89PNG")


def test_the_directorate_only_reports_say_so() -> None:
    reports = catalog.load()
    assert {name for name, spec in reports.items()
            if spec.client_types == DIRECTORATE_ONLY} == DIRECTORATE_REPORTS


@pytest.mark.parametrize("name", sorted(DIRECTORATE_REPORTS))
async def test_a_directorate_report_refuses_a_polres_and_the_polda(demo_engine,
                                                                   name: str) -> None:
    spec = catalog.load()[name]
    for client_id, words in ((ORG, "satker ORG (Polres)"), (POLDA, "Polda")):
        request = ReportRequest(client_id, clock.day(DEMO_DAY), DEMO_NOW)
        with pytest.raises(ClientNotAccepted) as refused:
            await spec.build(demo_engine, request)
        assert refused.value.report == name
        assert refused.value.client.client_id == client_id
        assert refused.value.message.startswith(f"Laporan {name} hanya untuk direktorat; ")
        assert refused.value.message.endswith(f"adalah {words}.")


async def test_the_refusal_names_the_client(demo_engine) -> None:
    spec = catalog.load()["directorate-ig"]
    with pytest.raises(ClientNotAccepted) as refused:
        await spec.build(demo_engine, ReportRequest("polres_lamongan", clock.day(DEMO_DAY),
                                                    DEMO_NOW))
    assert str(refused.value) == refused.value.message == (
        "Laporan directorate-ig hanya untuk direktorat; POLRES LAMONGAN (POLRES_LAMONGAN) "
        "adalah satker ORG (Polres).")
