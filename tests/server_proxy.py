"""Loopback TCP proxies in front of the embedded servers' Unix sockets, for tests that need
PostgreSQL or Redis out of reach for a while (`stop` also cuts the open connections; `stall`
keeps accepting connections that are never answered), or
PostgreSQL behind a proxy that (like a transaction-pooling proxy) accepts LISTEN but never
delivers a notification."""

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


class SocketProxy:
    """Relays loopback TCP connections to a Unix socket, byte for byte."""

    def __init__(self, socket_path: str) -> None:
        self.socket_path = socket_path
        self.server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self, port: int = 0) -> int:
        self.server = await asyncio.start_server(self._client, "127.0.0.1", port)
        return self.server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        """Stop listening and cut every relayed connection (a server going away)."""
        if self.server is not None:
            self.server.close()
            self.server = None
        for writer in self._writers:
            writer.transport.abort()
        self._writers.clear()

    async def stall(self, port: int) -> None:
        """Cut every relayed connection, then accept new ones on `port` and never answer (a
        server that hangs rather than refuses). `stop()` ends it."""
        self.stop()
        self.server = await asyncio.start_server(self._hold, "127.0.0.1", port)

    async def _hold(self, client_reader, client_writer) -> None:
        self._writers.add(client_writer)
        try:
            while await client_reader.read(65536):
                pass  # swallowed: nothing is ever relayed or answered
        except ConnectionError:
            pass
        finally:
            client_writer.close()
            self._writers.discard(client_writer)

    async def _client(self, client_reader, client_writer) -> None:
        server_reader, server_writer = await asyncio.open_unix_connection(self.socket_path)
        self._writers |= {client_writer, server_writer}
        try:
            await self._relay(client_reader, client_writer, server_reader, server_writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            client_writer.close()
            server_writer.close()
            self._writers -= {client_writer, server_writer}

    async def _relay(self, client_reader, client_writer, server_reader, server_writer) -> None:
        await asyncio.gather(self._pump(client_reader, server_writer),
                             self._pump(server_reader, client_writer))

    @staticmethod
    async def _pump(reader, writer) -> None:
        while data := await reader.read(65536):
            writer.write(data)
        writer.close()


class PgProxy(SocketProxy):
    def __init__(self, engine: AsyncEngine, *, drop_notifications: bool = False) -> None:
        url = engine.url
        super().__init__(f"{url.query['host']}/.s.PGSQL.{url.port or 5432}")
        self.drop_notifications = drop_notifications
        self.dropped = 0  # notifications dropped

    async def _relay(self, client_reader, client_writer, server_reader, server_writer) -> None:
        first = await client_reader.readexactly(8)
        server_writer.write(first)
        if first == _SSL_REQUEST:  # answered by one unframed byte ('N' on a socket)
            client_writer.write(await server_reader.readexactly(1))
        await asyncio.gather(self._pump(client_reader, server_writer),
                             self._filter(server_reader, client_writer))

    async def _filter(self, reader, writer) -> None:
        while True:
            header = await reader.readexactly(5)
            body = await reader.readexactly(int.from_bytes(header[1:], "big") - 4)
            if header[:1] == b"A" and self.drop_notifications:
                self.dropped += 1
                continue
            writer.write(header + body)
