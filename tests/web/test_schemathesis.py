"""Schemathesis against the live app's own /openapi.json: for every documented operation,
generated requests (valid and invalid) sent with an admin token over a small organisation
never get a server error (`not_a_server_error`). Generic on purpose: it covers whatever routes
the app has. Bounded: a few examples per operation, derandomized, no deadline; failures are
collected (with a curl command to reproduce), not shrunk."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
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
from storage.models import DashboardRole, PenmasRole
from tests.web.conftest import (
    bearer,
    dashboard_user,
    running_worker,
    serve,
    token_for,
    web_settings,
)
from tests.web.penmas_helpers import penmas_auth, penmas_user

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


# Penmas operations take Penmas tokens only: they are called as an editor (the widest role).
PENMAS_TAG = "Penmas"
PENMAS_SQL = (
    "INSERT INTO editorial_events (event_date, topic, status, created_by) VALUES "
    "('2025-12-06T09:00:00+07:00', 'Patroli', 'draft', :editor), "
    "('2025-12-07T09:00:00+07:00', 'Sambang', 'submitted', :editor)",
    "INSERT INTO editorial_approvals (event_id, requested_by) VALUES (2, :editor)",
    "INSERT INTO press_release_details (event_id, judul) VALUES (1, 'Judul')",
    "INSERT INTO premium_requests (user_id, sender_name, account_number, bank_name) "
    "VALUES ('1001', 'Agus', '123456', 'BRI')",
)


@dataclass(frozen=True)
class Tokens:
    """Makers of fresh headers (an operation such as logout may revoke the token it got)."""

    admin: Callable[[], dict[str, str]]
    editor: Callable[[], dict[str, str]]

    def for_operation(self, operation: schemathesis.APIOperation) -> dict[str, str]:
        return self.editor() if PENMAS_TAG in (operation.tags or []) else self.admin()


@pytest.fixture
async def organisation(engine) -> Tokens:
    """The fixture's data (the admin's account linked to person 1001, so premium requests
    are theirs); returns the token makers."""
    async with engine.begin() as connection:
        for statement in ORGANISATION_SQL:
            await connection.execute(text(statement))
    admin = await dashboard_user(engine, "admin1", DashboardRole.ADMIN, [])
    editor = await penmas_user(engine, "editor1", PenmasRole.EDITOR, password=None)
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE dashboard_users SET user_id = '1001' "
                                      "WHERE id = :id"), {"id": admin})
        for statement in PENMAS_SQL:
            await connection.execute(text(statement), {"editor": editor.id})
    return Tokens(lambda: bearer(token_for(admin, "admin1", DashboardRole.ADMIN, [])),
                  lambda: penmas_auth(editor))


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


def _server_errors(document: dict[str, Any], base_url: str, tokens: Tokens) -> list[str]:
    """Every operation in every mode; the failures found (empty when none)."""
    schema = schemathesis.openapi.from_dict(document)
    failures: list[str] = []
    with requests.Session() as session:
        for result in schema.get_all_operations():
            operation = result.ok()
            for mode in MODES:
                failures += _exercise(operation, mode, base_url, session,
                                      tokens.for_operation(operation))
    return failures


async def test_no_operation_answers_with_a_server_error(fully_configured, organisation) -> None:
    document = (await fully_configured.client.get("/openapi.json")).json()
    assert document["paths"], "the OpenAPI document lists no operation"

    failures = await asyncio.to_thread(_server_errors, document, fully_configured.url,
                                       organisation)

    assert failures == [], "\n".join(failures)
