"""The inbound pipeline: repeats dropped, unknown groups ignored, identities resolved,
one chat in order while other chats run, handler errors contained."""

from __future__ import annotations

import asyncio
import contextlib
import random
from datetime import UTC, datetime

from sqlalchemy import text

from bot.inbound import InboundPipeline
from bot.messages import InboundMessage
from storage.identities import Identity, IdentityKind, resolve_identity
from tests.factories import insert_client, insert_person
from tests.server_proxy import PgProxy, free_port, tcp_url
from tests.waiting import eventually

GROUP = "120363012345678901@g.us"
OFFICER = "6281234560001"
OPERATOR = "6281234560002"


def _message(chat: str, text: str = "halo", *, message_id: str | None = None,
             sender: str | None = None) -> InboundMessage:
    return InboundMessage(session="user", message_id=message_id or f"id-{random.random()}",
                          chat=chat, sender=sender or chat.split("@")[0], text=text,
                          timestamp=datetime.now(UTC))


async def _org(engine) -> None:
    async with engine.begin() as connection:
        await insert_client(connection, "POLRES_A")
        await insert_client(connection, "POLRES_OFF", status=False)
        await connection.execute(text(
            "INSERT INTO client_contacts (client_id, kind, value) VALUES "
            "('POLRES_A', 'group', :group), ('POLRES_OFF', 'group', '120363999999999999@g.us'),"
            " ('POLRES_A', 'operator', :operator)"), {"group": GROUP, "operator": OPERATOR})
        await insert_person(connection, "87020990", "AGUS", "POLRES_A", whatsapp=OFFICER)
        await insert_person(connection, "87020991", "BUDI", "POLRES_A", whatsapp=OPERATOR)


class Recorder:
    def __init__(self, delay: float = 0.0) -> None:
        self.seen: list[tuple[str, str, Identity]] = []
        self.delay = delay

    async def __call__(self, message: InboundMessage, identity: Identity) -> None:
        if self.delay:
            await asyncio.sleep(random.uniform(0, self.delay))
        if message.text == "meledak":
            raise RuntimeError("bug")
        self.seen.append((message.chat, message.text, identity))


async def test_a_repeated_message_id_is_handled_once(engine, redis) -> None:
    await _org(engine)
    recorder = Recorder()
    pipeline = InboundPipeline(redis, engine, recorder)
    first = _message(f"{OFFICER}@s.whatsapp.net", message_id="ABC")
    assert await pipeline.receive(first)
    assert not await pipeline.receive(first)
    # A new process (restart) shares Redis, so the repeat is still caught.
    assert not await InboundPipeline(redis, engine, recorder).receive(first)
    assert len(recorder.seen) == 1


async def test_only_registered_groups_of_active_clients_are_heard(engine, redis) -> None:
    await _org(engine)
    recorder = Recorder()
    pipeline = InboundPipeline(redis, engine, recorder)
    assert await pipeline.receive(_message(GROUP, sender=OFFICER))
    assert not await pipeline.receive(_message("120363000000000000@g.us", sender=OFFICER))
    assert not await pipeline.receive(_message("120363999999999999@g.us", sender=OFFICER))
    assert not await pipeline.receive(_message("status@broadcast", sender=OFFICER))
    assert [chat for chat, _, _ in recorder.seen] == [GROUP]


async def test_identities(engine) -> None:
    await _org(engine)
    officer = await resolve_identity(engine, OFFICER)
    assert (officer.primary, officer.user_id, officer.personnel_active) == \
        (IdentityKind.PERSONNEL, "87020990", True)
    both = await resolve_identity(engine, OPERATOR)
    assert both.kinds == {IdentityKind.OPERATOR, IdentityKind.PERSONNEL}
    assert (both.primary, both.operator_of) == (IdentityKind.OPERATOR, ("POLRES_A",))
    admin = await resolve_identity(engine, "6289999999999", frozenset({"6289999999999"}))
    assert admin.primary == IdentityKind.ADMIN
    stranger = await resolve_identity(engine, "6281111111111")
    assert stranger.kinds == {IdentityKind.UNKNOWN} and stranger.user_id is None


