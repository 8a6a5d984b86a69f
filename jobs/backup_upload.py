"""Upload a database backup to Google Drive with a service account.

One multipart request to the Drive v3 upload endpoint; google-auth signs the
service-account grant and fetches the access token.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import httpx

from cicero.settings import Settings

DRIVE_SCOPES = ["https://www.googleapis.com/auth/drive.file"]
DRIVE_API_URL = "https://www.googleapis.com/"


def _service_account_info(value: str) -> dict[str, str]:
    """GOOGLE_SERVICE_ACCOUNT holds either the JSON itself or a path to the JSON file."""
    text = value.strip()
    if not text.startswith("{"):
        text = Path(text).expanduser().read_text()
    return json.loads(text)


def _access_token(settings: Settings) -> str:
    from google.auth.transport.requests import Request
    from google.oauth2 import service_account

    assert settings.google_service_account
    credentials = service_account.Credentials.from_service_account_info(
        _service_account_info(settings.google_service_account), scopes=DRIVE_SCOPES
    )
    if settings.google_impersonate_email:
        credentials = credentials.with_subject(settings.google_impersonate_email)
    credentials.refresh(Request())
    return str(credentials.token)


def upload_to_drive(settings: Settings, file: Path) -> str:
    """Upload `file` into GOOGLE_DRIVE_FOLDER_ID; returns the new Drive file id."""
    assert settings.google_drive_folder_id
    boundary = uuid.uuid4().hex
    metadata = json.dumps({"name": file.name, "parents": [settings.google_drive_folder_id]})
    body = b"".join([
        f"--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n".encode(),
        metadata.encode(), b"\r\n",
        f"--{boundary}\r\nContent-Type: application/octet-stream\r\n\r\n".encode(),
        file.read_bytes(), b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ])
    base = (settings.google_drive_api_url or DRIVE_API_URL).rstrip("/")
    response = httpx.post(
        f"{base}/upload/drive/v3/files",
        params={"uploadType": "multipart", "fields": "id", "supportsAllDrives": "true"},
        headers={"Authorization": f"Bearer {_access_token(settings)}",
                 "Content-Type": f"multipart/related; boundary={boundary}"},
        content=body, timeout=300,
    )
    response.raise_for_status()
    return str(response.json()["id"])
