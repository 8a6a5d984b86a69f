"""Benchmark of the inbound path and of the outbox enqueue rate (not a test).

    python bench/inbound.py [--chats 1000] [--messages 4] [--concurrency 64]

    python bench/inbound.py [--chats 1000] [--messages 4] [--concurrency 64] [--rate 1500]
                            [--consumers] [--enqueue 20000]
                            [--profile {saturation,paced,stream} [--profile-file F]]

Starts the embedded PostgreSQL and Redis in a temporary folder, migrates, seeds the small demo
organisation plus 3 x `--chats` synthetic people (60% linked officers, 30% officers who link
their number during the run, 10% unknown numbers), then runs a BotService on the sandbox
transport with the business clock frozen. Every chat sends `--messages` realistic messages
(`userrequest`, `ya`, `tidak`, `notifwa#on`, an NRP, `batal`, ...), interleaved across chats as
a transport delivers them. Latency is one `pipeline.receive(message)` end to end: dedup, group
check, identity, conversation engine (context, flow and its database work), timers, and the
replies enqueued in the outbox. Each phase uses its own chats:

1. saturation: at most `--concurrency` messages in flight (closed loop): the msg/s ceiling;
   the latency here is mostly queueing (in flight / rate).
2. paced: messages offered at `--rate` msg/s (open loop), latency from the moment a message
   was due: p50/p95/p99 at that load.
3. stream: `submit_inbound` into the Redis stream the sandbox transport reads, i.e. the
   transport's own reader delivers, with up to 200 messages waiting in the stream: the ceiling
   msg/s from the first submission until the last message was handled; latency of each receive
   as seen by the transport, and from submission to handled (mostly the wait in the stream).
4. the outbox enqueue rate: single `enqueue` (sequential and 200 in flight) and
   `enqueue_many`, on a session no consumer reads.

The outbox consumers are not running while a phase is measured (in production they send a
few messages per second per session, paced); after each phase they drain the outbox at pace 0
and every chat's replies, as recorded by the sandbox transport, are checked against the
expected conversation (a newly linked number must be recognised on its next message). A digest
of all replies is printed, so runs before and after a change can be compared. `--consumers`
keeps them running at pace 0 during the measurement too (the worst case: they share the
process's one core). Goals: >= 1,500 msg/s and p99 <= 15 ms on 2 cores for the inbound path,
>= 5,000 msg/s for the outbox enqueue.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import hashlib
import io
import os
import pstats
import sys
import tempfile
import time
import uuid
import warnings
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
warnings.filterwarnings("ignore")

import redis.asyncio as aioredis  # noqa: E402
from harness import open_loop  # noqa: E402

from bot.messages import InboundMessage  # noqa: E402
from bot.outbox import OutboxPace, enqueue, enqueue_many, settled, stream_key  # noqa: E402
from bot.sandbox import SandboxTransport, read_outbound, submit_inbound  # noqa: E402
from bot.service import BotService  # noqa: E402
from cicero.clock import clock  # noqa: E402
from cicero.embedded import EmbeddedServices  # noqa: E402
from cicero.logs import configure_logging  # noqa: E402
from cicero.runtime import freeze_startup_heap, upgrade_database  # noqa: E402
from cicero.settings import load_settings  # noqa: E402
from demo.seed import seed_demo  # noqa: E402
from menus import notifications as notification_texts  # noqa: E402
from menus import profile as profile_texts  # noqa: E402
from storage.db import create_engine  # noqa: E402

SESSION = "user"
NOW = datetime(2025, 12, 6, 10, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
PACE_ZERO = OutboxPace(per_session_interval=0, per_chat_interval=0, jitter=0)
CLIENT = "POLRES_LAMONGAN"
ENQUEUE_SESSION = "bench"  # no consumer reads it
SETTLE_SECONDS = 120.0

# What each kind of chat says, cycled when --messages is longer.
LINKED = ("userrequest", "ya", "tidak", "notifwa#on")  # a known officer
UNLINKED = ("{nrp}", "ya", "tidak", "userrequest")  # links the number, then is recognised
STRANGER = ("userrequest", "99999999", "batal", "notifwa#on")  # an unknown number


@dataclass(frozen=True)
class Chat:
    kind: str  # "linked" | "unlinked" | "stranger"
    phone: str
    nrp: str

    @property
    def jid(self) -> str:
        return f"{self.phone}@s.whatsapp.net"

    def script(self, count: int) -> list[str]:
        lines = {"linked": LINKED, "unlinked": UNLINKED, "stranger": STRANGER}[self.kind]
        return [lines[n % len(lines)].format(nrp=self.nrp) for n in range(count)]


def _chats(first: int, count: int) -> list[Chat]:
    """60% known officers, 30% officers who link their number, 10% strangers."""
    chats = []
    for n in range(first, first + count):
        kind = ("linked", "linked", "linked", "linked", "linked", "linked",
                "unlinked", "unlinked", "unlinked", "stranger")[n % 10]
        chats.append(Chat(kind, f"62899{n:07d}", f"7{n:07d}"))
    return chats


async def _seed(engine, chats: list[Chat]) -> None:
    with clock.frozen(NOW):
        await seed_demo(engine, scale="small", today=NOW.date())
    rows = [{"user_id": c.nrp, "name": f"BENCH {c.nrp}", "client_id": CLIENT,
             "whatsapp": c.phone if c.kind == "linked" else None}
            for c in chats if c.kind != "stranger"]
    async with engine.begin() as connection:
        await connection.execute(text(
            "INSERT INTO personnel (user_id, name, rank, satfung, jabatan, client_id, whatsapp) "
            "VALUES (:user_id, :name, 'BRIPKA', 'SAT BINMAS', 'BA SAT BINMAS', :client_id, "
            ":whatsapp)"), rows)
        await connection.execute(text("ANALYZE personnel"))


def _plan(chats: list[Chat], per_chat: int, run: str) -> list[InboundMessage]:
    """All messages in arrival order: round n of every chat before round n + 1."""
    scripts = [chat.script(per_chat) for chat in chats]
    return [InboundMessage(session=SESSION, message_id=f"{run}{n:03d}{i:06d}", chat=chat.jid,
                           sender=chat.phone, text=script[n], timestamp=NOW)
            for n in range(per_chat) for i, (chat, script) in enumerate(zip(chats, scripts,
                                                                           strict=True))]


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def _print_rates(label: str, count: int, elapsed: float, latencies: list[float],
                 cpu: _Cpu) -> float:
    rate = count / elapsed
    steal = "" if cpu.steal is None else f"  VM steal {cpu.steal * 1000:4.0f} ms"
    print(f"{label:<30} {count:>5} msgs {elapsed:6.2f} s {rate:>6,.0f} msg/s  "
          f"p50 {_percentile(latencies, 0.50):6.2f}  p95 {_percentile(latencies, 0.95):6.2f}  "
          f"p99 {_percentile(latencies, 0.99):6.2f}  max {max(latencies):6.1f} ms  "
          f"cpu {cpu.seconds / count * 1e6:5.0f} us/msg{steal}")
    return rate


def _stolen_seconds() -> float | None:
    """CPU time the hypervisor gave to other guests, all CPUs (Linux; None elsewhere)."""
    try:
        with open("/proc/stat") as stat:
            fields = stat.readline().split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


class _Cpu:
    """CPU seconds this process spends inside the block (the bot's one core), and the CPU time
    stolen from this VM meanwhile (a run that misses its goal in a noisy minute shows it)."""

    def __enter__(self) -> _Cpu:
        self.seconds, self._start = 0.0, time.process_time()
        self.steal, self._stolen = None, _stolen_seconds()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.process_time() - self._start
        stolen = _stolen_seconds()
        if stolen is not None and self._stolen is not None:
            self.steal = stolen - self._stolen


def _injector(service: BotService) -> SandboxTransport:
    transport = service.transport(SESSION)
    assert isinstance(transport, SandboxTransport)
    return transport


async def _run_closed(service: BotService, messages: list[InboundMessage],
                      concurrency: int) -> tuple[float, list[float]]:
    """At most `concurrency` messages in flight; a new one starts when one ends."""
    transport = _injector(service)
    latencies: list[float] = []
    room = asyncio.Semaphore(concurrency)

    async def one(message: InboundMessage) -> None:
        try:
            began = time.perf_counter()
            await transport.inject(message)
            latencies.append((time.perf_counter() - began) * 1000)
        finally:
            room.release()

    started = time.perf_counter()
    tasks = []
    for message in messages:  # tasks start in this order: each chat's turn is taken in order
        await room.acquire()
        tasks.append(asyncio.create_task(one(message)))
    await asyncio.gather(*tasks)
    return time.perf_counter() - started, latencies


async def _run_paced(service: BotService, messages: list[InboundMessage],
                     rate: float) -> tuple[float, list[float]]:
    """Message i is due at i / rate seconds; its latency counts from then (open loop)."""
    transport = _injector(service)
    return await open_loop(transport.inject, [(n / rate, message)
                                              for n, message in enumerate(messages)])


async def _run_stream(redis: aioredis.Redis, handled: list[float],
                      submitted_at: dict[str, float], messages: list[InboundMessage]) -> float:
    """Submit through the Redis stream, 100 messages per round trip while fewer than 200 wait
    (a backlog the reader reads in batches, as after a burst), and wait until the transport
    handed every message to the pipeline."""
    started = time.perf_counter()
    submitted = 0
    deadline = time.monotonic() + 300
    while len(handled) < len(messages):
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {len(handled)} of {len(messages)} handled")
        if submitted < len(messages) and submitted - len(handled) < 200:
            chunk = messages[submitted:submitted + 100]
            for message in chunk:
                submitted_at[message.message_id] = time.perf_counter()
            await submit_inbound(redis, *chunk)
            submitted += len(chunk)
        else:
            await asyncio.sleep(0.002)
    return time.perf_counter() - started


async def _settle(redis: aioredis.Redis) -> None:
    deadline = time.monotonic() + SETTLE_SECONDS
    while not await settled(redis, SESSION):
        if time.monotonic() > deadline:
            raise TimeoutError("the outbox did not drain")
        await asyncio.sleep(0.05)


async def _check(redis: aioredis.Redis, chats: list[Chat], per_chat: int,
                 since: str) -> tuple[str, int]:
    """Compare every chat's replies with the expected conversation; return a digest of all
    replies (chat order, then sending order) and the number of replies."""
    replies: dict[str, list[str]] = {}
    for _, fields in await read_outbound(redis, since=since, session=SESSION):
        replies.setdefault(fields["to"], []).append(fields["text"])
    digest = hashlib.sha256()
    problems = []
    total = 0
    for chat in chats:
        got = replies.get(chat.jid, [])
        total += len(got)
        digest.update(("\x1e".join([chat.jid, *got]) + "\x1d").encode())
        problem = _expectation(chat, per_chat, got)
        if problem:
            problems.append(f"{chat.kind} {chat.phone}: {problem}")
    if problems:
        print(f"!! {len(problems)} chats answered unexpectedly, e.g.:")
        for line in problems[:5]:
            print("   " + line)
    return digest.hexdigest()[:16], total


def _expectation(chat: Chat, per_chat: int, got: list[str]) -> str | None:
    expected_counts = {"linked": [1, 1, 1, 1], "unlinked": [1, 2, 1, 1],
                       "stranger": [1, 1, 1, 1]}[chat.kind]
    if per_chat != 4:  # only the basic four-message script is checked line by line
        return None if got else "no reply at all"
    if len(got) != sum(expected_counts):
        return f"{len(got)} replies, expected {sum(expected_counts)}"
    if chat.kind == "linked":
        ok = ("Apakah data di atas milik Anda" in got[0] and got[1] == profile_texts.ASK_UPDATE
              and got[2] == profile_texts.CLOSED and got[3] == notification_texts.ENABLED)
    elif chat.kind == "unlinked":
        ok = (got[1] == profile_texts.linked(chat.nrp) and got[3] == profile_texts.CLOSED
              and "Apakah data di atas milik Anda" in got[4])  # recognised after linking
    else:
        ok = got[0] == profile_texts.ASK_NRP and got[3] == notification_texts.NOT_LINKED
    return None if ok else f"unexpected replies {[g[:40] for g in got]}"


async def _last_outbound(redis: aioredis.Redis) -> str:
    from bot.sandbox import SANDBOX_OUTBOUND

    last = await redis.xrevrange(SANDBOX_OUTBOUND, count=1)
    return last[0][0] if last else "0-0"


async def _enqueue_rates(redis: aioredis.Redis, count: int) -> None:
    def messages(run: str) -> list[tuple[str, str, str | None]]:
        return [(f"62812{n % 1000:08d}", f"Terima kasih. Balasan nomor {n}.", f"{run}-{n}")
                for n in range(count)]

    async def timed(label: str, work: Callable[[], Awaitable[object]]) -> None:
        await redis.delete(stream_key(ENQUEUE_SESSION))
        started = time.perf_counter()
        await work()
        elapsed = time.perf_counter() - started
        print(f"{label:<44} {count:>6} msgs {elapsed:6.2f} s {count / elapsed:>8,.0f} msg/s")

    async def sequential(batch: list) -> None:
        for to, body, key in batch:
            await enqueue(redis, ENQUEUE_SESSION, to, body, key=key)

    async def gathered(batch: list, width: int = 200) -> None:
        for start in range(0, len(batch), width):
            await asyncio.gather(*(enqueue(redis, ENQUEUE_SESSION, to, body, key=key)
                                   for to, body, key in batch[start:start + width]))

    async def many(batch: list) -> None:
        await enqueue_many(redis, ENQUEUE_SESSION, batch)

    async def one_reply_each(batch: list) -> None:  # as the engine does: one call per message
        for to, body, key in batch:
            await enqueue_many(redis, ENQUEUE_SESSION, [(to, body, key)])

    await timed("enqueue, sequential awaits", lambda: sequential(messages("seq")))
    await timed("enqueue, 200 in flight (asyncio.gather)", lambda: gathered(messages("gat")))
    await timed("enqueue_many, one call for all", lambda: many(messages("many")))
    await timed("enqueue_many, one call per message", lambda: one_reply_each(messages("one")))
    await redis.delete(stream_key(ENQUEUE_SESSION))


class _Bench:
    """The bot under test, its chats, and the check after each phase."""

    def __init__(self, args: argparse.Namespace, service: BotService,
                 redis: aioredis.Redis) -> None:
        self.args, self.service, self.redis = args, service, redis
        self.consumers = service.consumers
        if not args.consumers:
            service.consumers = []  # started by drain() after the measurement
        self.run_id = uuid.uuid4().hex[:6].upper()

    def plan(self, chats: list[Chat], phase: str, per_chat: int | None = None
             ) -> list[InboundMessage]:
        return _plan(chats, per_chat or self.args.messages, phase + self.run_id)

    async def drain_and_check(self, chats: list[Chat], since: str) -> None:
        tasks = [] if self.args.consumers else [asyncio.create_task(c.run())
                                                for c in self.consumers]
        try:
            await _settle(self.redis)
        finally:
            for consumer in ([] if self.args.consumers else self.consumers):
                await consumer.stop()
            await asyncio.gather(*tasks)
        if chats:
            digest, replies = await _check(self.redis, chats, self.args.messages, since)
            print(f"{'':30} {replies} replies checked, digest {digest}")


def _command_counts(before: dict, after: dict) -> Counter[str]:
    """Redis commands run between two `INFO commandstats` readings, by name."""
    def calls(stats: dict) -> Counter[str]:
        return Counter({name.removeprefix("cmdstat_"): int(value["calls"])
                        for name, value in stats.items() if name != "cmdstat_info"})

    return calls(after) - calls(before)


@contextlib.contextmanager
def _profiling(profiler: cProfile.Profile | None) -> Iterator[None]:
    if profiler is None:
        yield
        return
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()


def _print_profile(profiler: cProfile.Profile, phase: str, path: str | None) -> None:
    if path:
        profiler.dump_stats(path)
        print(f"\n{phase} phase profile written to {path}")
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(30)
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if "ncalls" in line)
        print(f"\n{phase} phase under cProfile (slower), top 30 by {order}:")
        print("\n".join(lines[start:]).rstrip())


async def main(args: argparse.Namespace, home: Path) -> None:
    with EmbeddedServices(home, None, None) as services:
        assert services.database_url and services.redis_url
        await asyncio.to_thread(upgrade_database, services.database_url)
        engine = create_engine(services.database_url)
        redis = aioredis.Redis.from_url(services.redis_url, decode_responses=True,
                                        max_connections=512)
        phases = {name: _chats(n * args.chats, args.chats)
                  for n, name in enumerate(("saturation", "paced", "stream"))}
        warm_chats = _chats(3 * args.chats, 100)
        try:
            started = time.perf_counter()
            await _seed(engine, [c for chats in phases.values() for c in chats] + warm_chats)
            print(f"seeded the small demo + {3 * args.chats + 100:,} bench people in "
                  f"{time.perf_counter() - started:.1f} s")
            settings = load_settings(database_url=services.database_url,
                                     redis_url=services.redis_url, wa_transport="sandbox")
            service = BotService(settings, engine, redis, pace=PACE_ZERO,
                                 transport_factory=lambda s: SandboxTransport(redis, s))
            bench = _Bench(args, service, redis)
            handled: list[float] = []  # receive latencies as seen by the transport (ms)
            end_to_end: list[float] = []  # from submit_inbound to handled (ms)
            submitted_at: dict[str, float] = {}
            receive = service.pipeline.receive

            async def timed_receive(message: InboundMessage) -> bool:
                began = time.perf_counter()
                try:
                    return await receive(message)
                finally:
                    done = time.perf_counter()
                    handled.append((done - began) * 1000)
                    if (submitted := submitted_at.pop(message.message_id, None)) is not None:
                        end_to_end.append((done - submitted) * 1000)

            service.pipeline.receive = timed_receive  # type: ignore[method-assign]
            count = args.chats * args.messages
            print(f"{args.chats:,} chats x {args.messages} messages per phase, session "
                  f"{SESSION!r}, outbox consumers "
                  f"{'at pace 0 during' if args.consumers else 'stopped while'} measuring\n")
            with clock.frozen(NOW):
                await service.start()
                try:
                    # warm-up: connections, scripts, plans (own chats, not measured)
                    since = await _last_outbound(redis)
                    await _run_closed(service, bench.plan(warm_chats, "W", 4), args.concurrency)
                    await bench.drain_and_check([], since)
                    freeze_startup_heap()  # as `cicero bot` does once its service is up

                    since = await _last_outbound(redis)
                    profiler = cProfile.Profile() if args.profile else None
                    profiled = profiler if args.profile == "saturation" else None
                    commands_before = await redis.info("commandstats")
                    batcher = service.conversations.batcher
                    trips_before = batcher.round_trips
                    with _Cpu() as cpu, _profiling(profiled):
                        elapsed, latencies = await _run_closed(
                            service, bench.plan(phases["saturation"], "A"), args.concurrency)
                    commands = _command_counts(commands_before,
                                               await redis.info("commandstats"))
                    ceiling = _print_rates(f"saturation ({args.concurrency} in flight)", count,
                                           elapsed, latencies, cpu)
                    print(f"{'':30} Redis commands per message: " + ", ".join(
                        f"{name} {calls / count:.2f}" for name, calls in commands.most_common()))
                    trips = (batcher.round_trips - trips_before) / count
                    print(f"{'':30} shared Redis round trips (dedup + context read, commit) per "
                          f"message: {trips:.2f} (2 unshared)")
                    await bench.drain_and_check(phases["saturation"], since)

                    since = await _last_outbound(redis)
                    profiled = profiler if args.profile == "paced" else None
                    trips_before = batcher.round_trips
                    with _Cpu() as cpu, _profiling(profiled):
                        elapsed, paced = await _run_paced(
                            service, bench.plan(phases["paced"], "P"), args.rate)
                    _print_rates(f"paced (offered {args.rate:,.0f} msg/s)", count, elapsed, paced,
                                 cpu)
                    trips = (batcher.round_trips - trips_before) / count
                    print(f"{'':30} shared Redis round trips per message: {trips:.2f}")
                    await bench.drain_and_check(phases["paced"], since)

                    since = await _last_outbound(redis)
                    handled.clear()
                    commands_before = await redis.info("commandstats")
                    profiled = profiler if args.profile == "stream" else None
                    with _Cpu() as cpu, _profiling(profiled):
                        elapsed = await _run_stream(redis, handled, submitted_at,
                                                    bench.plan(phases["stream"], "S"))
                    _print_rates("stream (sandbox reader)", count, elapsed, handled, cpu)
                    commands = _command_counts(commands_before,
                                               await redis.info("commandstats"))
                    print(f"{'':30} Redis commands per message: " + ", ".join(
                        f"{name} {calls / count:.2f}" for name, calls in commands.most_common()))
                    print(f"{'':30} submit -> handled: p50 {_percentile(end_to_end, 0.5):.1f}  "
                          f"p95 {_percentile(end_to_end, 0.95):.1f}  "
                          f"p99 {_percentile(end_to_end, 0.99):.1f} ms")
                    await bench.drain_and_check(phases["stream"], since)
                finally:
                    await service.stop()
            if profiler is not None:
                _print_profile(profiler, args.profile, args.profile_file)
            p99 = _percentile(paced, 0.99)
            met = ceiling >= 1500 and p99 <= 15
            print(f"\ngoal >= 1,500 msg/s and p99 <= 15 ms: {'met' if met else 'NOT met'} "
                  f"(ceiling {ceiling:,.0f} msg/s; p99 {p99:.1f} ms at {args.rate:,.0f} msg/s "
                  f"offered)\n")
            await _enqueue_rates(redis, args.enqueue)
        finally:
            await redis.aclose()
            await engine.dispose()


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=1_000)
    parser.add_argument("--messages", type=int, default=4, help="messages per chat")
    parser.add_argument("--concurrency", type=int, default=64,
                        help="messages in flight at once (saturation phase)")
    parser.add_argument("--rate", type=float, default=1_500,
                        help="offered msg/s (paced phase)")
    parser.add_argument("--consumers", action="store_true",
                        help="run the outbox consumers (pace 0) while measuring too")
    parser.add_argument("--profile", choices=("saturation", "paced", "stream"),
                        help="run this phase under cProfile and print the top functions")
    parser.add_argument("--profile-file", help="also write the phase's pstats to this file")
    parser.add_argument("--enqueue", type=int, default=20_000,
                        help="messages per outbox enqueue measurement")
    args = parser.parse_args()
    configure_logging("WARNING")
    with tempfile.TemporaryDirectory(prefix="cicero-bench-inbound-") as folder:
        asyncio.run(main(args, Path(folder)))


if __name__ == "__main__":
    run()