async def test_one_chat_in_order_while_other_chats_run(engine, redis) -> None:
    await _org(engine)
    recorder = Recorder(delay=0.01)
    pipeline = InboundPipeline(redis, engine, recorder)
    chats = [f"62812000000{n:02d}@s.whatsapp.net" for n in range(5)]
    tasks = [asyncio.create_task(pipeline.receive(_message(chat, f"{n}")))
             for n in range(20) for chat in chats]
    await asyncio.gather(*tasks)
    for chat in chats:
        assert [t for c, t, _ in recorder.seen if c == chat] == [str(n) for n in range(20)]
    order = [c for c, _, _ in recorder.seen]
    assert order != sorted(order, key=chats.index)  # chats interleaved, not one after another
    assert not pipeline._chats  # no per-chat state left behind


async def test_a_failing_handler_is_contained(engine, redis) -> None:
    await _org(engine)
    recorder = Recorder()
    pipeline = InboundPipeline(redis, engine, recorder)
    chat = f"{OFFICER}@s.whatsapp.net"
    assert await pipeline.receive(_message(chat, "meledak"))
    assert await pipeline.receive(_message(chat, "lanjut"))
    assert [t for _, t, _ in recorder.seen] == ["lanjut"]


async def _changed(cache, before: int) -> None:
    """Wait until the cache heard PostgreSQL's notification of a change."""
    await eventually(lambda: cache.invalidations > before, "a change notification")


@contextlib.asynccontextmanager
async def _listening(engine, redis, **cache_settings):
    """The organisation, and a started pipeline (its identity cache listening)."""
    await _org(engine)
    recorder = Recorder()
    pipeline = InboundPipeline(redis, engine, recorder)
    for name, value in cache_settings.items():
        setattr(pipeline.identities, name, value)
    await pipeline.start()
    try:
        yield pipeline, recorder
    finally:
        await pipeline.stop()


async def test_a_known_number_is_looked_up_once_until_its_rows_change(engine, redis) -> None:
    async with _listening(engine, redis) as (pipeline, recorder):
        chat = f"{OFFICER}@s.whatsapp.net"
        await pipeline.receive(_message(chat, "satu"))
        assert len(pipeline.identities) == 1
        # Another process makes the officer an operator; the bot hears of it and looks again.
        before = pipeline.identities.invalidations
        async with engine.begin() as connection:
            await connection.execute(text(
                "INSERT INTO client_contacts (client_id, kind, value) "
                "VALUES ('POLRES_A', 'operator', :phone)"), {"phone": OFFICER})
        await _changed(pipeline.identities, before)
        await pipeline.receive(_message(chat, "dua"))
        assert [(text_, identity.primary) for _, text_, identity in recorder.seen] == [
            ("satu", IdentityKind.PERSONNEL), ("dua", IdentityKind.OPERATOR)]
        # A change that is not about who the number is (a username) keeps the entry.
        before = pipeline.identities.invalidations
        async with engine.begin() as connection:
            await connection.execute(text(
                "UPDATE personnel SET instagram = 'agus.ig' WHERE user_id = '87020990'"))
            await connection.execute(text(
                "UPDATE personnel SET status = false WHERE user_id = '87020990'"))
        await _changed(pipeline.identities, before)
        assert pipeline.identities.invalidations == before + 1  # only the status change
        await pipeline.receive(_message(chat, "tiga"))
        assert recorder.seen[-1][2].personnel_active is False


