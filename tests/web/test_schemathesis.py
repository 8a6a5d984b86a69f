"""Schemathesis against the live app's own /openapi.json: for every documented operation,
generated requests (valid and invalid) sent with an admin token over a small organisation
never get a server error (`not_a_server_error`). Generic on purpose: it covers whatever routes
the app has. Bounded: a few examples per operation, derandomized, no deadline; failures are
collected (with a curl command to reproduce), not shrunk."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from sqlalchemy import text

from storage.models import DashboardRole
from tests.web.conftest import bearer, dashboard_user, token_for

EXAMPLES_PER_OPERATION = 6
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)

ORGANISATION_SQL = (
    "INSERT INTO clients (client_id, name, type, instagram, tiktok) VALUES "
    "('DITBINMAS', 'DIREKTORAT BINMAS', 'directorate', 'ditbinmas_x', 'ditbinmas_tt'), "
    "('POLRES_A', 'POLRES A', 'org', 'polres_a', 'polres_a_tt'), "
    "('POLRES_B', 'POLRES B', 'org', NULL, NULL)",
    "INSERT INTO personnel (user_id, name, rank, satfung, jabatan, client_id, whatsapp, "
    "email, instagram, tiktok, status) VALUES "
    "('1001', 'AGUS', 'BRIPDA', 'SAT BINMAS', 'BA', 'POLRES_A', '6281200000001', "
    "'agus@example.com', 'agus.a', 'agus_tt', true), "
    "('2001', 'BUDI', 'BRIPKA', 'SAT LANTAS', 'BA', 'POLRES_B', NULL, NULL, NULL, NULL, true)",
    "INSERT INTO directorate_memberships (directorate_id, user_id) VALUES "
    "('DITBINMAS', '1001')",
)


@pytest.fixture
async def organisation(engine) -> str:
    """The fixture's data; returns an admin token."""
    async with engine.begin() as connection:
        for statement in ORGANISATION_SQL:
            await connection.execute(text(statement))
    admin = await dashboard_user(engine, "admin1", DashboardRole.ADMIN, [])
    return token_for(admin, "admin1", DashboardRole.ADMIN, [])


def _exercise(operation: schemathesis.APIOperation, mode: GenerationMode, base_url: str,
              session: requests.Session, headers: dict[str, str]) -> list[str]:
    """Send generated requests of one operation; the server errors found."""
    failures: list[str] = []

    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
              database=None, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: schemathesis.Case) -> None:
        response = case.call(base_url=base_url, session=session, headers=headers, timeout=30)
        try:
            case.validate_response(response, checks=[not_a_server_error])
        except (AssertionError, FailureGroup):  # recorded, not raised: no shrinking rounds
            failures.append(f"{operation.label} [{mode.value}] -> {response.status_code}: "
                            f"{case.as_curl_command()}")

    try:
        run()
    except Unsatisfiable:
        pass  # nothing to make invalid (e.g. negative data for an operation without input)
    return failures


def _server_errors(document: dict[str, Any], base_url: str, token: str) -> list[str]:
    """Every operation in every mode; the failures found (empty when none)."""
    schema = schemathesis.openapi.from_dict(document)
    failures: list[str] = []
    with requests.Session() as session:
        for result in schema.get_all_operations():
            for mode in MODES:
                failures += _exercise(result.ok(), mode, base_url, session, bearer(token))
    return failures


async def test_no_operation_answers_with_a_server_error(live, organisation) -> None:
    document = (await live.client.get("/openapi.json")).json()
    assert document["paths"], "the OpenAPI document lists no operation"

    failures = await asyncio.to_thread(_server_errors, document, live.url, organisation)

    assert failures == [], "\n".join(failures)
