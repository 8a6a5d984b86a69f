"""Upload a database backup to Google Drive with a service account.

One multipart request to the Drive v3 upload endpoint, with the service account's token
(jobs/google_auth.py).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import httpx

from cicero.settings import Settings
from jobs.google_auth import access_token

DRIVE_SCOPES = ["https://www.googleapis.com/auth/drive.file"]
DRIVE_API_URL = "https://www.googleapis.com/"


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
        headers={"Authorization": f"Bearer {access_token(settings, DRIVE_SCOPES)}",
                 "Content-Type": f"multipart/related; boundary={boundary}"},
        content=body, timeout=300,
    )
    response.raise_for_status()
    return str(response.json()["id"])
