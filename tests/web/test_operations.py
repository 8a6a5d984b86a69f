"""Operations endpoints: Prometheus metrics, the OpenAPI document, readiness with WhatsApp
session states."""

from __future__ import annotations

import re

import httpx
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from bot.outbox import GROUP, enqueue, stream_key
from bot.transport import state_key
from storage.job_state import start_run
from storage.models import JobRunStatus
from tests.web.conftest import serve, web_settings
from web.app import create_app
from web.metrics import MetricsMiddleware
from web.operations import operations, undocumented


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """{(sample name, sorted labels): value} of a Prometheus exposition."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def _labels(**labels: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(labels.items()))


async def test_metrics_count_requests_by_method_route_and_status(live) -> None:
    for _ in range(2):
        assert (await live.client.get("/healthz")).status_code == 200
    assert (await live.client.get("/api/nope/123")).status_code == 404
    assert (await live.client.post("/healthz")).status_code == 405

    response = await live.client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples = _samples(response.text)
    total = "cicero_http_requests_total"
    assert samples[(total, _labels(method="GET", route="/healthz", status="200"))] == 2
    assert samples[(total, _labels(method="GET", route="unmatched", status="404"))] == 1
    assert samples[(total, _labels(method="POST", route="/healthz", status="405"))] == 1
    assert samples[("cicero_http_request_duration_seconds_count",
                    _labels(method="GET", route="/healthz"))] == 2
    assert not any("/api/nope/123" in dict(labels).get("route", "") for _, labels in samples)


async def test_metrics_label_requests_with_the_route_template_not_the_path() -> None:
    async def echo(request):
        return PlainTextResponse(request.path_params["user_id"])

    app = Starlette(routes=[Route("/api/users/{user_id}", echo)])
    app.add_middleware(MetricsMiddleware)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://test") as client:
        for user_id in ("1001", "2001", "3001"):
            assert (await client.get(f"/api/users/{user_id}")).text == user_id
    registry = app.state.metrics.registry
    assert registry.get_sample_value("cicero_http_requests_total", {
        "method": "GET", "route": "/api/users/{user_id}", "status": "200"}) == 3


async def test_metrics_read_outbox_depth_session_states_and_job_runs(live, redis, engine) -> None:
    for n in range(3):
        await enqueue(redis, "gateway", "6281200000001", f"pesan {n}", key=f"metrics-{n}")
    await redis.xgroup_create(stream_key("gateway"), GROUP, id="0", mkstream=True)
    await redis.xreadgroup(GROUP, "test-consumer", {stream_key("gateway"): ">"}, count=1)
    await redis.hset(state_key("operator"), mapping={"state": "SCAN_QR_CODE", "qr": "2@abc"})
    await redis.hset(state_key("gateway"), mapping={"state": "WORKING"})
    for status in (JobRunStatus.SUCCESS, JobRunStatus.SUCCESS, JobRunStatus.FAILED):
        await start_run(engine, "instagram_fetch", status)
    await start_run(engine, "daily_recap", JobRunStatus.SKIPPED)

    samples = _samples((await live.client.get("/metrics")).text)

    assert samples[("cicero_outbox_length", _labels(session="gateway"))] == 3
    assert samples[("cicero_outbox_pending", _labels(session="gateway"))] == 1
    assert samples[("cicero_outbox_length", _labels(session="operator"))] == 0
    assert samples[("cicero_outbox_pending", _labels(session="user"))] == 0
    state = "cicero_whatsapp_session_state"
    assert samples[(state, _labels(session="operator", state="SCAN_QR_CODE"))] == 1
    assert samples[(state, _labels(session="operator", state="WORKING"))] == 0
    assert samples[(state, _labels(session="gateway", state="WORKING"))] == 1
    assert samples[(state, _labels(session="user", state="UNKNOWN"))] == 1
    runs = "cicero_job_runs"
    assert samples[(runs, _labels(job="instagram_fetch", status="success"))] == 2
    assert samples[(runs, _labels(job="instagram_fetch", status="failed"))] == 1
    assert samples[(runs, _labels(job="daily_recap", status="skipped"))] == 1
    assert len([key for key in samples if key[0] == runs]) == 3
    assert samples[("cicero_metrics_source_up", _labels(source="redis"))] == 1
    assert samples[("cicero_metrics_source_up", _labels(source="database"))] == 1


async def test_every_route_is_documented(database_url: str, redis_url: str) -> None:
    app = create_app(web_settings(), database_url, redis_url)
    assert list(operations(app.routes)), "the routing table is empty"
    assert undocumented(app.routes) == []


async def test_openapi_document_describes_every_operation(live, database_url: str,
                                                          redis_url: str) -> None:
    response = await live.client.get("/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    assert document["components"]["schemas"]["ErrorResponse"]["required"] == [
        "success", "message"]
    app = create_app(live.settings, database_url, redis_url)
    expected = {(re.sub(r"\{(\w+)(?::\w+)?\}", r"{\1}", op.path), op.method.lower())
                for op in operations(app.routes)}
    published = {(path, method) for path, item in document["paths"].items() for method in item}
    assert published == expected
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    for item in document["paths"].values():
        for operation in item.values():
            for status, answer in operation["responses"].items():
                if int(status) >= 400:
                    assert answer["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/ErrorResponse"}
            if operation["security"]:
                assert operation["security"] == [{"bearerAuth": []}]
                assert "401" in operation["responses"]

    messages = document["paths"]["/sandbox/api/messages"]["get"]
    assert messages["security"] == []
    assert {(p["name"], p["in"], p["required"]) for p in messages["parameters"]} == {
        ("cicero_admin", "cookie", False), ("phone", "query", True), ("group", "query", False),
        ("since", "query", False)}
    login_form = document["paths"]["/masuk"]["post"]["requestBody"]["content"]
    assert list(login_form) == ["application/x-www-form-urlencoded"]
    assert "x-media-type" not in login_form["application/x-www-form-urlencoded"]["schema"]
    assert document["paths"]["/readyz"]["get"]["responses"]["503"]["description"]


async def test_readyz_under_sandbox_reports_sessions_and_is_ready(live, redis) -> None:
    await redis.hset(state_key("operator"), mapping={"state": "STOPPED"})

    response = await live.client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok", "whatsapp": "ok"},
        "whatsapp": {"transport": "sandbox",
                     "sessions": {"operator": "STOPPED", "gateway": "UNKNOWN",
                                  "user": "UNKNOWN"},
                     "required": []},  # a web-only process serves no session
        "worker": {"last_heartbeat": None}}  # no worker runs; only `cicero up` needs one


async def test_readyz_under_neonize_needs_every_configured_session_working(
        engine, redis, database_url: str, redis_url: str) -> None:
    settings = web_settings(wa_transport="neonize", wa_sessions="operator,gateway")
    await redis.hset(state_key("operator"), mapping={"state": "SCAN_QR_CODE", "qr": "2@x"})
    await redis.hset(state_key("gateway"), mapping={"state": "WORKING"})
    await redis.hset(state_key("user"), mapping={"state": "FAILED"})  # not configured
    async for app in serve(settings, database_url, redis_url):
        waiting = await app.client.get("/readyz")
        assert waiting.status_code == 503
        assert waiting.json() == {
            "status": "error", "success": False, "message": "Layanan belum siap",
            "checks": {"database": "ok", "redis": "ok",
                       "whatsapp": "error: not working: operator=SCAN_QR_CODE"},
            "whatsapp": {"transport": "neonize",
                         "sessions": {"operator": "SCAN_QR_CODE", "gateway": "WORKING"},
                         "required": ["operator", "gateway"]},
            "worker": {"last_heartbeat": None}}

        await redis.hset(state_key("operator"), mapping={"state": "WORKING"})
        ready = await app.client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["checks"]["whatsapp"] == "ok"


async def test_openapi_path_parameters_are_exactly_the_template_variables(live) -> None:
    """The document once declared required path parameters `u` and `i` (the first letter
    of `user_id` and `id`) beside the real ones."""
    document = (await live.client.get("/openapi.json")).json()
    templated = 0
    for path, item in document["paths"].items():
        variables = set(re.findall(r"\{(\w+)\}", path))
        templated += bool(variables)
        for operation in item.values():
            declared = [p for p in operation.get("parameters", []) if p["in"] == "path"]
            assert sorted(p["name"] for p in declared) == sorted(variables), (path, declared)
            assert all(p["required"] for p in declared)
    assert templated >= 3  # /api/users/{user_id}, /api/dashboard/users/{id}/approve, /reject


# --- who may read /metrics --------------------------------------------------------------------


async def test_metrics_are_refused_to_a_remote_address_without_a_token(live) -> None:
    remote = await live.client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert remote.status_code == 403
    assert remote.json() == {"success": False, "message": "Metrik hanya dapat dibaca dari "
                             "localhost, atau dengan token METRICS_TOKEN"}
    assert "cicero_http_requests" not in remote.text
    assert (await live.client.get("/metrics")).status_code == 200  # loopback


async def test_metrics_need_the_bearer_token_when_one_is_set(engine, redis, database_url: str,
                                                             redis_url: str) -> None:
    token = "metrik-" + "q8Vn2Lk5Rx7Tz1Wb4Yc6"
    async for app in serve(web_settings(metrics_token=token), database_url, redis_url):
        for headers in ({}, {"Authorization": "Bearer salah"},
                        {"Authorization": f"Basic {token}"}):
            refused = await app.client.get("/metrics", headers=headers)
            assert refused.status_code == 401
            assert refused.json() == {"success": False,
                                      "message": "Token metrik tidak valid"}
            assert refused.headers["www-authenticate"] == "Bearer"
        allowed = await app.client.get("/metrics", headers={
            "Authorization": f"Bearer {token}", "X-Forwarded-For": "203.0.113.9"})
        assert allowed.status_code == 200
        assert "cicero_http_requests_total" in allowed.text
