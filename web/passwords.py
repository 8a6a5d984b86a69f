"""Password hashing (argon2id through pwdlib), off the event loop."""

from __future__ import annotations

import asyncio

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

# OWASP's minimum argon2id profile (19 MiB, 2 passes): ~30 ms here, so a login stays cheap
# while a stolen hash stays expensive to guess.
_HASHER = PasswordHash((Argon2Hasher(memory_cost=19_456, time_cost=2, parallelism=1),))
# Verified against when the username does not exist, so both cases take the same time.
_DUMMY_HASH = _HASHER.hash("cicero-no-such-user")


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_HASHER.hash, password)


async def verify_password(password: str, password_hash: str | None) -> bool:
    """False for a wrong password or a missing/garbled hash; equal time either way."""
    try:
        return await asyncio.to_thread(_HASHER.verify, password, password_hash or _DUMMY_HASH) \
            and password_hash is not None
    except Exception:  # a malformed stored hash is a failed login, not a crash
        return False
