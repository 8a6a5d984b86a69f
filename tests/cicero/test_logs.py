"""Logs of a real process: JSON lines off a terminal, tracebacks without locals and bounded,
secrets redacted, and an exception of a request logged once."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import textwrap

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import PROJECT_ROOT
from tests.server_proxy import PgProxy, free_port, tcp_url
from tests.waiting import eventually

PASSWORD = "Kata-Sandi-Rahasia-8841"
MAX_LINE = 16_000  # bytes of one log line


def _lines(stderr: str) -> list[dict]:
    """Every stderr line is one JSON object (stderr is a pipe, not a terminal)."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert all(len(line.encode()) <= MAX_LINE for line in lines), max(map(len, lines))
    return [json.loads(line) for line in lines]


async def _wait_serving(process: asyncio.subprocess.Process, url: str) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=2) as client:
        async def serving() -> bool:
            assert process.returncode is None, "cicero web exited"
            try:
                return (await client.get("/healthz")).status_code == 200
            except httpx.TransportError:
                return False

        await eventually(serving, "cicero web serving", within=60, every=0.1)


async def test_a_request_failing_in_a_postgresql_outage_logs_once_without_secrets(
    engine: AsyncEngine, cli_env: dict[str, str]
) -> None:
    """The attack: requests carrying a password while PostgreSQL is away. Before, every one
    printed a Rich traceback with the frames' locals (the body, the password) twice (ours
    and uvicorn's), ~70 KB each."""
    proxy = PgProxy(engine)
    env = {**cli_env, "DATABASE_URL": tcp_url(engine, await proxy.start())}
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cicero", "web", "--port", str(port), env=env, cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_serving(process, url)
        proxy.stop()  # PostgreSQL goes away
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            for attempt in range(3):
                response = await client.post("/api/auth/dashboard-login", json={
                    "username": f"admin{attempt}", "password": PASSWORD})
                assert response.status_code in (500, 503), response.text
                assert PASSWORD not in response.text
    finally:
        process.terminate()
        _, stderr_bytes = await process.communicate()
        proxy.stop()
    stderr = stderr_bytes.decode()
    assert PASSWORD not in stderr
    assert "Exception in ASGI application" not in stderr  # uvicorn's second report
    events = _lines(stderr)
    failures = [event for event in events if "exception" in event]
    assert len(failures) <= 3  # at most one per request
    for event in failures:
        assert event["event"] == "web_unhandled_error" and event["level"] == "error"
        for exception in event["exception"]:
            assert all(set(frame) == {"filename", "lineno", "name"}
                       for frame in exception["frames"])  # no locals


_SCRIPT = textwrap.dedent("""
    import logging, structlog
    from cicero.logs import configure_logging

    configure_logging("INFO")
    log = structlog.get_logger("probe")

    def deep(n, password):
        if n == 0:
            raise RuntimeError("login gagal password=" + password + " token: abc123tok")
        return deep(n - 1, password)

    try:
        deep(500, "hunter2-secret")
    except RuntimeError:
        log.exception("probe_failed", request={"body": {"password": "p4ss-nested",
                      "otp": "917305", "username": "budi"}},
                      headers=[("authorization", "Bearer eyJhbGciOi.payload.sig")],
                      reset_url="https://dash/reset?token=t0k3n-value")
    logging.getLogger("arq.worker").warning("job failed: smtp_pass=mailpw-99",
                                            exc_info=ValueError("Secret: s3cr3t-value"))
""")


def test_tracebacks_are_bounded_and_secrets_redacted_at_any_depth() -> None:
    result = subprocess.run([sys.executable, "-c", _SCRIPT], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    for secret in ("hunter2-secret", "abc123tok", "p4ss-nested", "917305", "eyJhbGciOi",
                   "t0k3n-value", "mailpw-99", "s3cr3t-value"):
        assert secret not in result.stderr, secret
    probe, stdlib = _lines(result.stderr)
    assert probe["request"]["body"] == {"password": "[redacted]", "otp": "[redacted]",
                                        "username": "budi"}
    assert probe["headers"] == [["authorization", "[redacted]"]]
    (exception,) = probe["exception"]
    assert exception["exc_type"] == "RuntimeError"
    assert len(exception["frames"]) <= 21  # 20 frames and the note of those left out
    assert stdlib["logger"] == "arq.worker" and stdlib["level"] == "warning"
    assert stdlib["exception"][0]["exc_value"] == "Secret: [redacted]"


def test_a_terminal_gets_the_console_renderer_with_a_plain_traceback() -> None:
    script = textwrap.dedent("""
        import structlog
        from cicero.logs import configure_logging

        configure_logging("INFO", json_lines=False)
        def fail(password):
            raise KeyError("kunci")
        try:
            fail("hunter2-secret")
        except KeyError:
            structlog.get_logger().exception("probe_failed", token="abc")
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=60)
    assert "probe_failed" in result.stderr and "Traceback (most recent call last)" in result.stderr
    assert "hunter2-secret" not in result.stderr and "[redacted]" in result.stderr
    assert len(result.stderr) < 3_000


_EVENT = re.compile(r"""\b_?log\.(?:debug|info|warning|error|exception)\(\s*["']([^"']*)["']""")


def test_event_names_have_one_style() -> None:
    names = {name for package in ("bot", "cicero", "conversations", "jobs", "menus", "storage",
                                  "web")
             for path in (PROJECT_ROOT / package).rglob("*.py")
             for name in _EVENT.findall(path.read_text(encoding="utf-8"))}
    assert len(names) > 50
    assert sorted(name for name in names if not re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", name)) == []
