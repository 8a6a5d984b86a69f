"""Google Contacts sync (issue 18 item 2) against a fake Google on loopback: the OAuth
token grant and the People API calls (batch create, get, update). Each number reaches
Google once across runs, batches hold at most BATCH_SIZE contacts, a 429 is retried, and a
person whose number changed gets their contact updated instead of a second one."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from cicero.settings import load_settings
from demo.fake_rapidapi import FakeServer
from jobs.google_contacts import BATCH_SIZE, save_contacts, sync_contacts
from jobs.runner import execute
from jobs.schedule import by_key
from jobs.worker import close_context, open_context
from storage.personnel_admin import update_person
from tests.cicero.test_backup_upload import _service_account

PEOPLE = BATCH_SIZE + 5  # two batches


class FakePeople:
    """The People API calls the sync makes; the first batch create is refused with 429."""

    def __init__(self) -> None:
        self.created: list[str] = []  # every number created, in order
        self.updated: list[tuple[str, str]] = []  # (resource name, new number)
        self.batch_calls = self.connection_calls = 0
        self.contacts: dict[str, dict] = {}
        self.app = Starlette(routes=[
            Route("/token", self.token, methods=["POST"]),
            Route("/v1/people:batchCreateContacts", self.batch_create, methods=["POST"]),
            Route("/v1/people/me/connections", self.connections, methods=["GET"]),
            Route("/v1/people/{rest}", self.person, methods=["GET", "PATCH"]),
        ])

    async def token(self, request: Request) -> JSONResponse:
        return JSONResponse({"access_token": "people-token", "expires_in": 3600,
                             "token_type": "Bearer"})

    async def batch_create(self, request: Request) -> Response:
        assert request.headers["authorization"] == "Bearer people-token"
        self.batch_calls += 1
        if self.batch_calls == 1:
            return JSONResponse({"error": {"code": 429}}, status_code=429,
                                headers={"Retry-After": "0"})
        body = await request.json()
        assert len(body["contacts"]) <= BATCH_SIZE
        created = []
        for item in body["contacts"]:
            person = item["contactPerson"]
            number = person["phoneNumbers"][0]["value"]
            self.created.append(number)
            name = f"people/c{len(self.contacts) + 1}"
            self.contacts[name] = {**person, "resourceName": name, "etag": f"e{name}"}
            created.append({"httpStatusCode": 200, "person": self.contacts[name]})
        return JSONResponse({"createdPeople": created})

    async def connections(self, request: Request) -> JSONResponse:
        """Every contact, two a page (the client follows nextPageToken)."""
        self.connection_calls += 1
        people = list(self.contacts.values())
        start = int(request.query_params.get("pageToken") or 0)
        page = {"connections": people[start:start + 2]}
        if start + 2 < len(people):
            page["nextPageToken"] = str(start + 2)
        return JSONResponse(page)

    async def person(self, request: Request) -> JSONResponse:
        rest = request.path_params["rest"]
        if request.method == "GET":
            return JSONResponse(self.contacts[f"people/{rest}"])
        name = f"people/{rest.removesuffix(':updateContact')}"
        body = await request.json()
        assert body["etag"] == self.contacts[name]["etag"]
        number = body["phoneNumbers"][0]["value"]
        self.updated.append((name, number))
        self.contacts[name].update(phoneNumbers=body["phoneNumbers"])
        return JSONResponse(self.contacts[name])


@pytest.fixture
def fake_people():
    fake = FakePeople()
    server = FakeServer(fake.app)
    server.start()
    yield fake, f"http://127.0.0.1:{server.port}"
    server.stop()


@pytest.fixture
async def context(engine, fake_people, database_url, redis_url, tmp_path: Path):
    _, url = fake_people
    settings = load_settings(google_service_account=_service_account(int(url.rsplit(":", 1)[1])),
                             google_people_api_url=url, cicero_home=tmp_path / "home")
    async with engine.begin() as connection:
        await connection.execute(text(
            "INSERT INTO clients (client_id, name, type) VALUES ('POLRES_A', 'POLRES A', 'org')"))
        await connection.execute(text(
            "INSERT INTO personnel (user_id, name, rank, client_id, whatsapp, status) "
            "SELECT '8700' || lpad(n::text, 4, '0'), 'ORANG ' || n, 'BRIPDA', 'POLRES_A', "
            "'62812' || lpad(n::text, 8, '0'), n <> 3 FROM generate_series(1, :count) AS n"),
            {"count": PEOPLE + 1})
    ctx = await open_context(settings, database_url, redis_url)
    yield ctx
    await close_context(ctx)


async def test_each_number_reaches_google_once_and_a_changed_number_updates_its_contact(
        context, fake_people, engine) -> None:
    fake, _ = fake_people
    # one number already in the account (saved by hand): remembered, not created again
    fake.contacts["people/hand1"] = {"resourceName": "people/hand1", "etag": "h",
                                     "phoneNumbers": [{"value": "+62 812-0000-0001"}]}
    assert await save_contacts(context) == {"saved": PEOPLE - 1, "updated": 0, "failed": 0,
                                            "known": 1}
    assert fake.batch_calls == 3  # the 429, then two batches
    assert len(fake.created) == len(set(fake.created)) == PEOPLE - 1
    assert "+6281200000003" not in fake.created  # inactive
    assert "+6281200000001" not in fake.created  # in the account already

    result = await execute(context, by_key()["contacts-sync"])  # the scheduled job
    assert result == {"status": "success", "saved": 0, "updated": 0, "failed": 0}
    assert fake.batch_calls == 3
    assert fake.connection_calls == 1  # nothing pending: Google not asked again

    resource = next(name for name, person in fake.contacts.items()
                    if person["phoneNumbers"][0]["value"] == "+6281200000007")
    await update_person(engine, "87000007", {"whatsapp": "6289900000007"},
                        new_user_id=None, changed_by="test")
    assert await sync_contacts(context) == {"saved": 0, "updated": 1, "failed": 0}
    assert fake.updated == [(resource, "+6289900000007")]
    assert len(fake.created) == PEOPLE - 1 and fake.batch_calls == 3
    async with engine.connect() as connection:
        saved = (await connection.execute(text(
            "SELECT resource_name FROM saved_contacts WHERE phone = '6289900000007'"))).scalar()
        old = (await connection.execute(text(
            "SELECT count(*) FROM saved_contacts WHERE phone = '6281200000007'"))).scalar()
    assert (saved, old) == (resource, 0)
    assert await sync_contacts(context) == {"saved": 0, "updated": 0, "failed": 0}


async def test_without_google_configured_the_job_records_so(engine, database_url, redis_url,
                                                            tmp_path: Path) -> None:
    ctx = await open_context(load_settings(cicero_home=tmp_path / "home"), database_url,
                             redis_url)
    try:
        assert await sync_contacts(ctx) == {"status": "not_configured"}
    finally:
        await close_context(ctx)
