"""Console options that run as jobs, end to end: the bot on the sandbox transport enqueues,
a real arq worker (burst) runs the job against the test servers (and a fake RapidAPI on
loopback), and the answer reaches the requester's chat through the outbox."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.messages import Document, InboundMessage
from cicero.clock import clock
from cicero.sandbox_bot import SandboxBot, said
from cicero.settings import Settings, load_settings
from demo.fake_rapidapi import FakeServer, create_fake_app
from demo.fake_world import FakeWorld
from jobs.worker import create_worker
from storage.identifiers import phone_to_jid
from tests.conversations.conftest import ADMIN, OPERATOR

NOW = datetime(2025, 12, 6, 10, 0, tzinfo=clock.tz)


async def _say(bot, body: str, *, document: Document | None = None,
               phone: str = ADMIN) -> list[str]:
    if document is None:
        await bot.send(said(phone, body, session="operator"))
    else:
        message = InboundMessage("operator", "SBX" + uuid.uuid4().hex[:16].upper(),
                                 phone_to_jid(phone), phone, body, clock.now(),
                                 document=document)
        await bot.service.transport("operator").inject(message)
        await bot.settle()
    return [m["text"] for m in await bot.new_outbound()]


async def _run_worker(settings: Settings, database_url: str, redis_url: str) -> tuple[int, int]:
    worker = create_worker(settings, database_url, redis_url, handle_signals=False, burst=True)
    await worker.async_run()
    await worker.close()
    return worker.jobs_complete, worker.jobs_failed


async def test_a_personnel_file_attached_in_clientrequest_is_imported(
        bot, world, database_url, redis_url, tmp_path: Path) -> None:
    clock.set_now(NOW)
    await _say(bot, "clientrequest")
    await _say(bot, "3")
    assert "Kirim file personil" in (await _say(bot, "1"))[0]
    assert "Belum ada dokumen" in (await _say(bot, "ini filenya"))[0]
    picture = Document("foto.jpg", b"\xff\xd8", "image/jpeg")
    assert "Hanya file *.xlsx* atau *.csv*" in (await _say(bot, "", document=picture))[0]
    csv = (b"nrp,nama,pangkat,client_id\n75020300,BARU SATU,BRIPDA,POLRES_A\n"
           b"75020301,BARU DUA,BRIPDA,TIDAK_ADA\n")
    replies = await _say(bot, "", document=Document("personil baru.csv", csv, "text/csv"))
    assert "sedang diimpor" in replies[0] and "*Laporan, impor & komplain*" in replies[1]
    assert await _run_worker(Settings(cicero_home=tmp_path), database_url, redis_url) == (1, 0)
    await bot.settle()
    [summary] = [m["text"] for m in await bot.new_outbound()]
    for line in ("Impor personil dari *personil baru.csv* selesai", "• Dibuat: 1",
                 "• Ditolak: 1", "baris 3 (75020301)", "TIDAK_ADA"):
        assert line in summary
    async with world.connect() as connection:
        assert await connection.scalar(text(
            "SELECT client_id FROM personnel WHERE user_id = '75020300'")) == "POLRES_A"
        assert await connection.scalar(text(
            "SELECT count(*) FROM personnel WHERE user_id = '75020301'")) == 0


async def test_one_tiktok_video_is_fetched_for_the_chosen_client(
        bot, world, database_url, redis_url, tmp_path: Path) -> None:
    clock.set_now(NOW)
    fake_world = FakeWorld()
    fake_world.add_tiktok_account("polres_a_tt")
    video = fake_world.add_video("polres_a_tt", datetime(2025, 12, 1, 9, 0, tzinfo=clock.tz),
                                 video_id="7311111111111111111", desc="Patroli pagi")
    fake_world.add_comments(video.video_id, "budi.tt", "warga_1")
    server = FakeServer(create_fake_app(fake_world, api_key="k"))
    server.start()
    settings = Settings(cicero_home=tmp_path, rapidapi_key="k",
                        rapidapi_instagram_url=server.url, rapidapi_tiktok_url=server.url)
    try:
        await _say(bot, "clientrequest")
        await _say(bot, "2")
        await _say(bot, "5")
        await _say(bot, "polres_a")
        replies = await _say(bot, "https://www.tiktok.com/@polres_a_tt/video/7311111111111111111")
        assert "sedang diambil" in replies[0]
        assert await _run_worker(settings, database_url, redis_url) == (1, 0)
    finally:
        server.stop()
    await bot.settle()
    [answer] = [m["text"] for m in await bot.new_outbound()]
    for line in ("Video TikTok *7311111111111111111* tersimpan untuk *POLRES_A*",
                 "Diunggah: 01 Desember 2025 09.00", "2 komentator baru tercatat",
                 "Caption: Patroli pagi"):
        assert line in answer
    async with world.connect() as connection:
        row = (await connection.execute(text(
            "SELECT p.client_id, count(e.username) FROM posts p "
            "JOIN engagements e ON e.post_id = p.id "
            "WHERE p.external_id = '7311111111111111111' GROUP BY p.client_id"))).one()
    assert tuple(row) == ("POLRES_A", 2)


class FakePeople:
    """The token grant of a service account and the People API's connections list and
    batchCreateContacts."""

    def __init__(self) -> None:
        self.created: list[dict] = []
        self.app = Starlette(routes=[
            Route("/token", self.token, methods=["POST"]),
            Route("/v1/people:batchCreateContacts", self.create, methods=["POST"]),
            Route("/v1/people/me/connections", self.connections, methods=["GET"]),
        ])

    async def connections(self, request: Request) -> JSONResponse:
        return JSONResponse({})  # an account without contacts yet

    async def token(self, request: Request) -> JSONResponse:
        return JSONResponse({"access_token": "people-token", "expires_in": 3600,
                             "token_type": "Bearer"})

    async def create(self, request: Request) -> JSONResponse:
        assert request.headers["authorization"] == "Bearer people-token"
        created = []
        for contact in (await request.json())["contacts"]:
            self.created.append(contact["contactPerson"])
            created.append({"person": {"resourceName": f"people/c{len(self.created)}"}})
        return JSONResponse({"createdPeople": created})


async def test_savecontact_saves_each_active_number_once(
        bot, world, database_url, redis_url, tmp_path: Path) -> None:
    clock.set_now(NOW)
    fake = FakePeople()
    server = FakeServer(fake.app)
    server.start()
    settings = Settings(cicero_home=tmp_path, google_service_account=_service_account(server.port),
                        google_people_api_url=server.url)
    answers = []

    async def run(worker_settings: Settings) -> None:
        assert await _run_worker(worker_settings, database_url, redis_url) == (1, 0)
        await bot.settle()
        answers.extend(m["text"] for m in await bot.new_outbound())

    try:
        assert "sedang disimpan ke Google Contacts" in (await _say(bot, "savecontact"))[0]
        await run(settings)
        await _say(bot, "clientrequest")
        await _say(bot, "4")
        await _say(bot, "2")  # the same action from the console
        await run(settings)
        await _say(bot, "batal")
        await _say(bot, "savecontact")
        await run(Settings(cicero_home=tmp_path))
    finally:
        server.stop()
    assert answers == ["✅ 3 nomor WhatsApp personil disimpan ke Google Contacts.",
                       "✅ Semua nomor WhatsApp personil aktif sudah tersimpan di Google Contacts.",
                       "⚠️ Google Contacts belum dikonfigurasi (GOOGLE_SERVICE_ACCOUNT). Tidak ada "
                       "nomor yang disimpan."]
    assert sorted(c["phoneNumbers"][0]["value"] for c in fake.created) == [
        "+6281200000002", "+6281200000003", "+6281200000009"]
    assert {"givenName": "BRIPKA BUDI SANTOSO"} in [c["names"][0] for c in fake.created]
    async with world.connect() as connection:
        saved = (await connection.execute(text(
            "SELECT phone, resource_name FROM saved_contacts ORDER BY phone"))).all()
    assert [tuple(row) for row in saved] == [("6281200000002", "people/c1"),
                                             ("6281200000003", "people/c2"),
                                             ("6281200000009", "people/c3")]


def _service_account(port: int) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return json.dumps({
        "type": "service_account", "project_id": "cicero-test", "private_key_id": "k1",
        "private_key": pem, "client_email": "bot@cicero-test.iam.gserviceaccount.com",
        "client_id": "1", "token_uri": f"http://127.0.0.1:{port}/token"})


async def test_a_number_an_operator_sets_is_pushed_to_google_contacts(
        world, redis, database_url, redis_url, tmp_path: Path) -> None:
    clock.set_now(NOW)
    fake = FakePeople()
    server = FakeServer(fake.app)
    server.start()
    account = _service_account(server.port)
    settings = Settings(cicero_home=tmp_path, google_service_account=account,
                        google_people_api_url=server.url)
    try:
        async with SandboxBot(load_settings(admin_whatsapp=ADMIN,
                                            google_service_account=account),
                              world, redis) as bot:
            for line in ("oprrequest", "2", "87020990", "5", "0812 3333 4444"):
                await _say(bot, line, phone=OPERATOR)
        assert await _run_worker(settings, database_url, redis_url) == (1, 0)
    finally:
        server.stop()
    assert [c["phoneNumbers"][0]["value"] for c in fake.created] == ["+6281233334444"]
