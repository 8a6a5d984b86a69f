"""One owner per WhatsApp session: a lease in Redis, taken when a bot process starts a session,
renewed while it runs, released when it stops.

Two processes driving the same WhatsApp session would both answer every message and both
write the session's state (the one stopping marks the session STOPPED while the other still
serves it). A bot therefore takes `lease_key(session)` with SET NX before it starts the
session's transport, renews it every housekeeping tick (it expires LEASE_SECONDS after the last
renewal), and deletes it only while it still holds it. A lease left by a process of this host
that no longer exists (killed with -9) is taken over at once instead of waiting for it to
expire.
"""

from __future__ import annotations

import contextlib
import os
import socket
import uuid
from dataclasses import dataclass

from redis.asyncio import Redis

LEASE_SECONDS = 30

# KEYS: lease. ARGV: owner, seconds. 1 when `owner` holds it (renewed), 0 otherwise.
_RENEW_LUA = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
"""
# KEYS: lease. ARGV: owner. Deletes it only when `owner` holds it.
_RELEASE_LUA = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""
# KEYS: lease. ARGV: dead owner, new owner, seconds. Takes it only from the dead owner.
_TAKE_OVER_LUA = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0
"""


def lease_key(session: str) -> str:
    return f"wa:lease:{session}"


@dataclass(frozen=True)
class Owner:
    """Who holds a lease: host, process id and a token unique to one bot start."""

    host: str
    pid: int
    token: str

    @classmethod
    def of_this_process(cls) -> Owner:
        return cls(socket.gethostname(), os.getpid(), uuid.uuid4().hex[:12])

    @classmethod
    def parse(cls, value: str) -> Owner | None:
        host, _, rest = value.rpartition("|")
        host, _, pid = host.rpartition("|")
        return cls(host, int(pid), rest) if pid.isdigit() and host else None

    def __str__(self) -> str:
        return f"{self.host}|{self.pid}|{self.token}"

    def describe(self) -> str:
        return f"{self.host} pid {self.pid}"

    def is_gone(self) -> bool:
        """True only when this process is known to have ended (same host, no such pid)."""
        if self.host != socket.gethostname():
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except OSError:  # exists, owned by someone else
            return False
        return False


class SessionsOwned(Exception):
    """Some sessions are served by another process; nothing was taken."""

    def __init__(self, held: dict[str, str]) -> None:
        self.held = held  # session -> the other owner, described
        super().__init__(self.message)

    @property
    def message(self) -> str:
        owners = ", ".join(sorted(set(self.held.values())))
        return (f"sesi WhatsApp {', '.join(self.held)} sudah dijalankan proses lain ({owners}); "
                "proses ini tidak mengambilnya: hentikan proses itu dulu atau atur WA_SESSIONS")


async def owned_elsewhere(redis: Redis, sessions: list[str]) -> SessionsOwned | None:
    """Which of `sessions` another live process serves now (for a check before starting;
    taking the leases decides)."""
    held = {}
    for session in sessions:
        value = await redis.get(lease_key(session))
        if value is None:
            continue
        value = value.decode() if isinstance(value, bytes) else str(value)
        holder = Owner.parse(value)
        if holder is None or not holder.is_gone():
            held[session] = holder.describe() if holder else value
    return SessionsOwned(held) if held else None


class SessionLeases:
    """The leases of one bot process on its sessions."""

    def __init__(self, redis: Redis, sessions: list[str], *,
                 seconds: int = LEASE_SECONDS) -> None:
        self.redis, self.sessions, self.seconds = redis, list(sessions), seconds
        self.owner = str(Owner.of_this_process())
        self._renew = redis.register_script(_RENEW_LUA)
        self._release = redis.register_script(_RELEASE_LUA)
        self._take_over = redis.register_script(_TAKE_OVER_LUA)

    async def acquire(self) -> None:
        """Take every session's lease, or none: raises SessionsOwned naming those held by
        another live process."""
        taken: list[str] = []
        held: dict[str, str] = {}
        for session in self.sessions:
            holder = await self._take(session)
            if holder is None:
                taken.append(session)
            else:
                held[session] = holder
        if held:
            for session in taken:
                await self._release(keys=[lease_key(session)], args=[self.owner])
            raise SessionsOwned(held)

    async def _take(self, session: str) -> str | None:
        """None when this process now holds the lease; else the holder, described."""
        key = lease_key(session)
        for _ in range(3):  # the holder may release or die between the calls
            if await self.redis.set(key, self.owner, nx=True, ex=self.seconds):
                return None
            current = await self.redis.get(key)
            if current is None:
                continue
            current = current.decode() if isinstance(current, bytes) else str(current)
            if current == self.owner:
                return None
            holder = Owner.parse(current)
            if holder is None or not holder.is_gone():
                return holder.describe() if holder else current
            if await self._take_over(keys=[key], args=[current, self.owner, self.seconds]):
                return None
        return "proses lain"

    async def renew(self) -> list[str]:
        """Extend every lease; returns the sessions whose lease was lost (and is taken again
        when free)."""
        lost = []
        for session in self.sessions:
            if not await self._renew(keys=[lease_key(session)], args=[self.owner, self.seconds]):
                if not await self.redis.set(lease_key(session), self.owner, nx=True,
                                            ex=self.seconds):
                    lost.append(session)
        return lost

    async def release(self) -> None:
        for session in self.sessions:
            with contextlib.suppress(Exception):  # an expired lease needs no release
                await self._release(keys=[lease_key(session)], args=[self.owner])
