"""Special tasks: registered from a console option (a job fetches the post once through the
shared RapidAPI client and answers the chat), reported by officers with `lapor`, and read by
the khusus recaps."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import text

from bot.messages import InboundMessage
from bot.outbox import stream_key
from cicero.clock import clock
from cicero.settings import load_settings
from conversations.console.audiences import contact_clients_of
from conversations.console.flow import Console
from conversations.console.reports import Report
from conversations.console.spec import Menu, Option, Section
from conversations.console.special_tasks import SPECIAL_TASK_OF_TODAY, RegisterSpecialTask
from conversations.context import ChatContext
from conversations.engine import ConversationEngine, FlowRegistry
from conversations.flow import Services, Turn
from demo.fake_rapidapi import FakeServer, create_fake_app
from demo.fake_world import FakeWorld
from jobs.queue import QUEUE_NAME
from jobs.special_tasks import register_special_task
from jobs.worker import close_context, open_context
from storage.grants import ClientRef, Grants
from storage.identities import resolve_identity
from tests.conversations.conftest import ADMIN, OPERATOR, insert_world

NOW = datetime(2025, 12, 6, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
POST = "SPCL123abcd"
KEY = "test-key"


class SpecialTaskConsole(Console):
    """The options as the operator console binds them (oprrequest 11 and 13)."""

    name = "test-khusus"
    keywords = frozenset({"khususcoba"})
    menu = Menu("Menu Uji", (Section("", (
        Option("Daftarkan tugas khusus", RegisterSpecialTask()),
        Option("Rekap link per tugas khusus",
               Report("khusus-link-recap-post", questions=(SPECIAL_TASK_OF_TODAY,))),
    )),))
    refusal = "ditolak"

    async def clients_for(self, turn: Turn, grants: Grants) -> list[ClientRef]:
        return await contact_clients_of(turn.services.engine, grants)


async def _world(engine) -> None:
    await insert_world(engine)


def _fake_instagram() -> tuple[FakeServer, object]:
    world = FakeWorld(now=lambda: NOW)
    world.add_instagram_account("humas.kota", follower_count=10, following_count=3)
    world.add_ig_post("humas.kota", datetime(2025, 12, 4, 9, 0, tzinfo=ZoneInfo("UTC")),
                      shortcode=POST)
    app = create_fake_app(world, api_key="k")
    server = FakeServer(app)
    server.start()
    return server, app.state.fake


async def _context(database_url: str, redis_url: str, url: str | None):
    settings = load_settings(rapidapi_key="k" if url else None,
                             **({"rapidapi_instagram_url": url} if url else {}))
    return await open_context(settings, database_url, redis_url)


async def _texts(redis, to: str) -> list[str]:
    """What is queued in the operator session's outbox for `to`."""
    return [fields["body"] for _, fields in await redis.xrange(stream_key("operator"))
            if fields["to"] == f"{to}@s.whatsapp.net"]


async def test_the_job_fetches_a_post_once_and_answers_the_chat(engine, redis, database_url,
                                                                redis_url) -> None:
    await _world(engine)
    server, fake = _fake_instagram()
    context = await _context(database_url, redis_url, server.url)
    reply = {"session": "operator", "to": f"{OPERATOR}@s.whatsapp.net", "key": KEY,
             "client_name": "POLRES A"}
    try:
        with clock.frozen(NOW):
            first = await register_special_task({"cicero": context}, "POLRES_A", POST,
                                                OPERATOR, reply)
            again = await register_special_task({"cicero": context}, "POLRES_A", POST,
                                                OPERATOR, {**reply, "key": "k2"})
            other = await register_special_task({"cicero": context}, "POLRES_B", POST,
                                                OPERATOR, None)
            missing = await register_special_task({"cicero": context}, "POLRES_A", "NOPE12345",
                                                  OPERATOR, None)
    finally:
        await close_context(context)
        server.stop()
    assert first["outcome"] == "created" and again["outcome"] == "exists"
    assert other["outcome"] == "created" and missing["outcome"] == "not_found"
    assert fake.counts["/v1/post_info"] == 2  # POST once (POLRES_B copied it), NOPE once
    async with engine.connect() as connection:
        rows = (await connection.execute(text(
            "SELECT client_id, owner_username, registered_by, registered_at FROM special_tasks "
            "ORDER BY client_id"))).all()
    assert [(r[0], r[1], r[2]) for r in rows] == [("POLRES_A", "humas.kota", OPERATOR),
                                                  ("POLRES_B", "humas.kota", OPERATOR)]
    assert rows[0][3] == NOW  # the business clock's today, not the database's
    sent = await _texts(redis, OPERATOR)
    assert any("✅ Tugas khusus tercatat untuk *POLRES A*" in t and "@humas.kota" in t
               for t in sent)
    assert any("sudah terdaftar sebagai tugas khusus POLRES A" in t for t in sent)


async def test_without_rapidapi_the_job_says_so(engine, redis, database_url, redis_url) -> None:
    await _world(engine)
    context = await _context(database_url, redis_url, None)
    try:
        outcome = await register_special_task(
            {"cicero": context}, "POLRES_A", POST, OPERATOR,
            {"session": "operator", "to": f"{OPERATOR}@s.whatsapp.net", "key": KEY,
             "client_name": "POLRES A"})
    finally:
        await close_context(context)
    assert outcome["outcome"] == "unavailable"
    assert any("RAPIDAPI_KEY" in t for t in await _texts(redis, OPERATOR))


def _engine(world, redis) -> ConversationEngine:
    console = SpecialTaskConsole()
    services = Services(world, redis, load_settings(admin_whatsapp=ADMIN), clock)
    return ConversationEngine(services, FlowRegistry([console], [console], {}))


async def _say(engine: ConversationEngine, world, context: ChatContext, phone: str,
               body: str) -> list[str]:
    message = InboundMessage("operator", uuid.uuid4().hex, f"{phone}@s.whatsapp.net", phone,
                             body, clock.now())
    identity = await resolve_identity(world, phone, frozenset({ADMIN}))
    decision = await engine.decide(message, identity, context, now=0)
    context.__dict__.update(decision.context.__dict__)
    return [reply.text for reply in decision.replies]


async def _queued_jobs(redis) -> list[str]:
    """The ids of the jobs waiting in the queue (arq's sorted set)."""
    return list(await redis.zrange(QUEUE_NAME, 0, -1))


async def test_the_console_option_checks_the_link_and_queues_the_fetch(engine, redis) -> None:
    await _world(engine)
    console = _engine(engine, redis)
    chat = ChatContext()
    with clock.frozen(NOW):
        assert "Daftarkan tugas khusus" in "\n".join(
            await _say(console, engine, chat, OPERATOR, "khususcoba"))
        assert "link postingan Instagram" in (await _say(console, engine, chat, OPERATOR,
                                                         "1"))[0]
        refused = await _say(console, engine, chat, OPERATOR, "https://www.facebook.com/a/b")
        assert "bukan link postingan Instagram" in refused[0]
        assert await _queued_jobs(redis) == []
        queued = await _say(console, engine, chat, OPERATOR,
                            f"https://www.instagram.com/p/{POST}/?igsh=x")
        assert "sedang diambil" in queued[0]
        [job_id] = await _queued_jobs(redis)
        assert job_id.startswith(f"special-task:operator:{OPERATOR}@s.whatsapp.net:")
        # no special task today yet: the per-post recap has nothing to offer
        assert "Belum ada tugas khusus hari ini" in "\n".join(
            await _say(console, engine, chat, OPERATOR, "2"))
