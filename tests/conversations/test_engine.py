"""The conversation engine around the flows: races, restarts, repeats, errors, `kembali`,
and `cicero chat` end to end."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import text

from bot.chat_contexts import ContextStore
from bot.conversation_turns import ConversationTurns
from bot.messages import InboundMessage
from bot.sandbox import SandboxTransport
from cicero.clock import clock
from cicero.sandbox_bot import SandboxBot, said
from cicero.settings import load_settings
from conversations.engine import ConversationEngine, FlowRegistry
from conversations.flow import Flow, Services, State, Turn
from menus import conversation as texts
from menus import profile as profile_texts
from storage.identities import resolve_identity
from tests.conftest import run_cli
from tests.conversations.conftest import BUDI, NEW
from tests.locks import until_blocked
from tests.server_proxy import PgProxy, SocketProxy, free_port, tcp_url

SECOND = "6281200000077"


def _message(phone: str, body: str, *, message_id: str | None = None,
             session: str = "user") -> InboundMessage:
    return InboundMessage(session, message_id or uuid.uuid4().hex, f"{phone}@s.whatsapp.net",
                          phone, body, clock.now())


async def _inject_together(bot: SandboxBot, *messages: InboundMessage) -> None:
    transport = bot.service.transport("user")
    assert isinstance(transport, SandboxTransport)
    await asyncio.gather(*(transport.inject(m) for m in messages))
    await bot.settle()


async def _texts(bot: SandboxBot, phone: str) -> list[str]:
    return [m["text"] for m in await bot.new_outbound(f"{phone}@s.whatsapp.net")]


async def test_two_simultaneous_yes_link_once_and_answer_once(bot, world) -> None:
    for line in ("halo", "87020990"):
        await bot.send(said(NEW, line))
    await bot.new_outbound()
    await _inject_together(bot, _message(NEW, "ya"), _message(NEW, "ya"))
    replies = await _texts(bot, NEW)
    assert sum("berhasil dihubungkan" in reply for reply in replies) == 1
    assert any("Pilih data yang ingin diubah" in reply for reply in replies)
    async with world.connect() as connection:
        assert await connection.scalar(text(
            "SELECT count(*) FROM personnel_changes WHERE field = 'whatsapp'")) == 1


async def test_two_numbers_racing_for_one_nrp_only_one_wins(bot, world) -> None:
    for phone in (NEW, SECOND):
        for line in ("halo", "87020990"):
            await bot.send(said(phone, line))
    await bot.new_outbound()
    await _inject_together(bot, _message(NEW, "ya"), _message(SECOND, "ya"))
    sent = await bot.new_outbound()
    first, second = ([m["text"] for m in sent if m["to"] == f"{phone}@s.whatsapp.net"]
                     for phone in (NEW, SECOND))
    winners = [phone for phone, replies in ((NEW, first), (SECOND, second))
               if any("berhasil dihubungkan" in r for r in replies)]
    assert len(winners) == 1
    loser = second if winners == [NEW] else first
    assert any("*87020990* tidak dapat dihubungkan" in r for r in loser), loser
    loser_chat = f"{SECOND if winners == [NEW] else NEW}@s.whatsapp.net"
    context = await bot.service.conversations.store.peek("user", loser_chat)
    assert context is not None and context.state == "ask_nrp"  # asked for another NRP
    async with world.connect() as connection:
        stored = await connection.scalar(text(
            "SELECT whatsapp FROM personnel WHERE user_id = '87020990'"))
    assert stored == winners[0]


async def test_a_number_given_to_someone_else_meanwhile_is_refused_in_one_reply(
        bot, world) -> None:
    """The link checks that nobody else holds the number; a dashboard edit that gives it to
    another person in the same moment is caught by the unique index: one clear reply."""
    for line in ("halo", "87020990"):
        await bot.send(said(NEW, line))
    await bot.new_outbound()
    async with world.connect() as dashboard:
        edit = await dashboard.begin()
        await dashboard.execute(text(
            f"UPDATE personnel SET whatsapp = '{NEW}' WHERE user_id = '87020993'"))
        answer = asyncio.create_task(bot.send(said(NEW, "ya")))
        await until_blocked(world, "%UPDATE personnel p SET whatsapp%")
        await edit.commit()
        await answer
    assert await _texts(bot, NEW) == [profile_texts.NUMBER_IN_USE]
    async with world.connect() as connection:
        holders = await connection.execute(text(
            f"SELECT user_id FROM personnel WHERE whatsapp = '{NEW}'"))
        assert holders.all() == [("87020993",)]


async def test_a_restart_mid_flow_continues_at_the_same_step(world, redis) -> None:
    settings = load_settings()
    async with SandboxBot(settings, world, redis) as first:
        for line in ("userrequest", "ya", "ya", "5"):
            await first.send(said(BUDI, line))
    async with SandboxBot(settings, world, redis) as second:
        await second.send(said(BUDI, "@sesudah.restart"))
        replies = await _texts(second, BUDI)
    assert any("*@sesudah.restart*" in reply for reply in replies)
    async with world.connect() as connection:
        assert await connection.scalar(text(
            "SELECT instagram FROM personnel WHERE user_id = '87020991'")) == "sesudah.restart"


async def test_a_repeated_message_id_is_answered_once(bot) -> None:
    await _inject_together(bot, _message(NEW, "halo", message_id="SAMA"),
                           _message(NEW, "halo", message_id="SAMA"))
    assert len(await _texts(bot, NEW)) == 1


async def test_a_message_is_marked_handled_in_its_own_commit(bot, redis) -> None:
    """No round trip of its own: the mark is written with the context and replies."""
    batcher = bot.service.conversations.batcher
    before = batcher.round_trips
    await bot.service.transport("user").inject(_message(NEW, "halo", message_id="EIGEN"))
    assert batcher.round_trips == before + 2  # the first read and the commit
    assert await redis.exists(f"inbound:seen:user:{NEW}@s.whatsapp.net:EIGEN")


async def test_kembali_goes_back_one_step(bot) -> None:
    for line in ("userrequest", "ya", "ya", "2"):
        await bot.send(said(BUDI, line))
    await bot.new_outbound()
    await bot.send(said(BUDI, "kembali"))
    [reply] = await _texts(bot, BUDI)
    assert "Pilih data yang ingin diubah" in reply
    await bot.send(said(BUDI, "5"))
    assert "link profil Instagram" in (await _texts(bot, BUDI))[0]
    await bot.send(said(NEW, "halo"))
    await bot.send(said(NEW, "kembali"))
    replies = await _texts(bot, NEW)
    assert replies[-2] == texts.NO_PREVIOUS_STEP and "NRP/NIP" in replies[-1]


async def test_menu_is_for_the_identity_and_closes_the_flow(bot) -> None:
    await bot.send(said(NEW, "halo"))
    await bot.send(said(NEW, "menu"))
    menu = (await _texts(bot, NEW))[-1]
    assert "hubungkan nomor WhatsApp ini" in menu and "notifwa" not in menu
    await bot.send(said(BUDI, "menu"))
    assert "notifwa#off" in (await _texts(bot, BUDI))[0]
    await bot.send(said(NEW, "87020990"))  # the flow was closed: a fresh start
    assert "*87020990* ditemukan" in (await _texts(bot, NEW))[0]


def _turns(world, redis, flow: Flow) -> ConversationTurns:
    """The bot's handler of inbound messages over an engine that knows only `flow`."""
    return ConversationTurns(ConversationEngine(Services(world, redis, load_settings(), clock),
                                                FlowRegistry([flow], [flow], {})), redis)


