"""Liveness and readiness.

/readyz checks the database and Redis and reports the state of every configured WhatsApp
session (`WA_SESSIONS`, read from the Redis hash `bot.transport.state_key(session)`). With
`WA_TRANSPORT=neonize` every configured session must be WORKING for the app to be ready;
the sandbox transport is always ready. It also reports when a worker last polled the job
queue (its heartbeat, jobs/queue.py); in `cicero up`, which runs the worker itself
(`app.state.runs_worker`), no heartbeat within the last 15 s means not ready.
"""

from __future__ import annotations

from redis.asyncio import Redis
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.transport import SessionState, state_key
from jobs.queue import HEARTBEAT_TTL, last_heartbeat
from storage.db import ping
from web.openapi import documented

UNKNOWN_STATE = "UNKNOWN"


async def _database(request: Request) -> str:
    try:
        await ping(request.app.state.engine)
        return "ok"
    except Exception as exc:  # readiness reports any failure, it never raises
        return f"error: {type(exc).__name__}"


async def _redis(request: Request) -> str:
    try:
        await request.app.state.redis.ping()
        return "ok"
    except Exception as exc:
        return f"error: {type(exc).__name__}"


async def session_states(redis: Redis, sessions: list[str]) -> dict[str, str]:
    """Each session's published state; UNKNOWN when it never published one or Redis fails."""
    states: dict[str, str] = {}
    for session in sessions:
        try:
            state = await redis.hget(state_key(session), "state")
        except Exception:
            state = None
        states[session] = str(state) if state else UNKNOWN_STATE
    return states


async def _worker(request: Request) -> tuple[str, str | None]:
    """The worker check, and the business time of the last heartbeat (None: none lately)."""
    try:
        beat = await last_heartbeat(request.app.state.redis)
    except Exception as exc:
        return f"error: {type(exc).__name__}", None
    if beat is None:
        return f"error: no worker heartbeat in the last {HEARTBEAT_TTL} s", None
    return "ok", beat.isoformat()


def _whatsapp_check(transport: str, states: dict[str, str]) -> str:
    if transport != "neonize":
        return "ok"
    waiting = [f"{session}={state}" for session, state in states.items()
               if state != SessionState.WORKING]
    return f"error: not working: {', '.join(waiting)}" if waiting else "ok"


@documented(summary="Liveness: proses web hidup", tags=["operations"], auth=False,
            responses={200: "Selalu {status: ok}"})
async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


@documented(summary="Readiness: database, Redis, status sesi WhatsApp dan worker",
            tags=["operations"],
            auth=False, responses={200: "Siap melayani", 503: "Ada pemeriksaan yang gagal"})
async def readyz(request: Request) -> JSONResponse:
    settings = request.app.state.settings
    checks = {"database": await _database(request), "redis": await _redis(request)}
    states = await session_states(request.app.state.redis, list(settings.wa_sessions))
    checks["whatsapp"] = _whatsapp_check(settings.wa_transport, states)
    worker, last_beat = await _worker(request)
    if getattr(request.app.state, "runs_worker", False):
        checks["worker"] = worker
    ready = all(value == "ok" for value in checks.values())
    body: dict[str, object] = {"status": "ok" if ready else "error", "checks": checks,
                               "whatsapp": {"transport": settings.wa_transport,
                                            "sessions": states},
                               "worker": {"last_heartbeat": last_beat}}
    if not ready:  # the error envelope every failure of the app carries
        body.update(success=False, message="Layanan belum siap")
    return JSONResponse(body, status_code=200 if ready else 503)


routes = [Route("/healthz", healthz, methods=["GET"]), Route("/readyz", readyz, methods=["GET"])]
