"""Penmas tokens: JWTs of their own type ("penmas"), signed with the app's secret, valid two
hours, carried only in `Authorization: Bearer`. Dashboard routes refuse them and Penmas
routes refuse dashboard tokens (401 both ways: web/security.py `decode_token`). The account
is read again on every request, so a role given or taken by an administrator applies at
once; logout revokes the token (storage/token_revocation.py, subject `penmas:<id>`)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

import jwt
from starlette.requests import Request

from storage import token_revocation
from storage.editorial_workflow import Actor
from storage.identifiers import record_id
from storage.penmas_accounts import PenmasAccount, find_by_id
from storage.token_revocation import TOKEN_SECONDS
from web.errors import ApiError
from web.security import bearer_token, decode_token

TOKEN_TYPE = "penmas"
_SUBJECT_PREFIX = "penmas:"


@dataclass(frozen=True)
class PenmasPrincipal:
    account: PenmasAccount
    subject: str
    token_id: str
    expires_at: int

    @property
    def actor(self) -> Actor:
        return self.account.actor


def issue_penmas_token(secret: str, account: PenmasAccount) -> str:
    now_ms = time.time_ns() // 1_000_000
    claims = {"sub": f"{_SUBJECT_PREFIX}{account.id}", "user_id": account.id,
              "username": account.username, "role": account.role.value, "typ": TOKEN_TYPE,
              "jti": uuid.uuid4().hex, "iat": now_ms // 1000, "iat_ms": now_ms,
              "exp": now_ms // 1000 + TOKEN_SECONDS}
    return jwt.encode(claims, secret, algorithm="HS256")


async def authenticate_penmas(request: Request) -> PenmasPrincipal:
    """The Penmas account behind the request's Bearer token, or 401."""
    claims = decode_token(request.app.state.jwt_secret, bearer_token(request), TOKEN_TYPE)
    subject = str(claims["sub"])
    account_id = record_id(subject.removeprefix(_SUBJECT_PREFIX))
    if not subject.startswith(_SUBJECT_PREFIX) or account_id is None:
        raise ApiError(401, "Token tidak valid atau sudah kedaluwarsa")
    issued_ms = int(claims.get("iat_ms") or claims["iat"] * 1000)
    if await token_revocation.is_revoked(request.app.state.redis, str(claims["jti"]), subject,
                                         issued_ms):
        raise ApiError(401, "Sesi sudah berakhir, silakan login kembali")
    account = await find_by_id(request.app.state.engine, account_id)
    if account is None:
        raise ApiError(401, "Sesi sudah berakhir, silakan login kembali")
    return PenmasPrincipal(account, subject, str(claims["jti"]), int(claims["exp"]))


async def revoke_penmas_token(request: Request, principal: PenmasPrincipal) -> None:
    await token_revocation.revoke_token(request.app.state.redis, principal.token_id,
                                        principal.expires_at)