class Exploding(Flow):
    name = "exploding"
    keywords = frozenset({"ledak"})

    armed = State("siap")

    @armed.on_message
    async def explode(self, turn: Turn) -> None:
        raise RuntimeError("a bug in a flow")


async def test_an_internal_error_is_an_apology_and_the_chat_starts_over(world, redis) -> None:
    engine = _turns(world, redis, Exploding())
    identity = await resolve_identity(world, NEW)
    await engine.handle(_message(NEW, "ledak"), identity)
    await engine.handle(_message(NEW, "apa saja"), identity)
    entries = await redis.xrange("outbox:user")
    assert [e[1]["body"] for e in entries] == ["siap", texts.INTERNAL_ERROR]
    assert await engine.store.peek("user", f"{NEW}@s.whatsapp.net") is None


class Forwarding(Flow):
    """Answers the sender and forwards to a number that may be malformed (stored data)."""

    name = "forwarding"

    waiting = State("masih menunggu")

    def wants(self, turn: Turn) -> bool:
        return turn.word.startswith("teruskan")

    async def start(self, turn: Turn) -> None:
        turn.send(turn.text.split()[1], "diteruskan")
        turn.say("sudah diteruskan")

    @waiting.on_message
    async def still_waiting(self, turn: Turn) -> None:
        await turn.flow.ask(turn)


