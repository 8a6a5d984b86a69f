"""`cicero wa status` and `cicero wa login`."""

from __future__ import annotations

import asyncio
import socket

from bot.neonize_transport import NeonizeTransport, ReconnectPolicy
from bot.transport import SessionState, state_key
from cicero.cli_wa import pair, unreachable_text
from tests.bot.test_neonize_transport import Harness
from tests.conftest import run_cli
from tests.waiting import eventually


def _row(output: str, session: str) -> str:
    rows = [line for line in output.splitlines() if f" {session} " in line]
    assert len(rows) == 1, output
    return rows[0]


async def test_status_shows_what_the_sessions_published(redis, cli_env):
    await redis.hset(state_key("gateway"), mapping={
        "state": "WORKING", "transport": "neonize", "jid": "6281234567890:7@s.whatsapp.net",
        "updated_at": "2025-12-06T12:05:00+00:00"})
    await redis.hset(state_key("user"), mapping={
        "state": "SCAN_QR_CODE", "transport": "neonize", "qr": "2@abc",
        "updated_at": "2025-12-06T12:06:00+00:00"})
    result = await asyncio.to_thread(run_cli, "wa", "status", env=cli_env, timeout=120)
    assert result.returncode == 0, result.stderr
    gateway = _row(result.stdout, "gateway")
    assert "WORKING" in gateway and "neonize" in gateway and "6281234567890" in gateway
    assert "2025-12-06T12:05:00" in gateway
    assert "SCAN_QR_CODE" in _row(result.stdout, "user")
    operator = _row(result.stdout, "operator")
    assert "STOPPED" in operator  # never published: not running


async def test_login_refuses_an_unknown_session(cli_env):
    result = await asyncio.to_thread(run_cli, "wa", "login", "--session", "nope", env=cli_env,
                                     timeout=120)
    assert result.returncode == 2
    assert "sesi tidak dikenal" in result.stderr and "operator" in result.stderr


async def test_login_under_the_sandbox_explains_there_is_nothing_to_pair(cli_env):
    env = {**cli_env, "WA_TRANSPORT": "sandbox"}
    result = await asyncio.to_thread(run_cli, "wa", "login", "--session", "operator", env=env,
                                     timeout=120)
    assert result.returncode == 0, result.stderr
    assert "sandbox" in result.stdout and "tidak perlu dipasangkan" in result.stdout


def _transport(redis, harness: Harness) -> NeonizeTransport:
    return NeonizeTransport(redis, "operator", store="/tmp/unused.sqlite3",
                            client_factory=harness.factory,
                            reconnect=ReconnectPolicy(base=0.05, cap=0.2, jitter=0,
                                                      connect_timeout=5))


async def test_pairing_draws_each_new_qr_and_ends_when_working(redis):
    harness = Harness()

    async def scan(client) -> None:
        for code in ("2@ONE", "2@ONE", "2@TWO"):
            await client.emit_qr(code)
            await eventually(lambda code=code: drawn[-1:] == [code], f"{code} drawn")
            await asyncio.sleep(0.1)  # polls see the code again (a repeat is not redrawn)
        await client.emit_connected()

    harness.on_connect = scan
    transport = _transport(redis, harness)
    drawn: list[str] = []
    state, timed_out = await asyncio.wait_for(
        pair(transport, within=5, show_qr=drawn.append, poll=0.02), 10)
    assert (state, timed_out) == (SessionState.WORKING, False)
    assert drawn == ["2@ONE", "2@TWO"]
    fields = await redis.hgetall(state_key("operator"))
    assert fields["state"] == "STOPPED" and "qr" not in fields  # login leaves it to `cicero bot`


async def test_pairing_reports_logout_and_timeout(redis):
    harness = Harness()
    transport = _transport(redis, harness)
    task = asyncio.create_task(pair(transport, within=5, show_qr=lambda code: None, poll=0.02))
    await eventually(lambda: harness.clients and harness.client.connects)
    await harness.client.emit_logged_out()
    assert await asyncio.wait_for(task, 10) == (SessionState.FAILED, False)

    harness = Harness()
    transport = _transport(redis, harness)
    result = await asyncio.wait_for(
        pair(transport, within=0.2, show_qr=lambda code: None, poll=0.02), 10)
    assert result == (SessionState.STARTING, True)
    assert (await redis.hgetall(state_key("operator")))["state"] == "STOPPED"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_login_without_network_says_why_in_indonesian(cli_env):
    """The real neonize library dials WhatsApp through a proxy that is not there (the one way
    to cut a process off the network on any machine): within the 15 s given, the login ends
    with one Indonesian reason, not the time-out and not the library's English retries."""
    proxy = f"http://127.0.0.1:{_closed_port()}"
    env = {**{k: v for k, v in cli_env.items() if k.lower() != "no_proxy"},
           "WA_TRANSPORT": "neonize", "HTTPS_PROXY": proxy, "HTTP_PROXY": proxy}
    result = await asyncio.to_thread(run_cli, "wa", "login", "--session", "operator",
                                     "--timeout", "15", env=env, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    reason = " ".join(result.stderr.split())
    assert "Gagal: sesi operator tidak dapat menghubungi server WhatsApp" in reason, reason
    assert "proxy (HTTPS_PROXY/HTTP_PROXY) tidak dapat dihubungi" in reason
    assert "waktu habis" not in reason and '"event"' not in result.stderr


def test_each_network_failure_is_named_in_indonesian():
    dns = ('connection failed: failed to dial whatsapp web websocket: Get "https://web.whatsapp.'
           'com/ws/chat": dial tcp: lookup web.whatsapp.com on 10.0.0.53:53: no such host')
    assert "nama server WhatsApp tidak dapat ditemukan (DNS)" in unreachable_text("user", dns)
    down = "connection failed: dial tcp 157.240.1.1:443: connect: network is unreachable"
    assert "jaringan tidak terjangkau" in unreachable_text("user", down)
    assert "koneksi gagal" in unreachable_text("user", "connection failed: EOF")
