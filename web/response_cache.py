"""Responses computed once per (request, data version) in this process.

The data version is PostgreSQL's current snapshot (`pg_current_snapshot()`): it changes as
soon as any writing transaction starts, commits or aborts (ingestion, personnel edits, ...),
never returns to an earlier value, and two reads under the same snapshot see the same rows.
An entry is reused only while nothing was committed since it was computed: no TTL, and no
writer has to remember to invalidate. The version is read before the data, so an entry is
never older than the version it is filed under. Concurrent requests for the same missing
entry wait for one computation (single flight).

Big JSON bodies (a directorate's recap is about 3 MB) are kept encoded, and gzip-compressed
once for the callers that accept it, so a repeated request costs a snapshot read and a send.
"""

from __future__ import annotations

import asyncio
import gzip
import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from storage.db import data_snapshot

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
GZIP_LEVEL = 6
_GZIP_MIN_BYTES = 1024



async def request_data_version(request: Request) -> str:
    """The data version for this request, read once however many caches it consults."""
    version = getattr(request.state, "data_version", None)
    if version is None:
        version = await data_snapshot(request.app.state.engine)
        request.state.data_version = version
    return version


class VersionedCache:
    """An LRU of values tagged with the data version they were computed under, bounded by
    the summed `size` of its values."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[str, Any, int]] = OrderedDict()
        self._pending: dict[tuple[Hashable, str], asyncio.Future[Any]] = {}
        self._bytes = 0

    async def get(self, key: Hashable, version: str, compute: Callable[[], Awaitable[Any]],
                  size: Callable[[Any], int] = lambda value: 1) -> Any:
        entry = self._entries.get(key)
        if entry is not None and entry[0] == version:
            self._entries.move_to_end(key)
            return entry[1]
        pending = self._pending.get((key, version))
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[(key, version)] = future
        try:
            value = await compute()
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # marked retrieved: the waiters re-raise it, nobody else must
            raise
        finally:
            del self._pending[(key, version)]
        future.set_result(value)
        self._store(key, version, value, size(value))
        return value

    def _store(self, key: Hashable, version: str, value: Any, size: int) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= old[2]
        if size > self.max_bytes:
            return
        self._entries[key] = (version, value, size)
        self._bytes += size
        while self._bytes > self.max_bytes:
            _, (_, _, dropped) = self._entries.popitem(last=False)
            self._bytes -= dropped


def _encode(payload: Any) -> bytes:
    # The same encoding as starlette's JSONResponse.
    return json.dumps(payload, ensure_ascii=False, allow_nan=False, indent=None,
                      separators=(",", ":")).encode("utf-8")


def _accepts_gzip(request: Request) -> bool:
    for coding in request.headers.get("accept-encoding", "").split(","):
        name, _, parameters = coding.partition(";")
        if name.strip().lower() in ("gzip", "*"):
            quality = parameters.strip().lower().removeprefix("q=")
            try:
                return not parameters.strip() or float(quality) > 0
            except ValueError:
                return False
    return False


async def cached_json(request: Request, key: Hashable,
                      compute: Callable[[], Awaitable[Any]]) -> Response:
    """The JSON of `compute()` for `key` under this request's data version, gzip-compressed
    when the caller accepts it. `key` must name everything the payload depends on except the
    data: the caller checks access before asking."""
    cache: VersionedCache = request.app.state.response_cache
    version = await request_data_version(request)

    async def encoded() -> bytes:
        return _encode(await compute())

    body = await cache.get(("json", key), version, encoded, size=len)
    headers = {"Vary": "Accept-Encoding"}
    if len(body) >= _GZIP_MIN_BYTES and _accepts_gzip(request):
        async def compressed() -> bytes:
            return await asyncio.to_thread(gzip.compress, body, GZIP_LEVEL)

        body = await cache.get(("gzip", key), version, compressed, size=len)
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type="application/json", headers=headers)
