"""`cicero up` (everything in one process) and `cicero web`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
from collections.abc import Iterator
from typing import Annotated

import typer
import uvicorn

from cicero import demo_rapidapi
from cicero.cli import NowOption, console, fail, settings_or_exit, start_clock_at
from cicero.runtime import Runtime, runtime, upgrade_database

PortOption = Annotated[int | None, typer.Option("--port", help="Port web (bawaan: WEB_PORT/8000)")]
WorkersOption = Annotated[int, typer.Option(
    "--workers", min=1, help="Jumlah proses web yang melayani port yang sama (bawaan: 1)")]


DEMO_ADMIN = ("admin", "admin12345")  # the demo's page login; a real install uses `cicero account`


async def _demo_admin(engine) -> None:
    from storage.dashboard_users import NewAccount, create_approved_account
    from storage.models import DashboardRole
    from web.passwords import hash_password

    username, password = DEMO_ADMIN
    await create_approved_account(engine, NewAccount(
        username, await hash_password(password), DashboardRole.ADMIN, "", []))


async def _prepare_demo(rt: Runtime) -> tuple[str, object]:
    """Seed an empty database, and serve a fake RapidAPI over the demo's accounts so that
    the scheduled fetch runs have data that keeps changing. Returns (note, fake server)."""
    from demo.rapidapi import DEMO_API_KEY, start_demo_rapidapi
    from demo.seed import DatabaseNotEmpty, seed_demo
    from storage.db import create_engine

    engine = create_engine(rt.database_url)
    try:
        try:
            note = f"data demo diisi: {await seed_demo(engine, scale='small')}"
            await _demo_admin(engine)
        except DatabaseNotEmpty:
            note = "data yang ada dipakai lagi"
        fake = await start_demo_rapidapi(engine)
    finally:
        await engine.dispose()
    rt.settings = rt.settings.model_copy(update={
        "rapidapi_key": DEMO_API_KEY,  # the only key the fake accepts
        "rapidapi_instagram_url": fake.url, "rapidapi_tiktok_url": fake.url})
    return f"{note}; RapidAPI palsu di {fake.url}", fake


async def _serve(rt: Runtime, port: int, *, with_worker: bool = False) -> None:
    """The web app, and in `cicero up` the arq worker and the bot beside it in the same loop."""
    from web.app import create_app

    app = create_app(rt.settings, rt.database_url, rt.redis_url)
    app.state.runs_worker = with_worker  # /readyz then also needs the worker's heartbeat
    # log_config=None: uvicorn's lines go through our logging (cicero/logs.py) too
    config = uvicorn.Config(app, host=rt.settings.web_host, port=port, log_level="warning",
                            lifespan="on", log_config=None)
    server = uvicorn.Server(config)
    if not with_worker:
        await server.serve()
        return
    from cicero.cli_bot import run_bot
    from jobs.worker import create_worker, serve, stop

    bot_stop, bot_started = asyncio.Event(), asyncio.Event()
    bot_task = asyncio.create_task(run_bot(rt, bot_stop, bot_started))
    await asyncio.wait([bot_task, asyncio.create_task(bot_started.wait())],
                       return_when=asyncio.FIRST_COMPLETED)
    if bot_task.done():  # the sessions are served elsewhere (SessionsOwned): nothing starts
        bot_task.result()
    app.state.bot_sessions = list(rt.settings.wa_sessions)  # /readyz: these must be WORKING
    worker = create_worker(rt.settings, rt.database_url, rt.redis_url, handle_signals=False,
                           catch_up_missed=True)
    worker_task = asyncio.create_task(serve(worker))
    try:
        await server.serve()
    finally:
        bot_stop.set()
        await stop(worker, worker_task)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(bot_task, timeout=15)


async def _sessions_owned_elsewhere(rt: Runtime):
    """SessionsOwned when another process already serves one of this runtime's sessions."""
    from redis.asyncio import Redis

    from bot.session_lease import owned_elsewhere

    redis = Redis.from_url(rt.redis_url, decode_responses=True)
    try:
        return await owned_elsewhere(redis, list(rt.settings.wa_sessions))
    finally:
        await redis.aclose()


def _serve_processes(rt: Runtime, port: int, workers: int) -> None:
    """The web app in `workers` processes under uvicorn's supervisor. Each process builds the
    app from the environment prepared here: the servers this runtime found or started, and the
    JWT secret (resolved once, so an embedded home's secret is shared, not raced for)."""
    from web.security import resolve_jwt_secret

    os.environ.update(DATABASE_URL=rt.database_url, REDIS_URL=rt.redis_url,
                      JWT_SECRET=resolve_jwt_secret(rt.settings),
                      CICERO_LOG_LEVEL=logging.getLevelName(logging.getLogger().level))
    uvicorn.run("web.app:app_from_environment", factory=True, workers=workers,
                host=rt.settings.web_host, port=port, log_level="warning", lifespan="on",
                log_config=None)