def _forwarding_engine(world, redis) -> ConversationTurns:
    return _turns(world, redis, Forwarding())


async def test_a_reply_to_a_malformed_number_is_dropped_and_the_rest_goes_on(world,
                                                                              redis) -> None:
    engine = _forwarding_engine(world, redis)
    identity = await resolve_identity(world, NEW)
    await engine.handle(_message(NEW, "teruskan 12ab"), identity)
    entries = await redis.xrange("outbox:user")
    assert [(e[1]["to"], e[1]["body"]) for e in entries] == [
        (f"{NEW}@s.whatsapp.net", "sudah diteruskan")]
    context = await engine.store.peek("user", f"{NEW}@s.whatsapp.net")
    assert context is not None and (context.flow, context.state) == ("forwarding", "waiting")


async def test_replies_are_queued_when_redis_lost_its_scripts(world, redis) -> None:
    engine = _forwarding_engine(world, redis)
    identity = await resolve_identity(world, NEW)
    await redis.script_flush()  # as after a Redis restart without persistence of scripts
    await engine.handle(_message(NEW, f"teruskan {SECOND}"), identity)
    await redis.script_flush()
    await engine.handle(_message(NEW, "lagi"), identity)
    entries = await redis.xrange("outbox:user")
    assert [(e[1]["to"], e[1]["body"]) for e in entries] == [
        (f"{SECOND}@s.whatsapp.net", "diteruskan"), (f"{NEW}@s.whatsapp.net", "sudah diteruskan"),
        (f"{NEW}@s.whatsapp.net", "masih menunggu")]
    context = await engine.store.peek("user", f"{NEW}@s.whatsapp.net")
    assert context is not None and context.state == "waiting" and context.version == 2


class RedisGoesAway(Flow):
    """While the flow works (after the turn read its context), Redis goes away for a moment."""

    name = "redis_goes_away"
    keywords = frozenset({"putus"})

    done = State("sudah")

    def __init__(self, proxy: SocketProxy, port: int) -> None:
        self.proxy, self.port = proxy, port

    async def start(self, turn: Turn) -> None:
        self.proxy.stop()
        asyncio.get_running_loop().call_later(
            0.3, lambda: asyncio.ensure_future(self.proxy.start(self.port)))
        turn.say("tetap sampai")

    @done.on_message
    async def again(self, turn: Turn) -> None:
        turn.say("sudah")


async def test_a_reply_waits_out_a_redis_restart_in_the_middle_of_a_turn(world, redis,
                                                                        redis_url) -> None:
    import redis.asyncio as aioredis

    proxy = SocketProxy(redis_url.removeprefix("unix://"))
    port = await proxy.start()
    through_proxy = aioredis.Redis(host="127.0.0.1", port=port, decode_responses=True)
    engine = _turns(world, through_proxy, RedisGoesAway(proxy, port))
    engine.retry_delays = (0.1,) * 20
    identity = await resolve_identity(world, NEW)
    try:
        await engine.handle(_message(NEW, "putus"), identity)
    finally:
        proxy.stop()
        await through_proxy.aclose()
    entries = await redis.xrange("outbox:user")
    assert [(e[1]["to"], e[1]["body"]) for e in entries] == [
        (f"{NEW}@s.whatsapp.net", "tetap sampai")]
    context = await ContextStore(redis, 300).peek("user", f"{NEW}@s.whatsapp.net")
    assert context is not None and (context.flow, context.state) == ("redis_goes_away", "done")


