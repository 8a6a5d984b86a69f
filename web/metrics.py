"""Prometheus metrics: HTTP requests counted by a pure-ASGI middleware into a registry owned by
the app (never the process-wide default, so two apps in one process never mix), and gauges
read at scrape time from Redis and PostgreSQL: outbox depth per session, WhatsApp session
states, job runs by job and status.

The middleware publishes its `HttpMetrics` as `app.state.metrics` the first time the app
sees any scope (the lifespan startup), so the /metrics endpoint finds it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import structlog
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.status import SESSION_STATES, outbox_backlog, session_state
from cicero.sessions import SessionName
from storage.job_state import run_counts

log = structlog.get_logger(__name__)

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED_ROUTE = "unmatched"  # one label for every unknown path: no cardinality explosion


class HttpMetrics:
    """Request counter and latency histogram of one app, in the app's own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("cicero_http_requests", "HTTP requests answered",
                                ("method", "route", "status"), registry=self.registry)
        self.latency = Histogram("cicero_http_request_duration_seconds",
                                 "Time from request to the end of the response",
                                 ("method", "route"), registry=self.registry)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        method = method if method in _METHODS else "OTHER"
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)


def route_template(scope: Scope) -> str:
    """The matched route's path template (`/api/users/{user_id}`), never the raw path."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else UNMATCHED_ROUTE


class MetricsMiddleware:
    """Counts every HTTP request by method, route template and status, and times it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.metrics = HttpMetrics()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        owner = scope.get("app")
        if owner is not None and getattr(owner.state, "metrics", None) is not self.metrics:
            owner.state.metrics = self.metrics
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # an exception escaping the app becomes a 500 further out

        async def send_and_remember(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_remember)
        finally:
            self.metrics.observe(scope.get("method", "GET"), route_template(scope), status,
                                 time.perf_counter() - started)


# --- scrape-time gauges -----------------------------------------------------------------------


@dataclass
class Snapshot:
    """Values read for one scrape."""

    outbox_length: dict[str, int] = field(default_factory=dict)
    outbox_pending: dict[str, int] = field(default_factory=dict)
    session_states: dict[str, str] = field(default_factory=dict)
    job_runs: list[tuple[str, str, int]] = field(default_factory=list)
    sources_up: dict[str, bool] = field(default_factory=dict)


class _SnapshotCollector(Collector):
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def collect(self) -> Iterable[Metric]:
        snap = self.snapshot
        length = GaugeMetricFamily("cicero_outbox_length",
                                   "Entries in the session's outbox stream (waiting or in flight)",
                                   labels=["session"])
        pending = GaugeMetricFamily("cicero_outbox_pending",
                                    "Outbox entries handed to a consumer and not yet acknowledged",
                                    labels=["session"])
        for session in sorted(snap.outbox_length):
            length.add_metric([session], snap.outbox_length[session])
            pending.add_metric([session], snap.outbox_pending.get(session, 0))
        states = GaugeMetricFamily("cicero_whatsapp_session_state",
                                   "1 for the state each WhatsApp session is in, else 0",
                                   labels=["session", "state"])
        for session, current in sorted(snap.session_states.items()):
            for state in SESSION_STATES:
                states.add_metric([session, state], 1.0 if state == current else 0.0)
        runs = GaugeMetricFamily("cicero_job_runs", "Recorded job runs by job and status",
                                 labels=["job", "status"])
        for job, status, count in snap.job_runs:
            runs.add_metric([job, status], count)
        up = GaugeMetricFamily("cicero_metrics_source_up",
                               "1 when the source could be read for this scrape",
                               labels=["source"])
        for source, ok in sorted(snap.sources_up.items()):
            up.add_metric([source], 1.0 if ok else 0.0)
        yield from (length, pending, states, runs, up)


async def read_redis(snapshot: Snapshot, redis: Redis, sessions: Iterable[str]) -> None:
    try:
        for session in (name.value for name in SessionName):
            backlog = await outbox_backlog(redis, session)
            snapshot.outbox_length[session] = backlog.waiting
            snapshot.outbox_pending[session] = backlog.pending
        for session in sessions:
            snapshot.session_states[session] = await session_state(redis, session)
        snapshot.sources_up["redis"] = True
    except (RedisError, OSError) as exc:
        log.warning("metrics_redis_unreadable", error=str(exc))
        snapshot.sources_up["redis"] = False


async def read_database(snapshot: Snapshot, engine: AsyncEngine) -> None:
    try:
        snapshot.job_runs = await run_counts(engine)
        snapshot.sources_up["database"] = True
    except Exception as exc:  # a scrape reports a broken database, it never fails
        log.warning("metrics_database_unreadable", error=type(exc).__name__)
        snapshot.sources_up["database"] = False


async def exposition(metrics: HttpMetrics, redis: Redis, engine: AsyncEngine,
                     sessions: Iterable[str]) -> bytes:
    """The Prometheus text: the app's request metrics, then this scrape's gauges."""
    snapshot = Snapshot()
    await read_redis(snapshot, redis, sessions)
    await read_database(snapshot, engine)
    scrape = CollectorRegistry(auto_describe=False)
    scrape.register(_SnapshotCollector(snapshot))
    return generate_latest(metrics.registry) + generate_latest(scrape)