@contextlib.contextmanager
def _signals_owned_by_uvicorn() -> Iterator[None]:
    """uvicorn shuts down gracefully on SIGINT/SIGTERM and then raises the signal again;
    once it has stopped, that repeat must do nothing (asyncio.run would otherwise turn it into
    a KeyboardInterrupt inside the loop and cut the shutdown short)."""
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, lambda signum, frame: None)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _require_free_port(host: str, port: int) -> None:
    """Stop before anything starts when the port is taken: uvicorn would only find out after
    the database, the migrations and the worker, and say it in English."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except PermissionError:
            raise fail(f"port {port} butuh hak akses root; pilih --port di atas 1023.",
                       code=2) from None
        except OSError:
            raise fail(f"port {port} di {host} sudah dipakai proses lain; hentikan proses itu "
                       "atau pilih --port lain.", code=2) from None


def _announce(rt: Runtime, port: int, note: str | None) -> None:
    base = f"http://{rt.settings.web_host}:{port}"
    console.print("[bold green]Cicero berjalan.[/] Tekan Ctrl-C untuk berhenti.")
    console.print(f"  Web       : {base}  (cek: {base}/readyz)")
    console.print("  Worker    : jadwal job aktif (lihat: cicero jobs list)")
    sessions = ", ".join(rt.settings.wa_sessions)
    console.print(f"  WhatsApp  : {rt.settings.wa_transport} ({sessions}); cek: cicero wa status")
    if note and rt.settings.wa_transport == "sandbox":
        console.print("  Coba chat : cicero chat --as 081234569999  (lalu kirim NRP 96110457)")
        console.print(f"  Sandbox   : {base}/sandbox  (login demo: {DEMO_ADMIN[0]} / "
                      f"{DEMO_ADMIN[1]})")
    if rt.started_embedded:
        console.print(f"  Data      : {rt.settings.home}  (tertanam: "
                      f"{' + '.join(rt.started_embedded)})")
    else:
        console.print("  Data      : PostgreSQL dan Redis eksternal (DATABASE_URL, REDIS_URL)")
    if note:
        console.print(f"  Demo      : {note}")


def register(app: typer.Typer) -> None:
    @app.command()
    def up(
        demo: Annotated[bool, typer.Option("--demo", help="Isi data demo bila database kosong")]
        = False,
        port: PortOption = None,
        now: NowOption = None,
    ) -> None:
        """Jalankan semuanya dalam satu proses: database, migrasi, bot, worker, web."""
        from bot.session_lease import SessionsOwned

        settings = settings_or_exit()
        start_clock_at(now)
        _require_free_port(settings.web_host, port or settings.web_port)
        try:
            with runtime(settings) as rt:
                if owned := asyncio.run(_sessions_owned_elsewhere(rt)):
                    raise owned
                upgrade_database(rt.database_url)
                note, fake = asyncio.run(_prepare_demo(rt)) if demo else (None, None)
                if fake is not None:  # for `cicero fetch`, `cicero jobs run` beside it
                    demo_rapidapi.remember(rt.settings.home, fake.url,
                                           rt.settings.rapidapi_key or "")
                _announce(rt, port or settings.web_port, note)
                try:
                    with _signals_owned_by_uvicorn():
                        asyncio.run(_serve(rt, port or settings.web_port, with_worker=True))
                finally:
                    if fake is not None:
                        demo_rapidapi.forget(rt.settings.home)
                        fake.stop()
        except KeyboardInterrupt:
            pass
        except SessionsOwned as exc:
            raise fail(exc.message) from None
        console.print("Cicero berhenti.")

    @app.command()
    def web(port: PortOption = None, workers: WorkersOption = 1) -> None:
        """Jalankan hanya aplikasi web (API dashboard)."""
        settings = settings_or_exit()
        _require_free_port(settings.web_host, port or settings.web_port)
        try:
            with runtime(settings) as rt:
                from cicero.runtime import check_migrated

                check_migrated(rt.database_url)
                with _signals_owned_by_uvicorn():
                    if workers > 1:
                        _serve_processes(rt, port or settings.web_port, workers)
                    else:
                        asyncio.run(_serve(rt, port or settings.web_port))
        except KeyboardInterrupt:
            pass