async def test_an_unknown_number_is_looked_up_on_every_message(engine, redis) -> None:
    """It may link itself in this very chat: its next message must see the link at once."""
    async with _listening(engine, redis) as (pipeline, recorder):
        stranger = "6281111111111"
        await pipeline.receive(_message(f"{stranger}@s.whatsapp.net", "87020990"))
        assert len(pipeline.identities) == 0
        async with engine.begin() as connection:
            await connection.execute(text(
                "UPDATE personnel SET whatsapp = :phone WHERE user_id = '87020990'"),
                {"phone": stranger})
        await pipeline.receive(_message(f"{stranger}@s.whatsapp.net", "ya"))
        assert [identity.user_id for _, _, identity in recorder.seen] == [None, "87020990"]


async def test_a_group_is_checked_once_until_its_contact_or_its_client_changes(engine,
                                                                              redis) -> None:
    new_group = "120363000000000000@g.us"

    async def heard(chat: str) -> bool:
        return await pipeline.receive(_message(chat, sender=OFFICER))

    async def change(sql: str) -> None:
        before = pipeline.identities.invalidations
        async with engine.begin() as connection:
            await connection.execute(text(sql), {"group": new_group})
        await _changed(pipeline.identities, before)

    async with _listening(engine, redis) as (pipeline, recorder):
        assert [await heard(GROUP), await heard(GROUP)] == [True, True]
        assert [await heard(new_group), await heard(new_group)] == [False, False]
        assert pipeline.identities.group_queries == 2  # each group asked once
        await change("INSERT INTO client_contacts (client_id, kind, value) "
                     "VALUES ('POLRES_A', 'group', :group)")
        assert await heard(new_group)
        await change("UPDATE clients SET status = false WHERE client_id = 'POLRES_A'")
        assert [await heard(GROUP), await heard(new_group)] == [False, False]
        await change("UPDATE clients SET status = true WHERE client_id = 'POLRES_A'")
        assert [await heard(GROUP), await heard(new_group)] == [True, True]
        await change("DELETE FROM client_contacts WHERE value = :group")
        assert [await heard(GROUP), await heard(new_group)] == [True, False]
        assert [chat for chat, _, _ in recorder.seen] == [GROUP, GROUP, new_group, GROUP,
                                                          new_group, GROUP]


async def test_without_its_listener_the_cache_keeps_nothing_and_reconnects(engine, redis) -> None:
    async with _listening(engine, redis, retry_seconds=0.05) as (pipeline, recorder):
        chat = f"{OFFICER}@s.whatsapp.net"
        await pipeline.receive(_message(chat, "satu"))
        assert len(pipeline.identities) == 1
        listeners = text("SELECT pid FROM pg_stat_activity WHERE query LIKE 'LISTEN%'")
        before = pipeline.identities.invalidations
        async with engine.begin() as connection:  # e.g. a PostgreSQL restart
            killed = (await connection.execute(listeners)).scalar_one()
            await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": killed})
        await _changed(pipeline.identities, before)
        assert len(pipeline.identities) == 0  # what changed meanwhile would go unheard
        await eventually(lambda: pipeline.identities.listening, "the listener's return")
        async with engine.connect() as connection:
            now_listening = (await connection.execute(listeners)).scalars().all()
        assert now_listening and killed not in now_listening
        await pipeline.receive(_message(chat, "dua"))
        assert len(pipeline.identities) == 1
        assert [t for _, t, _ in recorder.seen] == ["satu", "dua"]


async def test_a_listener_that_never_hears_keeps_nothing(engine, redis) -> None:
    """Behind a proxy that drops notifications, kept identities would go stale: none are."""
    from storage.db import create_engine

    await _org(engine)
    proxy = PgProxy(engine, drop_notifications=True)
    proxied = create_engine(tcp_url(engine, await proxy.start()))
    recorder = Recorder()
    pipeline = InboundPipeline(redis, proxied, recorder)
    pipeline.identities.probe_seconds = 0.5
    await pipeline.start()
    try:
        assert proxy.dropped == 1 and not pipeline.identities.listening  # its probe went unheard
        chat = f"{OFFICER}@s.whatsapp.net"
        await pipeline.receive(_message(chat, "satu"))
        async with engine.begin() as connection:
            await connection.execute(text(
                "INSERT INTO client_contacts (client_id, kind, value) "
                "VALUES ('POLRES_A', 'operator', :phone)"), {"phone": OFFICER})
        await pipeline.receive(_message(chat, "dua"))
        assert len(pipeline.identities) == 0
        assert [identity.primary for _, _, identity in recorder.seen] == [
            IdentityKind.PERSONNEL, IdentityKind.OPERATOR]
    finally:
        await pipeline.stop()
        await proxied.dispose()
        proxy.stop()


