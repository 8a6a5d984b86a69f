"""Process start-up: settings, the business clock, embedded services and migrations."""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from alembic import command

from cicero.clock import clock
from cicero.embedded import EmbeddedServices
from cicero.settings import Settings, get_settings
from storage.db import DatabaseNotMigrated, alembic_config, create_engine, ensure_migrated

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


@dataclass
class Runtime:
    settings: Settings
    database_url: str
    redis_url: str
    services: EmbeddedServices

    @property
    def started_embedded(self) -> list[str]:
        return [name for name, server in (("PostgreSQL", self.services.postgres),
                                          ("Redis", self.services.redis)) if server]


def freeze_startup_heap() -> None:
    """Keep what start-up allocated (modules, phone metadata, pools, caches) out of the
    garbage collector's full collections, once the process is up: walking it stops the event
    loop ~100 ms, and every chat waits that long."""
    gc.collect()
    gc.freeze()


def _terminate_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C, so embedded servers are released."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


@contextmanager
def runtime(settings: Settings | None = None) -> Iterator[Runtime]:
    settings = settings or get_settings()
    clock.configure(settings.tz_business)
    _terminate_on_sigterm()
    services = EmbeddedServices(settings.home, settings.database_url, settings.redis_url)
    new_home = services.postgres is not None and not (settings.home / "postgres").exists()
    database_url, redis_url = services.start()
    # Child processes (pg_dump, workers) reach the same servers and the same home.
    os.environ.setdefault("DATABASE_URL", database_url)
    os.environ.setdefault("REDIS_URL", redis_url)
    os.environ["CICERO_HOME"] = str(settings.home)
    try:
        yield Runtime(settings, database_url, redis_url, services)
    except DatabaseNotMigrated as exc:
        if services.postgres is None:
            raise
        raise DatabaseNotMigrated(embedded_home_note(settings.home, new_home, str(exc))) \
            from None
    finally:
        services.stop()


def embedded_home_note(home, new_home: bool, message: str) -> str:
    """Which embedded home a command used: the usual surprise is a command run from another
    folder, which starts an empty home of its own there."""
    if new_home:
        return (f"CICERO_HOME {home} kosong: folder data ini baru dibuat, belum ada database. "
                "Jalankan perintah dari folder tempat `cicero up` biasa dijalankan atau set "
                "CICERO_HOME ke folder datanya; untuk memulai database baru di sini: "
                "cicero db upgrade")
    return f"{message} (CICERO_HOME: {home})"


def upgrade_database(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade_database(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def check_migrated(database_url: str) -> None:
    async def check() -> None:
        engine = create_engine(database_url, pool_size=1)
        try:
            await ensure_migrated(engine)
        finally:
            await engine.dispose()

    asyncio.run(check())
