"""Schemathesis against the live app's own /openapi.json: for every documented operation,
generated requests (valid and invalid) sent with an admin token over a small organisation
never get a server error (`not_a_server_error`). Generic on purpose: it covers whatever routes
the app has. Bounded: a few examples per operation, derandomized, no deadline; failures are
collected (with a curl command to reproduce), not shrunk.

Hostile input on top of what schemathesis generates (issue 13): dates anywhere in years
1..9999 for every `format: date`, and a sweep that puts NUL, lone surrogates, invalid UTF-8,
4,400-digit numbers and out-of-range dates into every query and path parameter and every
body property of every operation, and deeply nested JSON into every body."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from sqlalchemy import text

from demo.fake_rapidapi import FakeServer, create_fake_app
from demo.fake_world import FakeWorld
from storage.models import DashboardRole, PenmasRole
from tests.factories import insert_client
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

# Dates as far as ISO allows, the ends first: a period in year 1 or 9999 overflowed.
EXTREME_DATES = st.sampled_from([date(1, 1, 1), date(9999, 12, 31)]) | st.dates()
schemathesis.openapi.format("date", EXTREME_DATES.map(date.isoformat))

HUGE_NUMBER = "9" * 4400  # past Python's int-str conversion limit (4,300 digits)
NUL = "a\x00b"
# As they travel: a query value is sent as raw bytes (percent-encoded by the client), a path
# value as it is written in the URL.
HOSTILE_QUERY_VALUES = [NUL, b"\xed\xa0\x80", b"\xc0\xaf", HUGE_NUMBER, "0001-01-01",
                        "9999-12-31", "9999-12", "0001-01"]
HOSTILE_PATH_VALUES = [NUL, "%ED%A0%80", "%C0%AF", HUGE_NUMBER]
HOSTILE_JSON_VALUES = [NUL, "\ud800", "x\udfffy", "9999-12-31"]
HOSTILE_FORM_VALUES = [NUL, b"\xed\xa0\x80", HUGE_NUMBER]
DEEP_BODIES = ["[" * 30000, '{"a":' * 12000 + "1" + "}" * 12000]

ORGANISATION_SQL = (
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
        await insert_client(connection, "DITBINMAS", "DIREKTORAT BINMAS", "directorate",
                            instagram="ditbinmas_x", tiktok="ditbinmas_tt")
        await insert_client(connection, "POLRES_A", instagram="polres_a", tiktok="polres_a_tt")
        await insert_client(connection, "POLRES_B")
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


def _hostile_cases(operation: schemathesis.APIOperation) -> Iterator[schemathesis.Case]:
    """One case per (place, hostile value): every query and path parameter, every property
    of a JSON or form body, and whole bodies too deep or with a huge number. Everything else
    the operation requires gets a plain value, so the hostile part is what gets checked."""
    definition = operation.definition.raw
    params = [p for p in definition.get("parameters", []) if p["in"] in ("query", "path")]
    paths = {p["name"]: "1001" for p in params if p["in"] == "path"}
    query = {p["name"]: "x" for p in params if p["in"] == "query" and p.get("required")}
    content = definition.get("requestBody", {}).get("content", {})
    media_type, body_schema = next(iter(content.items()), (None, {}))
    properties = (body_schema or {}).get("schema", {}).get("properties", {})
    body = {name: "x" for name in properties} if media_type else None

    def case(**changes: Any) -> schemathesis.Case:
        values = {"path_parameters": paths, "query": query, "body": body,
                  "media_type": media_type, **changes}
        if values["body"] is None:
            values.pop("body")
            values.pop("media_type")
        return operation.Case(**values)

    for param in params:
        if param["in"] == "query":
            for value in HOSTILE_QUERY_VALUES:
                yield case(query={**query, param["name"]: value})
        else:
            for value in HOSTILE_PATH_VALUES:
                yield case(path_parameters={**paths, param["name"]: value})
    if media_type is None:
        return
    form = media_type == "application/x-www-form-urlencoded"
    for name in properties:
        for value in HOSTILE_FORM_VALUES if form else HOSTILE_JSON_VALUES:
            yield case(body={**body, name: value})
    if media_type == "application/json":
        raw = [*DEEP_BODIES, *(f'{{"{name}": {HUGE_NUMBER}}}' for name in properties)]
        for text in raw:
            yield case(body=text, media_type="text/plain")


def _hostile_server_errors(document: dict[str, Any], base_url: str,
                           tokens: Tokens) -> list[str]:
    schema = schemathesis.openapi.from_dict(document)
    failures: list[str] = []
    with requests.Session() as session:
        for result in schema.get_all_operations():
            operation = result.ok()
            headers = tokens.for_operation(operation)
            for case in _hostile_cases(operation):
                response = case.call(base_url=base_url, session=session, headers=headers,
                                     timeout=30)
                if response.status_code >= 500:
                    failures.append(f"{operation.label} -> {response.status_code}: "
                                    f"{case.as_curl_command()}"[:500])
    return failures


async def test_no_operation_answers_with_a_server_error(fully_configured, organisation) -> None:
    document = (await fully_configured.client.get("/openapi.json")).json()
    assert document["paths"], "the OpenAPI document lists no operation"

    failures = await asyncio.to_thread(_server_errors, document, fully_configured.url,
                                       organisation)

    assert failures == [], "\n".join(failures)


async def test_hostile_input_never_gets_a_server_error(fully_configured, organisation) -> None:
    document = (await fully_configured.client.get("/openapi.json")).json()

    failures = await asyncio.to_thread(_hostile_server_errors, document, fully_configured.url,
                                       organisation)

    assert failures == [], "\n".join(failures)
