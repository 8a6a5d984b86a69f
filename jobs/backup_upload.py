"""Upload a database backup to Google Drive with a service account."""

from __future__ import annotations

import json
from pathlib import Path

from cicero.settings import Settings

DRIVE_SCOPES = ["https://www.googleapis.com/auth/drive.file"]


def _service_account_info(value: str) -> dict[str, str]:
    """GOOGLE_SERVICE_ACCOUNT holds either the JSON itself or a path to the JSON file."""
    text = value.strip()
    if not text.startswith("{"):
        text = Path(text).expanduser().read_text()
    return json.loads(text)


def upload_to_drive(settings: Settings, file: Path) -> str:
    from google.oauth2 import service_account
    from googleapiclient.discovery import build
    from googleapiclient.http import MediaFileUpload

    assert settings.google_service_account and settings.google_drive_folder_id
    credentials = service_account.Credentials.from_service_account_info(
        _service_account_info(settings.google_service_account), scopes=DRIVE_SCOPES
    )
    if settings.google_impersonate_email:
        credentials = credentials.with_subject(settings.google_impersonate_email)
    drive = build("drive", "v3", credentials=credentials, cache_discovery=False)
    metadata = {"name": file.name, "parents": [settings.google_drive_folder_id]}
    media = MediaFileUpload(str(file), mimetype="application/octet-stream", resumable=False)
    created = drive.files().create(body=metadata, media_body=media, fields="id").execute()
    return str(created["id"])
