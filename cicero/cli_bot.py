"""`cicero bot`, `cicero chat` and `cicero sandbox replay`."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import select
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from redis.asyncio import Redis

from cicero.cli import console, fail, settings_or_exit
from cicero.runtime import Runtime, check_migrated, freeze_startup_heap, runtime

sandbox_app = typer.Typer(help="Transport sandbox: percakapan tanpa WhatsApp.",
                          no_args_is_help=True)
_REMOTE_QUIET = 1.5  # seconds without a new reply before the next line is read (remote bot)
_REMOTE_WAIT = 15.0


async def _with_resources(rt: Runtime, work) -> Any:
    """The bot's engine (a request path: statements fail fast behind a long writer) and
    Redis, around `work(engine, redis)`."""
    from storage.db import create_request_engine

    engine = create_request_engine(rt.database_url,
                                   lock_timeout=rt.settings.request_lock_timeout,
                                   statement_timeout=rt.settings.request_statement_timeout)
    redis = Redis.from_url(rt.redis_url, decode_responses=True)
    try:
        return await work(engine, redis)
    finally:
        await redis.aclose()
        await engine.dispose()


async def run_bot(rt: Runtime, stop: asyncio.Event,
                  started: asyncio.Event | None = None) -> None:
    """The WhatsApp sessions until `stop` is set (also used by `cicero up`); `started` is set
    once they run. Raises bot.session_lease.SessionsOwned when another process serves one of
    them."""
    from bot.service import BotService, default_transport_factory

    async def work(engine, redis) -> None:
        service = BotService(rt.settings, engine, redis, transport_factory=
                             default_transport_factory(rt.settings, redis))
        await service.start()
        if started is not None:
            started.set()
        freeze_startup_heap()
        try:
            await stop.wait()
        finally:
            await service.stop()

    await _with_resources(rt, work)


def _print_message(fields: dict[str, Any]) -> None:
    from bot.messages import Document

    title = f"[bold green]{fields['session']}[/] → {fields['to']}"
    console.rule(title, align="left", style="green")
    if "document_filename" in fields:
        mimetype = fields.get("document_mimetype") or "application/octet-stream"
        kind = "🖼 Gambar" if Document("", b"", mimetype).is_image else "📎 Dokumen"
        size = f"{int(fields['document_bytes']):,}".replace(",", ".")
        console.print(f"{kind}: {fields['document_filename']} ({mimetype}, {size} byte)",
                      highlight=False, markup=False, soft_wrap=True)
    if fields.get("text"):
        console.print(fields["text"], highlight=False, markup=False)


async def _chat(rt: Runtime, line_of, interactive: bool) -> None:
    from bot.sandbox import outbound_cursor, read_outbound, submit_inbound
    from bot.service import alive_key
    from cicero.clock import clock
    from cicero.messages import InboundMessage
    from cicero.sandbox_bot import SandboxBot
    from jobs.worker import run_queued_jobs

    async def work(engine, redis) -> None:
        probe = line_of("")
        if await redis.exists(alive_key(probe.session)):
            console.print("[dim]Terhubung ke bot yang sedang berjalan.[/]")
            cursor = await outbound_cursor(redis)
            while (text := await _read(interactive)) is not None:
                line = line_of(text)
                await submit_inbound(redis, InboundMessage(
                    line.session, f"CHAT{time.time_ns()}", line.chat, line.phone, text,
                    clock.now()))
                cursor = await _show_remote(redis, read_outbound, cursor, line.chat)
            return
        async with SandboxBot(rt.settings, engine, redis) as bot:
            while (text := await _read(interactive)) is not None:
                line = line_of(text)
                await bot.send(line)
                # No worker runs beside an in-process bot: the jobs this message queued (a
                # report, a fetch) run here, so their documents follow the reply.
                if await run_queued_jobs(rt.settings, rt.database_url, rt.redis_url):
                    await bot.settle()
                for fields in await bot.new_outbound():
                    if fields["to"] == line.chat:
                        _print_message(fields)

    await _with_resources(rt, work)


async def _show_remote(redis, read_outbound, cursor: str, chat: str) -> str:
    started = last_seen = time.monotonic()
    seen_any = False
    while time.monotonic() - started < _REMOTE_WAIT:
        rows = await read_outbound(redis, since=cursor)
        for row_id, fields in rows:
            cursor = row_id
            if fields["to"] == chat:
                _print_message(fields)
                seen_any, last_seen = True, time.monotonic()
        if seen_any and time.monotonic() - last_seen > _REMOTE_QUIET:
            break
        await asyncio.sleep(0.1)
    return cursor


BLOCK = '"""'  # a message of several lines (a WhatsApp template) is typed between two of these


