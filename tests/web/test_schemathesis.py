"""Schemathesis against the live app's own /openapi.json: for every documented operation,
generated requests (valid and invalid) sent with an admin token over a small organisation
never get a server error (`not_a_server_error`). Generic on purpose: it covers whatever routes
the app has. Bounded: a few examples per operation, derandomized, no deadline; failures are
collected (with a curl command to reproduce), not shrunk."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
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

from jobs.rapidapi.fake import FakeServer, create_fake_app
from jobs.rapidapi.fake_world import FakeWorld
from storage.models import DashboardRole
from tests.web.conftest import (
    bearer,
    dashboard_user,
    running_worker,
    serve,
    token_for,
    web_settings,
)

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


RAPIDAPI_KEY = "schemathesis"


@pytest.fixture
async def organisation(engine) -> Callable[[], str]:
    """The fixture's data; returns a maker of fresh admin tokens (an operation such as
    logout may revoke the one it was given)."""
    async with engine.begin() as connection:
        for statement in ORGANISATION_SQL:
            await connection.execute(text(statement))
    admin = await dashboard_user(engine, "admin1", DashboardRole.ADMIN, [])
    return lambda: token_for(admin, "admin1", DashboardRole.ADMIN, [])


@pytest.fixture
async def fully_configured(engine, redis, database_url: str, redis_url: str):
    """The app with everything it can be configured with: a fake RapidAPI and a worker, so
    that 5xx can only mean a bug, not a missing setting."""
    world = FakeWorld()
    world.add_instagram_account("polres_a", follower_count=10, following_count=2)
    server = FakeServer(create_fake_app(world, api_key=RAPIDAPI_KEY))
    url = server.start()
    settings = web_settings(rapidapi_key=RAPIDAPI_KEY, rapidapi_instagram_url=url,
                            rapidapi_tiktok_url=url, rapidapi_instagram_rps=1000,
                            rapidapi_tiktok_rps=1000)
    try:
        async with running_worker(settings, database_url, redis_url):
            async for app in serve(settings, database_url, redis_url):
                yield app
    finally:
        server.stop()


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


def _server_errors(document: dict[str, Any], base_url: str,
                   new_token: Callable[[], str]) -> list[str]:
    """Every operation in every mode; the failures found (empty when none)."""
    schema = schemathesis.openapi.from_dict(document)
    failures: list[str] = []
    with requests.Session() as session:
        for result in schema.get_all_operations():
            for mode in MODES:
                failures += _exercise(result.ok(), mode, base_url, session, bearer(new_token()))
    return failures


async def test_no_operation_answers_with_a_server_error(fully_configured, organisation) -> None:
    document = (await fully_configured.client.get("/openapi.json")).json()
    assert document["paths"], "the OpenAPI document lists no operation"

    failures = await asyncio.to_thread(_server_errors, document, fully_configured.url,
                                       organisation)

    assert failures == [], "\n".join(failures)
