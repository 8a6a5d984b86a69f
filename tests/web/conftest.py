"""The web app served by uvicorn on a loopback port, over the test database and Redis, and
helpers to create dashboard accounts and their tokens."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
import uvicorn
from sqlalchemy import text

from cicero.settings import Settings, load_settings
from storage.models import DashboardRole
from tests.waiting import eventually
from web.app import create_app
from web.passwords import hash_password
from web.security import issue_token

JWT_SECRET = "test-secret-for-cicero-web-tests"
PASSWORD = "rahasia123"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LiveApp:
    url: str
    settings: Settings
    client: httpx.AsyncClient


async def serve(settings: Settings, database_url: str, redis_url: str
                ) -> AsyncIterator[LiveApp]:
    """Run the real app under uvicorn until the caller is done."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, database_url, redis_url),
                                           host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on"))
    task = asyncio.create_task(server.serve())

    def started() -> bool:
        if task.done():
            task.result()  # it failed to start: its error, now
        return server.started

    await eventually(started, "the app serving", within=60)
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            yield LiveApp(url, settings, client)
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=10)


@contextlib.asynccontextmanager
async def running_worker(settings: Settings, database_url: str, redis_url: str
                         ) -> AsyncIterator[None]:
    """A real arq worker in this loop, as `cicero up` runs it."""
    from jobs.worker import create_worker

    worker = create_worker(settings, database_url, redis_url, handle_signals=False)
    task = asyncio.create_task(worker.async_run())
    try:
        yield
    finally:
        await worker.close()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def web_settings(**overrides: object) -> Settings:
    return load_settings(**{"jwt_secret": JWT_SECRET, "allow_duplicate_requests": True,
                            **overrides})


@pytest.fixture
async def live(engine, redis, database_url: str, redis_url: str) -> AsyncIterator[LiveApp]:
    """The app with the duplicate-request guard off (tests repeat requests on purpose)."""
    async for app in serve(web_settings(), database_url, redis_url):
        yield app


async def dashboard_user(engine, username: str, role: DashboardRole, clients: list[str], *,
                         status: str = "approved", whatsapp: str | None = None,
                         password: str = PASSWORD) -> str:
    """Insert a dashboard account with its clients; returns its id."""
    async with engine.begin() as connection:
        user_id = await connection.scalar(text(
            "INSERT INTO dashboard_users (username, password_hash, role, status, whatsapp) "
            "VALUES (:username, :hash, :role, :status, :whatsapp) RETURNING id"),
            {"username": username, "hash": await hash_password(password), "role": role.value,
             "status": status, "whatsapp": whatsapp})
        for client_id in clients:
            await connection.execute(text(
                "INSERT INTO dashboard_user_clients (dashboard_user_id, client_id) "
                "VALUES (:id, :client_id)"), {"id": user_id, "client_id": client_id})
    return str(user_id)


def token_for(dashboard_user_id: str, username: str, role: DashboardRole,
              clients: list[str]) -> str:
    """A token exactly as login issues it (primary client: the first granted)."""
    return issue_token(JWT_SECRET, dashboard_user_id=dashboard_user_id, username=username,
                       role=role, client_ids=clients, client_id=clients[0] if clients else None)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
