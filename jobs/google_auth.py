"""An access token for Google APIs from the service account in GOOGLE_SERVICE_ACCOUNT
(the JSON itself or a path to it), acting as GOOGLE_IMPERSONATE_EMAIL when set. google-auth
signs the grant; it blocks, so async callers run it in a thread."""

from __future__ import annotations

import json
from pathlib import Path

from cicero.settings import Settings


def service_account_info(value: str) -> dict[str, str]:
    text = value.strip()
    if not text.startswith("{"):
        text = Path(text).expanduser().read_text()
    return json.loads(text)


def access_token(settings: Settings, scopes: list[str]) -> str:
    from google.auth.transport.requests import Request
    from google.oauth2 import service_account

    assert settings.google_service_account
    credentials = service_account.Credentials.from_service_account_info(
        service_account_info(settings.google_service_account), scopes=scopes)
    if settings.google_impersonate_email:
        credentials = credentials.with_subject(settings.google_impersonate_email)
    credentials.refresh(Request())
    return str(credentials.token)
