"""Personnel tokens: what the personnel app holds after logging in with a one-time code.

The same HS256 signature, two-hour lifetime, token id and revocation as the dashboard tokens
(web/security.py, storage/token_revocation.py), with `typ` "personnel" and subject
`personnel:<NRP>`: it opens only that person's own link reports. A dashboard endpoint
answers it 403 (valid, not allowed), never 401. A person who is no longer active loses
their tokens (401).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

import jwt
from starlette.requests import Request

from storage import token_revocation
from storage.token_revocation import TOKEN_SECONDS
from web.errors import ApiError
from web.security import (
    ALGORITHM,
    PERSONNEL_TOKEN_TYPE,
    Principal,
    bearer_token,
    principal_from_claims,
    verified_claims,
)

_SUBJECT_PREFIX = "personnel:"


@dataclass(frozen=True)
class PersonnelPrincipal:
    user_id: str
    token_id: str
    issued_at_ms: int
    expires_at: int

    @property
    def subject(self) -> str:
        return _SUBJECT_PREFIX + self.user_id


def issue_personnel_token(secret: str, user_id: str) -> str:
    now_ms = time.time_ns() // 1_000_000
    claims = {"sub": _SUBJECT_PREFIX + user_id, "user_id": user_id, "role": "user",
              "typ": PERSONNEL_TOKEN_TYPE, "jti": uuid.uuid4().hex, "iat": now_ms // 1000,
              "iat_ms": now_ms, "exp": now_ms // 1000 + TOKEN_SECONDS}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


async def authenticate_caller(request: Request) -> Principal | PersonnelPrincipal:
    """A dashboard principal or a personnel principal, from a valid token; 401 otherwise."""
    claims = await verified_claims(request, bearer_token(request))
    if claims.get("typ") != PERSONNEL_TOKEN_TYPE:
        return principal_from_claims(claims)
    subject = str(claims["sub"])
    if not subject.startswith(_SUBJECT_PREFIX):
        raise ApiError(401, "Token tidak valid atau sudah kedaluwarsa")
    return PersonnelPrincipal(subject.removeprefix(_SUBJECT_PREFIX), str(claims["jti"]),
                              int(claims.get("iat_ms") or claims["iat"] * 1000),
                              int(claims["exp"]))


async def authenticate_personnel(request: Request) -> PersonnelPrincipal:
    caller = await authenticate_caller(request)
    if not isinstance(caller, PersonnelPrincipal):
        raise ApiError(403, "Hanya personel yang dapat melakukan ini (login aplikasi personel)")
    return caller


async def revoke_personnel_token(request: Request, principal: PersonnelPrincipal) -> None:
    await token_revocation.revoke_token(request.app.state.redis, principal.token_id,
                                        principal.expires_at)
