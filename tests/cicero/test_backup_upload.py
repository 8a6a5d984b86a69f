"""`cicero db backup --upload` against a fake Google OAuth + Drive server on loopback."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from demo.fake_rapidapi import FakeServer
from tests.conftest import run_cli


class FakeGoogle:
    """Speaks the two calls an upload makes: the JWT-bearer token grant and a multipart create."""

    def __init__(self) -> None:
        self.uploads: list[bytes] = []
        self.token_requests = 0
        self.app = Starlette(routes=[
            Route("/token", self.token, methods=["POST"]),
            Route("/upload/drive/v3/files", self.upload, methods=["POST"]),
        ])

    async def token(self, request: Request) -> JSONResponse:
        form = parse_qs((await request.body()).decode())
        assert form["grant_type"][0] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
        self.token_requests += 1
        return JSONResponse({"access_token": "fake-token", "expires_in": 3600,
                             "token_type": "Bearer"})

    async def upload(self, request: Request) -> JSONResponse:
        assert request.headers["authorization"] == "Bearer fake-token"
        self.uploads.append(await request.body())
        return JSONResponse({"id": "drive-file-1"})


def _port(server: FakeServer) -> int:
    server.start()
    return server.port


def _service_account(port: int) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return json.dumps({
        "type": "service_account", "project_id": "cicero-test", "private_key_id": "k1",
        "private_key": pem, "client_email": "backup@cicero-test.iam.gserviceaccount.com",
        "client_id": "1", "token_uri": f"http://127.0.0.1:{port}/token",
    })


def test_failed_upload_is_one_clear_line(cli_env: dict[str, str], tmp_path: Path) -> None:
    server = FakeServer(Starlette())  # answers 404 to everything
    port = _port(server)
    try:
        env = {**cli_env, "GOOGLE_SERVICE_ACCOUNT": _service_account(port),
               "GOOGLE_DRIVE_FOLDER_ID": "folder-9"}
        result = run_cli("db", "backup", "--output", str(tmp_path / "x.dump"), "--upload",
                         env=env)
    finally:
        server.stop()
    assert result.returncode == 1
    assert "Google Drive gagal" in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "x.dump").exists()  # the local backup is kept


def test_backup_upload_sends_the_dump_to_drive(cli_env: dict[str, str], tmp_path: Path) -> None:
    fake = FakeGoogle()
    server = FakeServer(fake.app)
    port = _port(server)
    try:
        env = {**cli_env, "GOOGLE_SERVICE_ACCOUNT": _service_account(port),
               "GOOGLE_DRIVE_FOLDER_ID": "folder-9",
               "GOOGLE_DRIVE_API_URL": f"http://127.0.0.1:{port}/"}
        dump = tmp_path / "upload.dump"
        result = run_cli("db", "backup", "--output", str(dump), "--upload", env=env)
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr
    assert "drive-file-1" in result.stdout
    assert fake.token_requests == 1
    (body,) = fake.uploads
    assert b'"folder-9"' in body and b'"upload.dump"' in body
    assert dump.read_bytes()[:5] in body  # the pg_dump archive itself travels