async def test_a_database_back_within_the_retries_loses_no_message(engine, redis) -> None:
    """A message that arrives while PostgreSQL is unreachable waits for it (the sender is
    told to try again only when it stays away), and one given up on was not marked handled."""
    from storage.db import create_engine

    await _org(engine)
    port = free_port()
    away = create_engine(tcp_url(engine, port))  # nothing listens there yet
    proxy = PgProxy(engine)
    told: list[InboundMessage] = []

    async def unavailable(message: InboundMessage) -> None:
        told.append(message)

    recorder = Recorder()
    pipeline = InboundPipeline(redis, away, recorder, unavailable=unavailable)
    chat = f"{OFFICER}@s.whatsapp.net"
    try:
        pipeline.retry_delays = (0.05, 0.05)
        given_up = _message(chat, "satu")
        assert not await pipeline.receive(given_up)
        assert told == [given_up] and recorder.seen == []
        pipeline.retry_delays = (0.2,) * 25
        waiting = asyncio.create_task(pipeline.receive(_message(chat, "dua")))
        await asyncio.sleep(0.5)
        assert not waiting.done()
        await proxy.start(port)
        assert await asyncio.wait_for(waiting, timeout=10)
        assert await pipeline.receive(given_up)  # redelivered later: handled now
        assert [(t, identity.primary) for _, t, identity in recorder.seen] == [
            ("dua", IdentityKind.PERSONNEL), ("satu", IdentityKind.PERSONNEL)]
        assert told == [given_up]
    finally:
        await away.dispose()
        proxy.stop()


async def test_numbers_looked_up_together_share_one_query(engine, redis) -> None:
    await _org(engine)
    pipeline = InboundPipeline(redis, engine, Recorder())
    phones = [OFFICER, OPERATOR, "6281111111111", OFFICER]
    identities = await asyncio.gather(*(pipeline.identities.resolve(p) for p in phones))
    assert pipeline.identities.queries == 1
    assert [(i.phone, i.primary, i.user_id) for i in identities] == [
        (OFFICER, IdentityKind.PERSONNEL, "87020990"),
        (OPERATOR, IdentityKind.OPERATOR, "87020991"),
        ("6281111111111", IdentityKind.UNKNOWN, None),
        (OFFICER, IdentityKind.PERSONNEL, "87020990")]
    assert identities[1].operator_of == ("POLRES_A",)
    await pipeline.identities.resolve(OFFICER)  # later: a query of its own (nothing is kept
    assert pipeline.identities.queries == 2  # without the listener)


async def test_a_message_cut_off_mid_turn_is_handled_when_redelivered(engine, redis) -> None:
    """Marked as handled only once handled: a crash mid-turn does not make it a repeat."""
    await _org(engine)
    started, release, seen = asyncio.Event(), asyncio.Event(), []

    async def slow(message: InboundMessage, identity: Identity) -> None:
        started.set()
        await release.wait()
        seen.append(message.text)

    pipeline = InboundPipeline(redis, engine, slow)
    message = _message(f"{OFFICER}@s.whatsapp.net", "satu", message_id="CUT")
    turn = asyncio.create_task(pipeline.receive(message))
    await started.wait()
    turn.cancel()  # the process dies in the middle of the turn
    with contextlib.suppress(asyncio.CancelledError):
        await turn
    release.set()
    assert await pipeline.receive(message)  # redelivered after the restart: handled
    assert not await pipeline.receive(message)  # and now it is a repeat
    assert seen == ["satu"]
