"""`cicero web --workers N` on an embedded home: every process serves the same app with the
same JWT secret, and Ctrl-C stops them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from storage.models import DashboardRole
from tests.cicero.test_up import _embedded_env, _free_port
from tests.conftest import PROJECT_ROOT, run_cli
from tests.waiting import eventually_blocking
from web.security import issue_token


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().split(") ")[1].split()[1]) == pid:
                    found.add(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def _wait_ready(process: subprocess.Popen, url: str) -> None:
    def ready() -> bool:
        assert process.poll() is None, process.communicate()
        try:
            return httpx.get(f"{url}/readyz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    try:
        eventually_blocking(ready, "serving", within=60, every=0.2)
    except AssertionError:
        process.kill()
        raise AssertionError(f"not serving within 60 s: {process.communicate()}") from None


def test_web_workers_share_the_app_and_stop_together(cli_env: dict[str, str],
                                                     tmp_path: Path) -> None:
    env = {k: v for k, v in _embedded_env(cli_env, tmp_path / "home").items()
           if k != "JWT_SECRET"}
    assert run_cli("db", "upgrade", env=env, timeout=180).returncode == 0
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "cicero", "web", "--workers", "2", "--port", str(port)],
        env=env, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(process, url)
        workers = {pid for pid in _children(process.pid)
                   if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()}
        assert len(workers) == 2
        secret = (tmp_path / "home" / "jwt-secret").read_text().strip()
        token = issue_token(secret, dashboard_user_id="1", username="admin",
                            role=DashboardRole.ADMIN, client_ids=[], client_id=None)
        with httpx.Client(base_url=url) as client:
            for _ in range(8):  # new connections, spread over the worker processes
                response = client.get("/api/insta/rekap-likes",
                                      params={"client_id": "POLRES_X"},
                                      headers={"Authorization": f"Bearer {token}",
                                               "Connection": "close"})
                assert response.status_code == 404, response.text
                assert response.json() == {"success": False,
                                           "message": "Client tidak ditemukan"}
            assert client.get("/api/insta/rekap-likes", params={"client_id": "POLRES_X"},
                              headers={"Authorization": "Bearer forged"}).status_code == 401
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr, stderr
    for pid in workers:
        assert not os.path.exists(f"/proc/{pid}") or \
            Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
