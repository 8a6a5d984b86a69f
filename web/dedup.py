"""The duplicate-request guard: a write identical to the caller's previous successful write,
sent within five minutes, is answered 429 (a double click, a resubmitted form).

Only the immediately previous write counts: A -> B -> A goes through (a legitimate revert),
A -> A does not. Applies to POST/PUT/PATCH/DELETE under /api/, except the public
login/registration/reset and claim endpoints (a retried login must never be blocked). A write
is method + path + query + body; the caller is the token's subject (`sub`) when the bearer
token carries our signature, else the client IP; a raw token is never used as a key. Only
writes that succeeded (2xx) stay the caller's previous write: a failed one restores the one
before, so it may be retried at once. Redis errors let the request through.
ALLOW_DUPLICATE_REQUESTS=true turns the guard off.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import jwt
import structlog
from redis.exceptions import RedisError
from starlette.middleware import Middleware

from web.requests import MAX_BODY_BYTES

log = structlog.get_logger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

WINDOW_SECONDS = 5 * 60
GUARDED_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
EXEMPT_PREFIXES = ("/api/claim/", "/api/auth/", "/api/password-reset/")
DUPLICATE_MESSAGE = ("Permintaan yang sama baru saja dikirim. Tunggu beberapa menit sebelum "
                     "mengirim ulang, atau muat ulang halaman untuk melihat hasilnya.")


def guarded(method: str, path: str) -> bool:
    return (method in GUARDED_METHODS and path.startswith("/api/")
            and not path.startswith(EXEMPT_PREFIXES))


def caller(scope: Scope, jwt_secret: str | None) -> str:
    """`user:<sub>` for a token we signed (expired or not), else `ip:<address>`."""
    for name, value in scope.get("headers") or ():
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token.strip() and jwt_secret:
                try:
                    claims = jwt.decode(token.strip(), jwt_secret, algorithms=["HS256"],
                                        options={"verify_exp": False})
                except jwt.PyJWTError:
                    break
                if isinstance(claims.get("sub"), str):
                    return f"user:{claims['sub']}"
            break
    client = scope.get("client")
    return f"ip:{client[0] if client else 'unknown'}"


def fingerprint(scope: Scope, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (scope["method"], scope["path"], scope.get("query_string", b"").decode("latin-1")):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(body)
    return digest.hexdigest()


def last_write_key(who: str) -> str:
    return "dedup:last:" + hashlib.sha256(who.encode("utf-8", "surrogateescape")).hexdigest()


# KEYS: the caller's last write. ARGV: this write, window. Returns {0} for a repeat of the
# last write, else {1, the write it replaces or ''}.
_CLAIM_LUA = """
local previous = redis.call('GET', KEYS[1])
if previous == ARGV[1] then return {0} end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return {1, previous or ''}
"""
# KEYS: the caller's last write. ARGV: this write, the one it replaced, window. Undoes a
# claim unless a newer write has taken its place.
_RELEASE_LUA = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  if ARGV[2] == '' then redis.call('DEL', KEYS[1])
  else redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) end
end
"""


async def _read_body(receive: Receive) -> tuple[list[Message], bytes, bool]:
    """The request messages read so far, their body, and whether the body ended within
    MAX_BODY_BYTES (a larger body is not fingerprinted; the endpoint will refuse it)."""
    messages: list[Message] = []
    body = b""
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, body, False
        body += message.get("body", b"")
        if not message.get("more_body", False):
            return messages, body, True
        if len(body) > MAX_BODY_BYTES:
            return messages, body, False


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A receive that hands back the buffered messages first, then the live ones."""
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


async def _duplicate(send: Send) -> None:
    payload = json.dumps({"success": False, "message": DUPLICATE_MESSAGE}).encode("utf-8")
    await send({"type": "http.response.start", "status": 429,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})


class DuplicateRequestGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not guarded(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        if state.settings.allow_duplicate_requests:
            await self.app(scope, receive, send)
            return
        messages, body, complete = await _read_body(receive)
        receive = _replay(messages, receive)
        if not complete:
            await self.app(scope, receive, send)
            return
        key = last_write_key(caller(scope, state.jwt_secret))
        write = fingerprint(scope, body)
        try:
            claimed = await state.redis.register_script(_CLAIM_LUA)([key], [write, WINDOW_SECONDS])
        except RedisError:
            log.warning("dedup_unavailable")
            await self.app(scope, receive, send)
            return
        if not int(claimed[0]):
            await _duplicate(send)
            return
        previous = claimed[1].decode() if isinstance(claimed[1], bytes) else str(claimed[1])
        succeeded, released = False, False

        async def release() -> None:
            nonlocal released
            if not released:
                released = True
                await _release(state.redis, key, write, previous)

        async def watching(message: Message) -> None:
            nonlocal succeeded
            if message["type"] == "http.response.start":
                succeeded = 200 <= message["status"] < 300
                if not succeeded:  # before the client hears back and may retry at once
                    await release()
            await send(message)

        try:
            await self.app(scope, receive, watching)
        finally:
            if not succeeded:
                await release()


async def _release(redis: Any, key: str, write: str, previous: str) -> None:
    """A request that did not succeed gives the caller's previous write back, so a retry
    goes through and a repeat of the write before it is still caught."""
    try:
        await redis.register_script(_RELEASE_LUA)([key], [write, previous, WINDOW_SECONDS])
    except RedisError:
        log.warning("dedup_unavailable")


middleware = [Middleware(DuplicateRequestGuard)]
