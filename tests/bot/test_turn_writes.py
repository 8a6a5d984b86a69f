"""A turn's writes reach Redis as written: one script call, any text intact."""

from __future__ import annotations

from bot.chat_contexts import ContextStore
from bot.inbound import Receipt
from bot.outbox import encode_enqueue, stream_key
from bot.redis_batch import RedisBatcher
from bot.turn_writes import TurnWrites
from conversations.context import ChatContext

CHAT = "6281200000001@s.whatsapp.net"
TEXT = 'Sudah ✅ 👮‍♂️ "kutip" \\ garis\nbaru\ttab ünïcödé \x00 akhir'


async def test_every_write_of_a_turn_lands_in_one_round_trip(redis) -> None:
    batcher = RedisBatcher(redis)
    store = ContextStore(redis, idle_seconds=300)
    context = ChatContext(flow="profile", state="ask_value", data={"nama": "Ayu 🌸", "n": 2})
    receipt = Receipt("inbound:seen:user:x:1", 3600)
    writes = TurnWrites(receipt=receipt, timers_key="test:timers",
                        context=store.write("user", CHAT, context, 1_764_748_800.123456),
                        timers={"warning": 1_764_749_040.123456, "nudge": 1_764_748_890.5})
    writes.enqueues = [encode_enqueue("user", CHAT, TEXT, "reply:1"),
                       encode_enqueue("gateway", "6281200000002", "kedua", "reply:2")]
    await TurnWrites().run(batcher)  # writes nothing; Redis learns the script
    before = batcher.round_trips
    await writes.run(batcher)

    assert batcher.round_trips == before + 1 and receipt.staged
    assert await redis.get(receipt.key) == "1" and 3590 < await redis.ttl(receipt.key) <= 3600
    saved = await store.peek("user", CHAT)
    assert saved is not None and saved.data == {"nama": "Ayu 🌸", "n": 2}
    assert (saved.version, saved.last_active) == (1, 1_764_748_800.123456)
    assert 290 < await redis.ttl(f"conv:user:{CHAT}") <= 300
    assert await redis.exists(f"conv:user:{CHAT}:had")
    assert await redis.zrange("test:timers", 0, -1, withscores=True) == [
        ("nudge", 1_764_748_890.5), ("warning", 1_764_749_040.123456)]
    [(_, first)] = await redis.xrange(stream_key("user"))
    assert (first["to"], first["body"], first["key"]) == (CHAT, TEXT.strip(), "reply:1#1")
    [(_, second)] = await redis.xrange(stream_key("gateway"))
    assert (second["to"], second["body"]) == ("6281200000002@s.whatsapp.net", "kedua")

    await writes.run(batcher)  # a redelivered message: its replies are not queued twice
    assert await redis.xlen(stream_key("user")) == 1


async def test_an_ended_context_is_deleted_with_its_marker(redis) -> None:
    batcher = RedisBatcher(redis)
    store = ContextStore(redis, idle_seconds=300)
    context = ChatContext(flow="profile", state="ask_field")
    await TurnWrites(context=store.write("user", CHAT, context, 1.0)).run(batcher)
    assert await redis.exists(f"conv:user:{CHAT}", f"conv:user:{CHAT}:had") == 2
    context.reset()
    await TurnWrites(context=store.write("user", CHAT, context, 2.0)).run(batcher)
    assert await redis.exists(f"conv:user:{CHAT}", f"conv:user:{CHAT}:had") == 0


async def test_scripts_lost_by_redis_are_loaded_again(redis) -> None:
    batcher = RedisBatcher(redis)
    await redis.script_flush()
    await TurnWrites(enqueues=[encode_enqueue("user", CHAT, "halo", "k")]).run(batcher)
    assert await redis.xlen(stream_key("user")) == 1