async def test_while_the_database_is_away_the_sender_is_asked_to_try_again(world,
                                                                           redis) -> None:
    """The bot as it runs: PostgreSQL unreachable for longer than the pipeline waits, then
    back. The officer hears why nothing happened, once, and is answered as usual later."""
    from storage.db import create_engine

    port = free_port()
    away = create_engine(tcp_url(world, port))
    proxy = PgProxy(world)
    try:
        async with SandboxBot(load_settings(), away, redis) as bot:
            bot.service.pipeline.retry_delays = (0.05, 0.05)
            await bot.send(said(BUDI, "userrequest"))
            await bot.send(said(BUDI, "halo", group="120363012345678901@g.us"))
            assert [(f["to"], f["text"]) for f in await bot.new_outbound()] == [
                (f"{BUDI}@s.whatsapp.net", texts.INTERNAL_ERROR)]  # a group hears nothing
            await proxy.start(port)
            await bot.send(said(BUDI, "userrequest"))
            [reply] = await bot.new_outbound()
            assert "BUDI SANTOSO" in reply["text"]
            assert "Apakah data di atas milik Anda" in reply["text"]
    finally:
        await away.dispose()
        proxy.stop()


async def test_cicero_chat_registers_updates_instagram_and_turns_reminders_off(world, cli_env):
    typed = "\n".join(["halo", "87020990", "ya", "ya", "5", "@agus.baru", "tidak",
                       "notifwa#off", ""])
    result = await asyncio.to_thread(run_cli, "chat", "--as", "081200000001", env=cli_env,
                                     stdin=typed)
    assert result.returncode == 0, result.stderr
    for expected in ("NRP/NIP", "berhasil dihubungkan", "link profil Instagram", "@agus.baru",
                     "Sesi ditutup", "dinonaktifkan"):
        assert expected in result.stdout, result.stdout

    async with world.connect() as connection:
        stored = (await connection.execute(text(
            "SELECT whatsapp, instagram, wa_notification_opt_in FROM personnel "
            "WHERE user_id = '87020990'"))).one()
    assert tuple(stored) == ("6281200000001", "agus.baru", False)


async def test_the_bot_does_not_hang_behind_a_long_writer(world, cli_env):
    """The bot's engine gives up on a lock after REQUEST_LOCK_TIMEOUT: the sender gets the
    apology at once instead of a reply minutes later, and nothing is half written."""
    async with world.connect() as writer:
        transaction = await writer.begin()
        await writer.execute(text(
            "SELECT 1 FROM personnel WHERE user_id = '87020990' FOR UPDATE"))
        result = await asyncio.to_thread(
            run_cli, "chat", "--as", "081200000001", env={**cli_env,
                                                         "REQUEST_LOCK_TIMEOUT": "0.3"},
            stdin="halo\n87020990\nya\n", timeout=90)
        await transaction.rollback()
    assert result.returncode == 0, result.stderr
    assert texts.INTERNAL_ERROR in result.stdout, result.stdout
    assert "berhasil dihubungkan" not in result.stdout
    async with world.connect() as connection:
        assert await connection.scalar(text(
            "SELECT whatsapp FROM personnel WHERE user_id = '87020990'")) is None


async def test_notifwa_in_the_middle_of_a_flow_is_heard_and_the_flow_goes_on(bot, world) -> None:
    for line in ("userrequest", "ya", "ya", "5"):
        await bot.send(said(BUDI, line))
    await bot.new_outbound()
    await bot.send(said(BUDI, "notifwa#on"))
    assert "*diaktifkan*" in (await _texts(bot, BUDI))[0]
    await bot.send(said(BUDI, "@tetap.jalan"))
    assert any("*@tetap.jalan*" in reply for reply in await _texts(bot, BUDI))


async def test_a_complaint_in_the_middle_of_a_flow_replaces_it(bot) -> None:
    for line in ("userrequest", "ya", "ya", "5"):
        await bot.send(said(BUDI, line))
    await bot.new_outbound()
    await bot.send(said(BUDI, "Pesan Komplain\nNRP : 87020991\nKendala\n"
                              "- Sudah melaksanakan Instagram belum terdata"))
    assert any("@budi.s" in reply for reply in await _texts(bot, BUDI))
    await bot.send(said(BUDI, "@bukan.lagi"))  # the profile flow is over: a fresh start
    assert "Identitas Anda" in (await _texts(bot, BUDI))[0]