async def _line(prompt: str) -> str | None:
    try:
        return await asyncio.to_thread(input, prompt)
    except EOFError:
        return None


def _pasted_lines() -> list[str]:
    """The rest of a block pasted into a terminal: lines already waiting on stdin."""
    lines = []
    while select.select([sys.stdin], [], [], 0.05)[0]:
        line = sys.stdin.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
    return lines


async def _block(first: str, interactive: bool) -> str:
    """The lines from an opening BLOCK marker to the closing one, as one message."""
    lines = [first.strip()[len(BLOCK):]]
    if lines[0].endswith(BLOCK):
        return lines[0][:-len(BLOCK)]
    while (line := await _line("...> " if interactive else "")) is not None:
        if line.rstrip().endswith(BLOCK):
            lines.append(line.rstrip()[:-len(BLOCK)])
            break
        lines.append(line)
    return "\n".join(lines).strip("\n")


async def _read(interactive: bool) -> str | None:
    """The next message typed, None at the end (EOF, Ctrl-D, /keluar). A message of several
    lines is typed between two BLOCK markers, or pasted at once into a terminal."""
    text = await _line("Anda> " if interactive else "")
    if text is None or text.strip().lower() in ("/keluar", "/exit", "/quit"):
        return None
    if text.strip().startswith(BLOCK):
        text = await _block(text, interactive)
    elif interactive:
        text = "\n".join([text, *_pasted_lines()])
    return text if text.strip() else await _read(interactive)


