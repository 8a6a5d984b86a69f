"""Liveness and readiness.

/readyz checks the database and Redis and reports the state of every configured WhatsApp
session (`WA_SESSIONS`, read through the bot's read-only door, bot/status.py), and which
of them must be WORKING for this process to be ready (`whatsapp.required`): in `cicero up`,
which runs the bot itself (`app.state.bot_sessions`), the sessions it serves, on either
transport; in a web-only process, every configured session under neonize and none on the
sandbox (nobody there serves them). It also reports when a worker last polled the job queue
(its heartbeat, jobs/queue.py); in `cicero up`, which runs the worker itself
(`app.state.runs_worker`), no heartbeat within the last 15 s means not ready.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.status import UNKNOWN_STATE, session_states
from cicero.sessions import SessionState
from jobs.queue import HEARTBEAT_TTL, last_heartbeat
from storage.db import ping
from web.openapi import documented


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


async def _worker(request: Request) -> tuple[str, str | None]:
    """The worker check, and the business time of the last heartbeat (None: none lately)."""
    try:
        beat = await last_heartbeat(request.app.state.redis)
    except Exception as exc:
        return f"error: {type(exc).__name__}", None
    if beat is None:
        return f"error: no worker heartbeat in the last {HEARTBEAT_TTL} s", None
    return "ok", beat.isoformat()


def required_sessions(request: Request) -> list[str]:
    """The sessions that must be WORKING for this process to be ready."""
    settings = request.app.state.settings
    served = getattr(request.app.state, "bot_sessions", None)
    if served is not None:
        return list(served)
    return list(settings.wa_sessions) if settings.wa_transport == "neonize" else []


def _whatsapp_check(required: list[str], states: dict[str, str]) -> str:
    waiting = [f"{session}={states.get(session, UNKNOWN_STATE)}" for session in required
               if states.get(session) != SessionState.WORKING]
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
    required = required_sessions(request)
    checks["whatsapp"] = _whatsapp_check(required, states)
    worker, last_beat = await _worker(request)
    if getattr(request.app.state, "runs_worker", False):
        checks["worker"] = worker
    ready = all(value == "ok" for value in checks.values())
    body: dict[str, object] = {"status": "ok" if ready else "error", "checks": checks,
                               "whatsapp": {"transport": settings.wa_transport,
                                            "sessions": states, "required": required},
                               "worker": {"last_heartbeat": last_beat}}
    if not ready:  # the error envelope every failure of the app carries
        body.update(success=False, message="Layanan belum siap")
    return JSONResponse(body, status_code=200 if ready else 503)


routes = [Route("/healthz", healthz, methods=["GET"]), Route("/readyz", readyz, methods=["GET"])]
