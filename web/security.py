"""Dashboard tokens and who may see what.

Tokens are HS256 JWTs carried only in `Authorization: Bearer` (never a cookie), valid two
hours, each with an id (`jti`). Logout revokes one token; a password reset or a change of
the account revokes every token issued before it (`auth:revoked_before:<user>`), on every
endpoint. 401 means only "no valid token"; "authenticated but not allowed" is 403, because
the dashboard logs the user out on 401.
"""

from __future__ import annotations

import os
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from redis.asyncio import Redis
from starlette.requests import Request

from cicero.settings import ConfigError, Settings
from storage import token_revocation
from storage.client_scope import clients_in_scope
from storage.models import DashboardRole
from storage.token_revocation import TOKEN_SECONDS
from web.errors import ApiError
from web.response_cache import request_data_version

ALGORITHM = "HS256"
_TOKEN_TYPE = "dashboard"
PERSONNEL_TOKEN_TYPE = "personnel"


@dataclass(frozen=True)
class Principal:
    """The dashboard user behind a valid token."""

    dashboard_user_id: str
    username: str
    role: DashboardRole
    client_ids: tuple[str, ...]
    client_id: str | None  # the primary client the dashboard opens with
    token_id: str
    issued_at_ms: int
    expires_at: int

    @property
    def is_admin(self) -> bool:
        return self.role is DashboardRole.ADMIN


def resolve_jwt_secret(settings: Settings) -> str:
    """JWT_SECRET; in embedded mode a random secret kept in CICERO_HOME is made once."""
    if settings.jwt_secret:
        return settings.jwt_secret
    if not settings.embedded:
        raise ConfigError("Konfigurasi JWT_SECRET wajib diisi bila DATABASE_URL/REDIS_URL "
                          "dipakai.")
    path = settings.home / "jwt-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def issue_token(secret: str, *, dashboard_user_id: str, username: str, role: DashboardRole,
                client_ids: list[str], client_id: str | None) -> str:
    now_ms = time.time_ns() // 1_000_000
    claims = {"sub": dashboard_user_id, "username": username, "role": role.value,
              "client_ids": client_ids, "client_id": client_id, "typ": _TOKEN_TYPE,
              "jti": uuid.uuid4().hex, "iat": now_ms // 1000, "iat_ms": now_ms,
              "exp": now_ms // 1000 + TOKEN_SECONDS}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


async def revoke_token(redis: Redis, principal: Principal) -> None:
    """Logout: this token stops working everywhere."""
    await token_revocation.revoke_token(redis, principal.token_id, principal.expires_at)


def decode_token(secret: str, token: str, *token_types: str) -> dict[str, Any]:
    """The claims of a valid, unexpired token of one of `token_types` ("dashboard",
    "personnel", "penmas"); 401 for any other token, so one kind of login never opens the
    other's routes."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM],
                            options={"require": ["exp", "iat", "sub", "jti"]})
    except jwt.PyJWTError:
        raise ApiError(401, "Token tidak valid atau sudah kedaluwarsa") from None
    if claims.get("typ") not in token_types:
        raise ApiError(401, "Token tidak valid atau sudah kedaluwarsa")
    return claims


def _claims(secret: str, token: str) -> dict[str, Any]:
    """A dashboard token's claims, or a personnel token's (web/personnel_tokens.py): the
    caller decides what a personnel token opens."""
    claims = decode_token(secret, token, _TOKEN_TYPE, PERSONNEL_TOKEN_TYPE)
    if claims["typ"] == _TOKEN_TYPE and claims.get("role") not in set(DashboardRole):
        raise ApiError(401, "Token tidak valid atau sudah kedaluwarsa")
    return claims


def bearer_token(request: Request) -> str:
    """The request's Bearer token, or 401."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "Token diperlukan")
    return token.strip()


async def authenticate(request: Request) -> Principal:
    """The principal of the request's Bearer token, or 401."""
    return await principal_of_token(request, bearer_token(request))


async def verified_claims(request: Request, token: str) -> dict[str, Any]:
    """A token's claims after the signature, expiry and revocation checks; 401 if bad."""
    claims = _claims(request.app.state.jwt_secret, token)
    issued_ms = int(claims.get("iat_ms") or claims["iat"] * 1000)
    if await token_revocation.is_revoked(request.app.state.redis, str(claims["jti"]),
                                         str(claims["sub"]), issued_ms):
        raise ApiError(401, "Sesi sudah berakhir, silakan login kembali")
    return claims


async def principal_of_token(request: Request, token: str) -> Principal:
    """Check a token (signature, expiry, revocation) wherever it came from; 401 if bad, 403
    for a valid personnel token (it opens only the personnel's own link reports)."""
    claims = await verified_claims(request, token)
    if claims.get("typ") == PERSONNEL_TOKEN_TYPE:
        raise ApiError(403, "Token personel hanya untuk laporan link milik sendiri")
    return principal_from_claims(claims)


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    issued_ms = int(claims.get("iat_ms") or claims["iat"] * 1000)
    client_ids = claims.get("client_ids") or []
    return Principal(str(claims["sub"]), str(claims.get("username", "")),
                     DashboardRole(claims["role"]),
                     tuple(str(c) for c in client_ids if isinstance(c, str)),
                     claims.get("client_id") if isinstance(claims.get("client_id"), str) else None,
                     str(claims["jti"]), issued_ms, int(claims["exp"]))


async def visible_clients(request: Request, principal: Principal) -> frozenset[str] | None:
    """The client ids this principal may see; None means every client (admin)."""
    if principal.is_admin:
        return None
    granted = tuple(sorted(set(principal.client_ids)))
    return await request.app.state.response_cache.get(
        ("scope", granted), await request_data_version(request),
        lambda: clients_in_scope(request.app.state.engine, granted))


async def require_client(request: Request, principal: Principal, client_id: str) -> None:
    """403 unless the principal may see `client_id`."""
    visible = await visible_clients(request, principal)
    if visible is not None and client_id not in visible:
        raise ApiError(403, "client_id tidak diizinkan")


def requested_client_id(request: Request, principal: Principal) -> str:
    """`client_id` from the query (upper-cased, as ids are stored), else the token's primary
    client; 400 when neither exists. The X-Client-Id header never widens the scope: it is
    only a fallback and still checked by `require_client`."""
    raw = (request.query_params.get("client_id") or request.headers.get("x-client-id")
           or principal.client_id or "").strip()
    if not raw:
        raise ApiError(400, "client_id wajib diisi")
    if len(raw) > 64:
        raise ApiError(400, "client_id tidak valid")
    return raw.upper()


async def scoped_client(request: Request) -> tuple[Principal, str]:
    """The usual start of a data endpoint: authenticate, pick the client, check the scope."""
    principal = await authenticate(request)
    client_id = requested_client_id(request, principal)
    await require_client(request, principal, client_id)
    return principal, client_id
