"""Configuration from environment variables and `.env`.

Ground floor: imports nothing of ours. Variable names follow
`shared/spec/interfaces.md`; the reference's names are kept where they exist.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from cicero.sessions import SESSION_NAMES


class ConfigError(Exception):
    """A missing or malformed setting; the message is one line naming the variable."""


MIN_JWT_SECRET_BYTES = 32
MIN_JWT_SECRET_BITS = 64  # estimated; random hex of 32 characters never scores below ~80
PLACEHOLDER_SECRETS = ("change-me", "changeme", "change_me", "ganti-ini", "gantiini")
GENERATE_JWT_SECRET = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"


def estimated_bits(secret: str) -> float:
    """A rough guessing-entropy estimate: the bits per character of the secret's own letter
    frequencies, times what is left of it after compression removes repetition."""
    raw = secret.encode("utf-8", "surrogatepass")
    counts = Counter(raw)
    per_byte = -sum(n / len(raw) * math.log2(n / len(raw)) for n in counts.values())
    unrepeated = len(zlib.compress(raw, 9)) - len(zlib.compress(b"", 9))
    return per_byte * unrepeated


def jwt_secret_weakness(secret: str) -> str | None:
    """Why a production JWT_SECRET is refused (Indonesian), or None."""
    if any(placeholder in secret.lower() for placeholder in PLACEHOLDER_SECRETS):
        return "masih nilai contoh"
    size = len(secret.encode("utf-8", "surrogatepass"))
    if size < MIN_JWT_SECRET_BYTES:
        return f"terlalu pendek ({size} byte, minimal {MIN_JWT_SECRET_BYTES})"
    if estimated_bits(secret) < MIN_JWT_SECRET_BITS:
        return "terlalu mudah ditebak (berulang atau kurang acak)"
    return None


def _split_list(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    database_url: str | None = None
    redis_url: str | None = None
    cicero_home: Path = Path(".cicero")
    tz_business: str = "Asia/Jakarta"

    wa_transport: Literal["neonize", "sandbox"] = "sandbox"
    wa_sessions: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(SESSION_NAMES))
    admin_whatsapp: Annotated[list[str], NoDecode] = Field(default_factory=list)
    conversation_idle_seconds: int = Field(default=300, ge=30)
    outbox_session_interval: float = Field(default=0.35, ge=0)  # seconds between sends
    outbox_chat_interval: float = Field(default=1.0, ge=0)  # seconds between sends to a chat
    inbound_rate_limit: int = Field(default=20, ge=0)  # messages per sender and window; 0: off
    inbound_rate_window_seconds: int = Field(default=60, ge=1)

    rapidapi_key: str | None = None
    rapidapi_instagram_url: str = "https://social-api4.p.rapidapi.com"
    rapidapi_tiktok_url: str = "https://tiktok-api23.p.rapidapi.com"
    rapidapi_instagram_rps: float = Field(default=10.0, gt=0)
    rapidapi_tiktok_rps: float = Field(default=10.0, gt=0)
    rapidapi_concurrency: int = Field(default=6, ge=1)
    instagram_likes_max_pages: int = Field(default=20, ge=1)
    # Yesterday's amplification tasks may still be reported until this many hours past
    # midnight (business time); 0: only today's.
    link_report_grace_hours: int = Field(default=6, ge=0, le=23)

    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_user: str | None = None
    smtp_pass: str | None = None
    smtp_from: str | None = None

    jwt_secret: str | None = None
    metrics_token: str | None = None  # unset: /metrics answers loopback clients only
    cors_origin: str | None = None
    allow_duplicate_requests: bool = False
    dashboard_url: str | None = None
    dashboard_password_reset_url: str | None = None
    dashboard_reset_token_expiry_minutes: int = Field(default=15, ge=1)

    google_service_account: str | None = None
    google_impersonate_email: str | None = None
    google_contact_scope: str | None = None
    google_drive_folder_id: str | None = None
    google_drive_api_url: str | None = None  # tests point this at a local fake Drive
    google_people_api_url: str | None = None  # tests point this at a local fake Contacts
    backup_dir: Path | None = None

    # seconds a web or bot statement may wait for a lock / run before it fails (503)
    request_lock_timeout: float = Field(default=3.0, gt=0)
    request_statement_timeout: float = Field(default=30.0, gt=0)

    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8000, ge=1, le=65535)

    @field_validator("tz_business")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"zona waktu tidak dikenal: {value!r}") from exc
        return value

    @field_validator("cicero_home")
    @classmethod
    def _absolute_home(cls, value: Path) -> Path:
        """Resolved once, when the settings are read: every command (and the processes it
        starts, see cicero/runtime.py) then uses this one folder, wherever it runs from."""
        return value.expanduser().resolve()

    @field_validator("admin_whatsapp", "wa_sessions", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        return _split_list(value)

    @field_validator("wa_sessions")
    @classmethod
    def _known_sessions(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(SESSION_NAMES))
        if unknown:
            raise ValueError(f"sesi tidak dikenal: {', '.join(unknown)} "
                             f"(pilihan: {', '.join(SESSION_NAMES)})")
        return list(dict.fromkeys(value))

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: str | None) -> str | None:
        if value and not value.startswith(("postgresql://", "postgresql+asyncpg://", "postgres://")):
            raise ValueError("harus URL postgresql://")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("harus URL redis://, rediss:// atau unix://")
        return value

    @field_validator("jwt_secret")
    @classmethod
    def _strong_in_production(cls, value: str | None, info: ValidationInfo) -> str | None:
        """With DATABASE_URL and REDIS_URL set (production) a guessable secret would mint
        admin tokens: refuse it. The embedded mode makes its own random one when unset."""
        if value is None or not (info.data.get("database_url") and info.data.get("redis_url")):
            return value
        weakness = jwt_secret_weakness(value)
        if weakness:
            raise ValueError(f"{weakness}; buat yang acak: {GENERATE_JWT_SECRET}")
        return value

    @property
    def home(self) -> Path:
        return self.cicero_home

    @property
    def embedded(self) -> bool:
        return not self.database_url or not self.redis_url


_PYDANTIC_MESSAGES = {
    "int_parsing": "harus bilangan bulat",
    "int_from_float": "harus bilangan bulat",
    "float_parsing": "harus angka",
    "bool_parsing": "harus true atau false",
    "greater_than": "harus lebih dari {gt}",
    "greater_than_equal": "minimal {ge}",
    "less_than": "harus kurang dari {lt}",
    "less_than_equal": "maksimal {le}",
    "literal_error": "pilih salah satu: {expected}",
    "string_type": "harus teks",
    "missing": "wajib diisi",
}


def _indonesian(error: dict) -> str:
    """pydantic's English for the errors a setting can have; our own validators already speak
    Indonesian (their message follows 'Value error, ')."""
    template = _PYDANTIC_MESSAGES.get(error["type"])
    if template is None:
        return str(error["msg"]).removeprefix("Value error, ")
    context = {key: str(value).replace("'", "") for key, value in
               (error.get("ctx") or {}).items()}
    return template.format(**context).replace(" or ", " atau ")


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning validation errors into one readable line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "?"
        raise ConfigError(f"Konfigurasi {name} tidak valid: {_indonesian(error)}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()


_HINTS = {"rapidapi_key": " Isi RAPIDAPI_KEY (kunci RapidAPI) di .env, atau jalankan "
                          "`cicero up --demo` di terminal lain untuk memakai RapidAPI palsu."}


def require(settings: Settings, *names: str) -> None:
    """Stop with a clear line when a setting a command needs is missing."""
    for name in names:
        if not getattr(settings, name.lower()):
            raise ConfigError(f"Konfigurasi {name.upper()} wajib diisi untuk perintah ini."
                              + _HINTS.get(name.lower(), ""))