def register(app: typer.Typer) -> None:
    app.add_typer(sandbox_app, name="sandbox")

    @app.command()
    def bot() -> None:
        """Jalankan sesi WhatsApp, mesin percakapan dan outbox (tanpa web dan worker)."""
        from bot.session_lease import SessionsOwned

        settings = settings_or_exit()

        async def serve(rt: Runtime) -> None:
            started = asyncio.Event()
            task = asyncio.create_task(run_bot(rt, asyncio.Event(), started))
            await asyncio.wait([task, asyncio.create_task(started.wait())],
                               return_when=asyncio.FIRST_COMPLETED)
            if started.is_set():
                console.print(f"[bold green]Bot berjalan[/] ({settings.wa_transport}: "
                              f"{', '.join(settings.wa_sessions)}). Tekan Ctrl-C untuk berhenti.")
            await task

        try:
            with runtime(settings) as rt:
                check_migrated(rt.database_url)
                asyncio.run(serve(rt))
        except KeyboardInterrupt:
            pass
        except SessionsOwned as exc:
            raise fail(exc.message) from None
        console.print("Bot berhenti.")

    @app.command()
    def chat(
        phone: Annotated[str, typer.Option("--as", help="Nomor WhatsApp pengirim, mis. 0812…")],
        group: Annotated[str | None, typer.Option("--group", help="JID grup (…@g.us)")] = None,
        session: Annotated[str | None, typer.Option(
            "--session", help="operator, gateway atau user (bawaan: user; grup: operator)")]
        = None,
    ) -> None:
        """Mengobrol dengan bot lewat transport sandbox, langsung di terminal."""
        from bot.session_lease import SessionsOwned
        from cicero.sandbox_bot import said

        settings = settings_or_exit()
        try:
            said(phone, "", session=session, group=group)
        except ValueError as exc:
            raise fail(str(exc), code=2) from None
        interactive = sys.stdin.isatty()
        if interactive:
            console.print(f"Mengobrol sebagai [bold]{phone}[/]. Pesan beberapa baris: tempel "
                          'langsung, atau ketik di antara baris [bold]"""[/] dan [bold]"""[/]. '
                          "Ketik [bold]/keluar[/] untuk berhenti.", highlight=False)
        try:
            with runtime(settings) as rt:
                check_migrated(rt.database_url)
                asyncio.run(_chat(rt, lambda text: said(phone, text, session=session,
                                                        group=group), interactive))
        except KeyboardInterrupt:
            pass
        except SessionsOwned as exc:  # a bot serves some sessions, but not this chat's
            raise fail(exc.message) from None

    @sandbox_app.command("replay")
    def replay_command(
        file: Annotated[Path, typer.Argument(help="Berkas JSON lines (lihat README)")],
        now: Annotated[str | None, typer.Option("--now", help="Waktu awal, ISO 8601")] = None,
    ) -> None:
        """Putar percakapan berskrip; setiap pesan keluar dicetak sebagai satu baris JSON."""
        from cicero.clock import clock, parse_moment
        from cicero.replay_redis import NoReplayDatabase
        from cicero.sandbox_bot import ReplayFileError, parse_replay
        from jobs.schedule import by_key

        settings = settings_or_exit()
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            raise fail(f"tidak dapat membaca {file}: {exc.strerror}", code=2) from None
        try:
            steps = parse_replay(text, set(by_key()))
        except ReplayFileError as exc:
            raise fail(f"{file}: {exc}", code=2) from None
        try:
            start = parse_moment(now) if now else None
        except ValueError as exc:
            raise fail(f"--now: {exc}", code=2) from None
        with runtime(settings) as rt:
            check_migrated(rt.database_url)
            if start is not None:
                clock.set_now(start)
            try:
                asyncio.run(_replay(rt, steps))
            except NoReplayDatabase as exc:
                raise fail(str(exc)) from None


async def _replay(rt: Runtime, steps: list) -> None:
    """The replay's bot (and the jobs it runs) on a Redis database of its own
    (cicero/replay_redis.py): a bot running beside it keeps its sessions and messages."""
    from cicero.replay_redis import replay_database

    async with replay_database(rt.redis_url) as redis_url:
        await _replay_on(dataclasses.replace(rt, redis_url=redis_url), steps)


async def _replay_on(rt: Runtime, steps: list) -> None:
    from cicero.sandbox_bot import SandboxBot, outbound_line, replay
    from jobs.runner import execute
    from jobs.schedule import by_key
    from jobs.worker import close_context, open_context, run_queued_jobs

    async def work(engine, redis) -> None:
        context = await open_context(rt.settings, rt.database_url, rt.redis_url)
        try:
            # A script types faster than any person: no per-sender throttle for a replay.
            settings = rt.settings.model_copy(update={"inbound_rate_limit": 0})
            async with SandboxBot(settings, engine, redis) as bot:
                for kind, value in steps:
                    if kind == "say":
                        await bot.forget(value)

                async def run_job(key: str) -> None:
                    await execute(context, by_key()[key], force=True)

                def emit(fields: dict) -> None:
                    print(json.dumps(outbound_line(fields), ensure_ascii=False), flush=True)

                async def run_queued() -> None:
                    await run_queued_jobs(rt.settings, rt.database_url, rt.redis_url)

                await replay(bot, steps, run_job, emit, run_queued)
        finally:
            await close_context(context)

    with contextlib.suppress(KeyboardInterrupt):
        await _with_resources(rt, work)
