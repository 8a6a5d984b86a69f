"""A PostgreSQL proxy on loopback TCP in front of the embedded server's Unix socket, for tests
that need a database that is unreachable for a while, or one behind a proxy that (like a
transaction-pooling proxy) accepts LISTEN but never delivers a notification."""

from __future__ import annotations

import asyncio
import socket

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

_SSL_REQUEST = b"\x00\x00\x00\x08\x04\xd2\x16\x2f"


def free_port() -> int:
    """A loopback port nothing listens on (for now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tcp_url(engine: AsyncEngine, port: int) -> str:
    """`engine`'s database URL, reached through 127.0.0.1:`port` instead of its socket."""
    url = make_url(engine.url.render_as_string(hide_password=False))
    return url.set(host="127.0.0.1", port=port, query={}).render_as_string(hide_password=False)


class PgProxy:
    def __init__(self, engine: AsyncEngine, *, drop_notifications: bool = False) -> None:
        url = engine.url
        self.socket_path = f"{url.query['host']}/.s.PGSQL.{url.port or 5432}"
        self.drop_notifications = drop_notifications
        self.dropped = 0  # notifications dropped
        self.server: asyncio.Server | None = None

    async def start(self, port: int = 0) -> int:
        self.server = await asyncio.start_server(self._client, "127.0.0.1", port)
        return self.server.sockets[0].getsockname()[1]

    def close(self) -> None:
        if self.server is not None:
            self.server.close()

    async def _client(self, client_reader, client_writer) -> None:
        server_reader, server_writer = await asyncio.open_unix_connection(self.socket_path)
        try:
            first = await client_reader.readexactly(8)
            server_writer.write(first)
            if first == _SSL_REQUEST:  # answered by one unframed byte ('N' on a socket)
                client_writer.write(await server_reader.readexactly(1))
            await asyncio.gather(self._pump(client_reader, server_writer),
                                 self._filter(server_reader, client_writer))
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            client_writer.close()
            server_writer.close()

    @staticmethod
    async def _pump(reader, writer) -> None:
        while data := await reader.read(65536):
            writer.write(data)
        writer.close()

    async def _filter(self, reader, writer) -> None:
        while True:
            header = await reader.readexactly(5)
            body = await reader.readexactly(int.from_bytes(header[1:], "big") - 4)
            if header[:1] == b"A" and self.drop_notifications:
                self.dropped += 1
                continue
            writer.write(header + body)
